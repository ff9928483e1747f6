package io.vpcha.spi.cloud;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A member of a load balancer pool; its target is an instance (by id) or an address.
 *
 * @param weight 0 to 100 under weighted round robin (0: no new connections)
 */
public record PoolMember(
        String id,
        int port,
        OptionalInt weight,
        String health,
        String provisioningStatus,
        Optional<String> targetId,
        Optional<String> targetAddress) {
    public PoolMember {
        requireNonNull(id, "id is null");
        requireNonNull(weight, "weight is null");
        requireNonNull(health, "health is null");
        requireNonNull(provisioningStatus, "provisioningStatus is null");
        requireNonNull(targetId, "targetId is null");
        requireNonNull(targetAddress, "targetAddress is null");
    }
}
