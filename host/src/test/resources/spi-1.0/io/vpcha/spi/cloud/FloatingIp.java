package io.vpcha.spi.cloud;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** A floating IP: a public address bound to at most one interface (a NIC or a VNI) in its zone. */
public record FloatingIp(
        String id, String name, String address, String status, String zone, Optional<FloatingIpTarget> target) {
    public FloatingIp {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(address, "address is null");
        requireNonNull(status, "status is null");
        requireNonNull(zone, "zone is null");
        requireNonNull(target, "target is null");
    }

    /** What a floating IP is bound to: a network interface, a virtual network interface or a public gateway. */
    public record FloatingIpTarget(String id, String name, String resourceType, Optional<String> primaryAddress) {
        public FloatingIpTarget {
            requireNonNull(id, "id is null");
            requireNonNull(name, "name is null");
            requireNonNull(resourceType, "resourceType is null");
            requireNonNull(primaryAddress, "primaryAddress is null");
        }
    }
}
