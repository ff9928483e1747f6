package io.vpcha.strategy.floatingip;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.FloatingIp;
import io.vpcha.spi.cloud.Instance;
import io.vpcha.spi.cloud.VirtualNetworkInterface;
import io.vpcha.spi.cloud.VpcApi;
import io.vpcha.toolkit.time.TimeBox;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * validate-all at level 10: the credentials work, the floating IP exists, this node's target exists,
 * is in the floating IP's zone and is free to hold it. Each failure names exactly what is missing.
 */
final class CloudCheck {
    private final StrategyContext context;
    private final TimeBox timeBox;
    private final System.Logger log;

    CloudCheck(StrategyContext context, TimeBox timeBox) {
        this.context = requireNonNull(context, "context is null");
        this.timeBox = requireNonNull(timeBox, "timeBox is null");
        this.log = context.logger();
    }

    void check(FloatingIpSettings settings) throws StrategyException {
        VpcApi vpc = context.cloud().vpc();
        // one list proves the credentials, finds the floating IP and shows what else is bound where
        FloatingIpLookup.Found found =
                new FloatingIpLookup(vpc, timeBox).find(settings.floatingIp(), Optional.empty(), true);
        FloatingIp floatingIp = found.floatingIp();
        List<FloatingIp> all = found.listed().orElseThrow();
        TargetResolver resolver = new TargetResolver(context.cloud().metadata(), timeBox);

        CheckedTarget target = settings.targetSelection() instanceof TargetSelection.Explicit explicit
                ? explicitTarget(vpc, explicit)
                : metadataTarget(resolver, settings.targetSelection());

        if (target.zone().isPresent() && !target.zone().get().equals(floatingIp.zone())) {
            throw StrategyException.notConfigured(Describe.floatingIp(floatingIp) + " is in zone " + floatingIp.zone()
                    + " but this node's " + target.target().describe() + " is in "
                    + target.zone().get()
                    + "; a floating IP binds only to an interface in its own zone");
        }
        Optional<FloatingIp> holder = all.stream()
                .filter(other -> !other.id().equals(floatingIp.id()))
                .filter(other -> FloatingIpStrategy.boundTo(other)
                        .equals(Optional.of(target.target().id())))
                .findFirst();
        if (holder.isPresent() && target.holdsOne()) {
            throw StrategyException.notConfigured(
                    "this node's " + target.target().describe() + " already holds " + Describe.floatingIp(holder.get())
                            + "; it can hold only one floating IP");
        }
        log.log(
                Level.INFO,
                () -> "validate-all: " + Describe.floatingIp(floatingIp) + " in zone " + floatingIp.zone()
                        + ", bound to " + Describe.binding(floatingIp) + "; this node's "
                        + target.target().describe()
                        + target.zone().map(zone -> " in zone " + zone).orElse(" (zone not checked)") + " can hold it");
    }

    /**
     * @param zone empty when it could not be found out (a network interface named without the metadata service)
     * @param holdsOne whether the target holds a single floating IP (a network interface, or a VNI with
     *     infrastructure NAT); assumed when unknown
     */
    private record CheckedTarget(NodeTarget target, Optional<String> zone, boolean holdsOne) {
        CheckedTarget {
            requireNonNull(target, "target is null");
            requireNonNull(zone, "zone is null");
        }
    }

    private CheckedTarget metadataTarget(TargetResolver resolver, TargetSelection selection) throws StrategyException {
        NodeTarget target = resolver.resolve(selection);
        boolean holdsOne = switch (target.kind()) {
            case NETWORK_INTERFACE, UNKNOWN -> true;
            case VIRTUAL_NETWORK_INTERFACE ->
                resolver.infrastructureNat(target.id()).orElse(true);
        };
        return new CheckedTarget(target, target.zone(), holdsOne);
    }

    /** A target the resource names: a VNI the API knows, or a network interface of this instance. */
    private CheckedTarget explicitTarget(VpcApi vpc, TargetSelection.Explicit explicit) throws StrategyException {
        String id = explicit.targetId();
        Optional<Instance> instance = instanceIfReachable();
        if (instance.isPresent() && !interfaceIds(instance.get()).contains(id)) {
            throw new StrategyException(
                    ErrorKind.INVALID_ARGUMENT,
                    explicit.parameter() + " " + id
                            + " is not an interface of this instance "
                            + instance.get().name() + " (its interfaces: "
                            + String.join(", ", interfaceIds(instance.get())) + ")");
        }
        try {
            VirtualNetworkInterface vni =
                    timeBox.call("get virtual network interface " + id, () -> vpc.getVirtualNetworkInterface(id));
            NodeTarget target =
                    new NodeTarget(id, TargetKind.VIRTUAL_NETWORK_INTERFACE, Optional.of(vni.zone()), List.of(id));
            return new CheckedTarget(
                    target, Optional.of(vni.zone()).filter(zone -> !zone.isEmpty()), vni.enableInfrastructureNat());
        } catch (CloudException e) {
            if (e.cloudErrorKind() != CloudErrorKind.NOT_FOUND) {
                throw e;
            }
        }
        // no VNI of that id: a network interface, which the API only shows through its instance
        if (instance.isEmpty()) {
            log.log(
                    Level.WARNING,
                    () -> "validate-all: " + explicit.parameter() + " " + id + " is no virtual network "
                            + "interface, and without the metadata service its network interface cannot be looked up; its "
                            + "zone is not checked");
            return new CheckedTarget(
                    new NodeTarget(id, TargetKind.UNKNOWN, Optional.empty(), List.of(id)), Optional.empty(), true);
        }
        boolean isNetworkInterface = instance.get().networkInterfaces().stream()
                .anyMatch(nic -> nic.id().equals(id));
        if (!isNetworkInterface) {
            throw StrategyException.notConfigured(explicit.parameter() + " " + id + " is neither a virtual network "
                    + "interface nor a network interface of this instance "
                    + instance.get().name());
        }
        return new CheckedTarget(
                new NodeTarget(
                        id,
                        TargetKind.NETWORK_INTERFACE,
                        Optional.of(instance.get().zone()),
                        List.of(id)),
                Optional.of(instance.get().zone()),
                true);
    }

    private Optional<Instance> instanceIfReachable() {
        try {
            return Optional.of(timeBox.call(
                    "read this instance from the metadata service",
                    () -> context.cloud().metadata().instance()));
        } catch (StrategyException e) {
            log.log(Level.DEBUG, () -> "validate-all: no metadata service: " + e.reason());
            return Optional.empty();
        }
    }

    private static List<String> interfaceIds(Instance instance) {
        List<String> ids = new ArrayList<>();
        instance.networkInterfaces().forEach(nic -> ids.add(nic.id()));
        instance.networkAttachments().forEach(attachment -> ids.add(attachment.virtualNetworkInterfaceId()));
        return ids;
    }
}
