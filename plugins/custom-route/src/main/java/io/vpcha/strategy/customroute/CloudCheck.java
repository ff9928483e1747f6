package io.vpcha.strategy.customroute;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.Instance;
import io.vpcha.spi.cloud.InstanceMetadata;
import io.vpcha.spi.cloud.NetworkAttachment;
import io.vpcha.spi.cloud.NetworkInterface;
import io.vpcha.spi.cloud.VirtualNetworkInterface;
import io.vpcha.spi.cloud.VpcApi;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * validate-all at level 10, with read calls only: every VIP route can be changed (none belongs to a
 * service), and this node's next-hop interface allows IP spoofing, which a route's next hop needs.
 */
final class CloudCheck {
    private final InstanceMetadata metadata;
    private final VpcApi vpc;

    CloudCheck(InstanceMetadata metadata, VpcApi vpc) {
        this.metadata = requireNonNull(metadata, "metadata is null");
        this.vpc = requireNonNull(vpc, "vpc is null");
    }

    /** What stands in the way of a start with {@code nextHop} over {@code tables}; empty when nothing. */
    List<String> problems(Collection<TableRoutes> tables, String nextHop) throws StrategyException {
        List<String> problems = new ArrayList<>();
        for (TableRoutes table : tables) {
            table.vipRoutes().stream()
                    .filter(route -> !route.isUserRoute())
                    .forEach(route -> problems.add("route " + route.name() + " of "
                            + table.table().name() + " belongs to a service and cannot be moved"));
        }
        spoofingProblem(nextHop).ifPresent(problems::add);
        return problems;
    }

    /** Whether this node's interface with address {@code nextHop} allows IP spoofing. */
    private Optional<String> spoofingProblem(String nextHop) throws StrategyException {
        Instance instance = metadata.instance();
        for (NetworkInterface nic : instance.networkInterfaces()) {
            if (nic.primaryAddress().equals(nextHop)) {
                boolean allowed = nic.allowIpSpoofing().isPresent()
                        ? nic.allowIpSpoofing().get()
                        : vpc.getNetworkInterface(instance.id(), nic.id())
                                .allowIpSpoofing()
                                .orElse(false);
                return allowed
                        ? Optional.empty()
                        : Optional.of("network interface " + nic.name() + " (" + nextHop
                                + ") does not allow IP spoofing; enable allow_ip_spoofing on it");
            }
        }
        for (NetworkAttachment attachment : instance.networkAttachments()) {
            if (attachment.primaryAddress().equals(nextHop)) {
                VirtualNetworkInterface vni = vpc.getVirtualNetworkInterface(attachment.virtualNetworkInterfaceId());
                return vni.allowIpSpoofing()
                        ? Optional.empty()
                        : Optional.of("virtual network interface " + vni.name() + " (" + nextHop
                                + ") does not allow IP spoofing; enable allow_ip_spoofing on it");
            }
        }
        return Optional.of("next hop " + nextHop + " is not an address of this instance");
    }
}
