package io.vpcha.strategy.customroute;

import static io.vpcha.strategy.customroute.CustomRouteStrategyProvider.EXT_IP_1;
import static io.vpcha.strategy.customroute.CustomRouteStrategyProvider.EXT_IP_2;
import static io.vpcha.strategy.customroute.CustomRouteStrategyProvider.INTERFACE;
import static io.vpcha.strategy.customroute.CustomRouteStrategyProvider.MANAGE_LOCAL_IP;
import static io.vpcha.strategy.customroute.CustomRouteStrategyProvider.MONITOR_GRACE;
import static io.vpcha.strategy.customroute.CustomRouteStrategyProvider.NEXT_HOP;
import static io.vpcha.strategy.customroute.CustomRouteStrategyProvider.NODE_IPS;
import static io.vpcha.strategy.customroute.CustomRouteStrategyProvider.NODE_ZONES;
import static io.vpcha.strategy.customroute.CustomRouteStrategyProvider.PARALLELISM;
import static io.vpcha.strategy.customroute.CustomRouteStrategyProvider.ROUTING_TABLES;
import static io.vpcha.strategy.customroute.CustomRouteStrategyProvider.VIP;
import static io.vpcha.strategy.customroute.CustomRouteStrategyProvider.VPC_ID;
import static java.util.Objects.requireNonNull;

import io.vpcha.spi.Ipv4;
import io.vpcha.spi.ParameterValues;
import io.vpcha.spi.StrategyException;
import io.vpcha.toolkit.net.LocalAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A custom-route resource's configuration, checked together.
 *
 * @param destination the VIP's route destination (a /32 for an address); empty when the routes are
 *     found by next hop instead (ext_ip_1/ext_ip_2 or node_ips without vip)
 * @param clusterAddresses the next hops of all cluster nodes, when known (node_ips, ext_ip_1/2)
 */
record CustomRouteConfig(
        Optional<String> destination,
        List<String> routingTables,
        Optional<String> vpcId,
        Optional<String> nextHop,
        Map<String, String> nodeIps,
        Map<String, String> nodeZones,
        Set<String> clusterAddresses,
        boolean manageLocalIp,
        String interfaceName,
        Duration monitorGrace,
        int parallelism) {

    CustomRouteConfig {
        requireNonNull(destination, "destination is null");
        routingTables = List.copyOf(routingTables);
        requireNonNull(vpcId, "vpcId is null");
        requireNonNull(nextHop, "nextHop is null");
        nodeIps = Map.copyOf(nodeIps);
        nodeZones = Map.copyOf(nodeZones);
        clusterAddresses = Set.copyOf(clusterAddresses);
        requireNonNull(interfaceName, "interfaceName is null");
        requireNonNull(monitorGrace, "monitorGrace is null");
    }

    static CustomRouteConfig from(ParameterValues values) throws StrategyException {
        List<String> problems = new ArrayList<>();
        Optional<String> destination = values.string(VIP).map(vip -> vip.contains("/") ? vip : vip + "/32");
        Map<String, String> nodeIps = values.map(NODE_IPS);
        nodeIps.forEach((node, ip) -> {
            if (!Ipv4.isAddress(ip)) {
                problems.add(NODE_IPS + ": '" + ip + "' of node " + node + " is not an IPv4 address");
            }
        });
        Set<String> cluster = new LinkedHashSet<>(nodeIps.values());
        values.string(EXT_IP_1).ifPresent(cluster::add);
        values.string(EXT_IP_2).ifPresent(cluster::add);
        if (values.isExplicit(EXT_IP_1) != values.isExplicit(EXT_IP_2)) {
            problems.add("set both " + EXT_IP_1 + " and " + EXT_IP_2 + ", or neither");
        }
        if (destination.isEmpty() && cluster.size() < 2) {
            problems.add(VIP + ": required (or name the nodes with " + EXT_IP_1 + " and " + EXT_IP_2 + ", or "
                    + NODE_IPS + ")");
        }
        values.string(VPC_ID)
                .filter(String::isBlank)
                .ifPresent(blank -> problems.add(
                        VPC_ID + ": empty; set the VPC's id, or remove " + VPC_ID + " to use this instance's VPC"));
        String interfaceName = values.require(INTERFACE);
        if (!LocalAddress.isInterfaceName(interfaceName)) {
            problems.add(INTERFACE + ": '" + interfaceName + "' is not an interface name");
        }
        boolean manageLocalIp = values.flag(MANAGE_LOCAL_IP);
        if (manageLocalIp && destination.isPresent() && !destination.get().endsWith("/32")) {
            problems.add(MANAGE_LOCAL_IP + ": only a single address (/32) can be added locally, not "
                    + destination.get() + "; set manage_local_ip=false");
        }
        // their ranges are declared and checked by the host before any action
        long grace = values.integer(MONITOR_GRACE).orElseThrow();
        long parallelism = values.integer(PARALLELISM).orElseThrow();
        if (!problems.isEmpty()) {
            throw StrategyException.notConfigured(String.join("; ", problems));
        }
        return new CustomRouteConfig(
                destination,
                values.list(ROUTING_TABLES),
                values.string(VPC_ID),
                values.string(NEXT_HOP),
                nodeIps,
                values.map(NODE_ZONES),
                cluster,
                manageLocalIp && destination.isPresent(),
                interfaceName,
                Duration.ofSeconds(grace),
                (int) parallelism);
    }

    /** The single local address to manage: the VIP of a /32 destination. */
    Optional<String> localAddress() {
        return manageLocalIp ? destination.map(d -> d.substring(0, d.indexOf('/'))) : Optional.empty();
    }
}
