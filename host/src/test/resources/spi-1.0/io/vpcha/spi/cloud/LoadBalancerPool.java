package io.vpcha.spi.cloud;

import static java.util.Objects.requireNonNull;

/** A load balancer pool, with the provisioning status that gates every change to its members. */
public record LoadBalancerPool(String id, String name, String algorithm, String protocol, String provisioningStatus) {
    public LoadBalancerPool {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(algorithm, "algorithm is null");
        requireNonNull(protocol, "protocol is null");
        requireNonNull(provisioningStatus, "provisioningStatus is null");
    }
}
