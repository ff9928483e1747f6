package io.vpcha.spi.cloud;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * An instance network interface (the older way an instance connects to a subnet).
 *
 * @param allowIpSpoofing empty when the view did not say (instance references omit it)
 * @param floatingIpIds the floating IPs bound to it, when the view says
 */
public record NetworkInterface(
        String id,
        String name,
        String primaryAddress,
        String subnetId,
        Optional<Boolean> allowIpSpoofing,
        List<String> floatingIpIds) {
    public NetworkInterface {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(primaryAddress, "primaryAddress is null");
        requireNonNull(subnetId, "subnetId is null");
        requireNonNull(allowIpSpoofing, "allowIpSpoofing is null");
        floatingIpIds = List.copyOf(requireNonNull(floatingIpIds, "floatingIpIds is null"));
    }
}
