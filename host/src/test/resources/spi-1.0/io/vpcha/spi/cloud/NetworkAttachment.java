package io.vpcha.spi.cloud;

import static java.util.Objects.requireNonNull;

/** An instance network attachment: how a newer instance reaches its virtual network interface (VNI). */
public record NetworkAttachment(
        String id, String name, String primaryAddress, String subnetId, String virtualNetworkInterfaceId) {
    public NetworkAttachment {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(primaryAddress, "primaryAddress is null");
        requireNonNull(subnetId, "subnetId is null");
        requireNonNull(virtualNetworkInterfaceId, "virtualNetworkInterfaceId is null");
    }
}
