package io.vpcha.spi.cloud;

import io.vpcha.spi.StrategyException;

/**
 * The cloud access the host provides to strategies: authentication, endpoints, retries within the
 * action's deadline, pagination and secret hygiene are the host's business, not the strategy's.
 * Nothing is contacted until a method is called, so an action that needs no cloud pays nothing.
 */
public interface CloudAccess {
    /** The VPC API, typed. */
    VpcApi vpc();

    /** This instance's view of itself, from the instance metadata service. */
    InstanceMetadata metadata();

    /**
     * Sends one authenticated request to the VPC API and returns the answer, whatever its status:
     * for endpoints the typed API lacks. Retries transient failures within the deadline.
     *
     * @throws CloudException when the request could not be answered (transport failures that
     *     outlast the retries, credentials refused)
     */
    default ApiResponse send(ApiRequest request) throws StrategyException {
        return vpc().send(request);
    }
}
