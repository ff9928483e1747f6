package io.vpcha.spi.cloud;

import io.vpcha.spi.StrategyException;

/**
 * The cloud access the host provides to strategies: authentication, endpoints, retries within the
 * action's deadline and secret hygiene are the host's business, not the strategy's.
 */
public interface CloudAccess {
    /**
     * Sends one authenticated request to the VPC API and returns the answer, whatever its status.
     * Transport failures that outlast the retries, and missing credentials, are thrown.
     */
    ApiResponse send(ApiRequest request) throws StrategyException;
}
