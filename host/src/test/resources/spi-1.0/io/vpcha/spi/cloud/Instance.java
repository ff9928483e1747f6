package io.vpcha.spi.cloud;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A virtual server instance. It uses either network interfaces or network attachments (with VNIs);
 * when {@code primaryNetworkAttachmentId} is present, work on the VNIs.
 */
public record Instance(
        String id,
        String crn,
        String name,
        String status,
        String zone,
        String vpcId,
        Optional<String> primaryNetworkInterfaceId,
        List<NetworkInterface> networkInterfaces,
        Optional<String> primaryNetworkAttachmentId,
        List<NetworkAttachment> networkAttachments) {
    public Instance {
        requireNonNull(id, "id is null");
        requireNonNull(crn, "crn is null");
        requireNonNull(name, "name is null");
        requireNonNull(status, "status is null");
        requireNonNull(zone, "zone is null");
        requireNonNull(vpcId, "vpcId is null");
        requireNonNull(primaryNetworkInterfaceId, "primaryNetworkInterfaceId is null");
        networkInterfaces = List.copyOf(requireNonNull(networkInterfaces, "networkInterfaces is null"));
        requireNonNull(primaryNetworkAttachmentId, "primaryNetworkAttachmentId is null");
        networkAttachments = List.copyOf(requireNonNull(networkAttachments, "networkAttachments is null"));
    }

    /** Whether the instance connects through network attachments and VNIs. */
    public boolean usesNetworkAttachments() {
        return primaryNetworkAttachmentId.isPresent();
    }

    /** The primary IPv4 address: of the primary attachment, else of the primary network interface. */
    public Optional<String> primaryAddress() {
        if (primaryNetworkAttachmentId.isPresent()) {
            return networkAttachments.stream()
                    .filter(a -> a.id().equals(primaryNetworkAttachmentId.get()))
                    .map(NetworkAttachment::primaryAddress)
                    .findFirst();
        }
        return primaryNetworkInterfaceId.flatMap(primary -> networkInterfaces.stream()
                .filter(nic -> nic.id().equals(primary))
                .map(NetworkInterface::primaryAddress)
                .findFirst());
    }
}
