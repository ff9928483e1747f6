package io.vpcha.spi.cloud;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** A virtual network interface (VNI) with its IPs (the primary one included). */
public record VirtualNetworkInterface(
        String id,
        String name,
        boolean allowIpSpoofing,
        boolean enableInfrastructureNat,
        String primaryAddress,
        String subnetId,
        String zone,
        List<ReservedIp> ips) {
    public VirtualNetworkInterface {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(primaryAddress, "primaryAddress is null");
        requireNonNull(subnetId, "subnetId is null");
        requireNonNull(zone, "zone is null");
        ips = List.copyOf(requireNonNull(ips, "ips is null"));
    }
}
