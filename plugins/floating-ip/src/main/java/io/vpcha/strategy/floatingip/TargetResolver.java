package io.vpcha.strategy.floatingip;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.Instance;
import io.vpcha.spi.cloud.InstanceMetadata;
import io.vpcha.spi.cloud.NetworkAttachment;
import io.vpcha.spi.cloud.NetworkInterface;
import io.vpcha.toolkit.node.ThisInstance;
import io.vpcha.toolkit.time.TimeBox;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds this node's target. A target named by the resource needs no call; otherwise the metadata
 * service says which interfaces this instance has.
 */
final class TargetResolver {
    private final InstanceMetadata metadata;
    private final TimeBox timeBox;

    TargetResolver(InstanceMetadata metadata, TimeBox timeBox) {
        this.metadata = requireNonNull(metadata, "metadata is null");
        this.timeBox = requireNonNull(timeBox, "timeBox is null");
    }

    NodeTarget resolve(TargetSelection selection) throws StrategyException {
        if (selection instanceof TargetSelection.Explicit explicit) {
            return new NodeTarget(
                    explicit.targetId(), TargetKind.UNKNOWN, Optional.empty(), List.of(explicit.targetId()));
        }
        Instance instance = instance(selection);
        List<String> interfaces = interfaceIds(instance);
        if (selection instanceof TargetSelection.Candidates candidates) {
            List<String> mine =
                    candidates.targetIds().stream().filter(interfaces::contains).toList();
            if (mine.size() != 1) {
                // wrong for this node only: Pacemaker keeps the resource off this node, not off the cluster
                throw new StrategyException(
                        ErrorKind.INVALID_ARGUMENT,
                        (mine.isEmpty() ? "neither" : "both")
                                + " of vni_id_1/vni_id_2 (" + String.join(", ", candidates.targetIds()) + ") "
                                + (mine.isEmpty() ? "is an interface" : "are interfaces") + " of this instance "
                                + describe(instance) + "; its interfaces are " + String.join(", ", interfaces));
            }
            return new NodeTarget(mine.get(0), kindOf(instance, mine.get(0)), Optional.of(instance.zone()), interfaces);
        }
        String primary = primaryInterfaceId(instance);
        return new NodeTarget(primary, kindOf(instance, primary), Optional.of(instance.zone()), interfaces);
    }

    /** The floating IPs bound to one of this instance's network interfaces, as the metadata service lists them. */
    List<String> floatingIpIdsOfNetworkInterface(String networkInterfaceId) throws StrategyException {
        List<NetworkInterface> interfaces =
                timeBox.call("list this instance's network interfaces", metadata::networkInterfaces);
        return interfaces.stream()
                .filter(nic -> nic.id().equals(networkInterfaceId))
                .findFirst()
                .map(NetworkInterface::floatingIpIds)
                .orElse(List.of());
    }

    /** Whether one of this instance's VNIs has infrastructure NAT (then it holds a single floating IP). */
    Optional<Boolean> infrastructureNat(String virtualNetworkInterfaceId) throws StrategyException {
        return timeBox
                .call("list this instance's virtual network interfaces", metadata::virtualNetworkInterfaces)
                .stream()
                .filter(vni -> vni.id().equals(virtualNetworkInterfaceId))
                .findFirst()
                .map(vni -> vni.enableInfrastructureNat());
    }

    private Instance instance(TargetSelection selection) throws StrategyException {
        String hint = selection instanceof TargetSelection.Candidates
                ? "vni_id_1/vni_id_2 need it to tell which is this node's; or set node_targets"
                : "enable it on the instance, or set target or node_targets";
        return new ThisInstance(metadata, timeBox).read("cannot tell this node's interface (" + hint + ")");
    }

    private static List<String> interfaceIds(Instance instance) {
        List<String> ids = new ArrayList<>();
        instance.networkInterfaces().forEach(nic -> ids.add(nic.id()));
        instance.networkAttachments().forEach(attachment -> ids.add(attachment.virtualNetworkInterfaceId()));
        return ids;
    }

    private static TargetKind kindOf(Instance instance, String interfaceId) {
        return instance.networkInterfaces().stream().anyMatch(nic -> nic.id().equals(interfaceId))
                ? TargetKind.NETWORK_INTERFACE
                : TargetKind.VIRTUAL_NETWORK_INTERFACE;
    }

    /** The primary network interface, or the VNI of the primary network attachment. */
    private static String primaryInterfaceId(Instance instance) throws StrategyException {
        if (instance.usesNetworkAttachments()) {
            String attachmentId = instance.primaryNetworkAttachmentId().orElseThrow();
            return instance.networkAttachments().stream()
                    .filter(attachment -> attachment.id().equals(attachmentId))
                    .map(NetworkAttachment::virtualNetworkInterfaceId)
                    .findFirst()
                    .orElseThrow(() -> new StrategyException(
                            ErrorKind.GENERIC,
                            "the metadata service names primary "
                                    + "network attachment " + attachmentId + " of " + describe(instance)
                                    + " but does not list it; set target"));
        }
        return instance.primaryNetworkInterfaceId()
                .orElseThrow(() -> new StrategyException(
                        ErrorKind.GENERIC,
                        "the metadata service shows no primary network interface or attachment of " + describe(instance)
                                + "; set target"));
    }

    private static String describe(Instance instance) {
        return instance.name().isEmpty() ? instance.id() : instance.name() + " (" + instance.id() + ")";
    }
}
