package io.vpcha.simulator.oracle;

import io.vpcha.simulator.state.Behaviour;
import io.vpcha.simulator.state.FloatingIp;
import io.vpcha.simulator.state.Instance;
import io.vpcha.simulator.state.Ipv4;
import io.vpcha.simulator.state.ReservedIp;
import io.vpcha.simulator.state.Route;
import io.vpcha.simulator.state.RoutingTable;
import io.vpcha.simulator.state.SimulatorState;
import io.vpcha.simulator.state.Subnet;
import io.vpcha.simulator.state.Vpc;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Ground truth for "where does a packet to X go": applies floating-IP bindings, then the routing table
 * that governs the source (a subnet's egress table, or the VPC's ingress table for that ingress kind),
 * then the VPC's own subnet routes. Rules applied:
 * <ul>
 *   <li>only routes whose {@code zone} is the zone where the packet enters (egress routes are scoped to
 *       the source zone, ingress routes to the zone of entry);</li>
 *   <li>in an ingress table a deliver route is effective only when its next hop lies in a subnet of the
 *       route's own zone; ineffective routes are skipped;</li>
 *   <li>longest prefix wins, then the lowest priority value;</li>
 *   <li>equal deliver routes (ECMP) share the traffic: the flow hash picks one, all are reported;</li>
 *   <li>drop routes drop, delegate routes fall through to the VPC's system routes.</li>
 * </ul>
 * A next hop is not health-checked: a route to a stopped instance still delivers there.
 */
public final class ForwardingOracle {
    private final SimulatorState state;
    private final Behaviour behaviour;

    public ForwardingOracle(SimulatorState state, Behaviour behaviour) {
        this.state = Objects.requireNonNull(state, "state is null");
        this.behaviour = Objects.requireNonNull(behaviour, "behaviour is null");
    }

    /** Where a packet to {@code address} entering from {@code source} is delivered. */
    public Delivery deliver(String address, TrafficSource source) {
        Objects.requireNonNull(source, "source is null");
        if (!Ipv4.isValid(address)) {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        return state.read(s -> decide(s, address, source));
    }

    private Delivery decide(SimulatorState s, String address, TrafficSource source) {
        Subnet sourceSubnet = null;
        Vpc vpc;
        String zone = source.zone();
        if (source.subnet() != null) {
            sourceSubnet = SimulatorState.byIdOrName(s.subnets, source.subnet())
                    .orElseThrow(() -> new IllegalArgumentException("unknown subnet: " + source.subnet()));
            vpc = s.vpcs.get(sourceSubnet.vpcId);
            zone = sourceSubnet.zone;
        } else if (source.vpc() != null) {
            vpc = SimulatorState.byIdOrName(s.vpcs, source.vpc())
                    .orElseThrow(() -> new IllegalArgumentException("unknown VPC: " + source.vpc()));
        } else {
            vpc = s.vpcs.values().stream()
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("the simulation has no VPC"));
        }
        if (!s.zones().contains(zone)) {
            throw new IllegalArgumentException("unknown zone: " + zone);
        }

        Optional<FloatingIp> floatingIp = s.floatingIps.values().stream()
                .filter(fip -> fip.address.equals(address))
                .findFirst();
        if (floatingIp.isPresent()) {
            FloatingIp fip = floatingIp.get();
            if (fip.targetId == null) {
                return Delivery.dropped("floating IP " + address + " (" + fip.name + ") is not bound to any interface");
            }
            Instance instance = s.instanceOfInterface(fip.targetId).orElse(null);
            if (instance == null) {
                return Delivery.dropped("floating IP " + address + " is bound to an interface without an instance");
            }
            return Delivery.delivered(
                    instance.id,
                    instance.name,
                    null,
                    "floating IP " + address + " (" + fip.name + ")",
                    List.of(instance.id),
                    "floating IP bound to " + instance.name);
        }

        RoutingTable table;
        if (source.isIngress()) {
            table = ingressTable(s, vpc, source.ingress());
        } else {
            if (sourceSubnet == null) {
                String z = zone;
                sourceSubnet = s.subnets.values().stream()
                        .filter(subnet -> subnet.vpcId.equals(vpc.id) && subnet.zone.equals(z))
                        .min(Comparator.comparingLong(subnet -> subnet.sequence))
                        .orElse(null);
            }
            String tableId = sourceSubnet != null && sourceSubnet.routingTableId != null
                    ? sourceSubnet.routingTableId
                    : vpc.defaultRoutingTableId;
            table = s.routingTables.get(tableId);
        }

        List<String> notes = new ArrayList<>();
        if (table != null) {
            Optional<Delivery> routed = viaRoutes(s, vpc, table, address, zone, source, notes);
            if (routed.isPresent()) {
                return routed.get();
            }
        }
        if (source.isIngress() && source.ingress() == TrafficSource.Ingress.INTERNET) {
            return Delivery.dropped(
                    join("address " + address + " is not reachable from the internet without a floating IP", notes));
        }
        return systemRoute(s, vpc, address, notes);
    }

    private static RoutingTable ingressTable(SimulatorState s, Vpc vpc, TrafficSource.Ingress ingress) {
        return s.routingTables.values().stream()
                .filter(table -> table.vpcId.equals(vpc.id))
                .filter(table -> switch (ingress) {
                    case TRANSIT_GATEWAY -> table.routeTransitGatewayIngress;
                    case DIRECT_LINK -> table.routeDirectLinkIngress;
                    case INTERNET -> table.routeInternetIngress;
                    case VPC_ZONE -> table.routeVpcZoneIngress;
                })
                .findFirst()
                .orElse(null);
    }

    private Optional<Delivery> viaRoutes(
            SimulatorState s,
            Vpc vpc,
            RoutingTable table,
            String address,
            String zone,
            TrafficSource source,
            List<String> notes) {
        int target = Ipv4.parse(address);
        List<Route> candidates = new ArrayList<>();
        for (Route route : table.routes.values()) {
            if (!route.zone.equals(zone) || !route.destination.contains(target)) {
                continue;
            }
            if (source.isIngress() && "deliver".equals(route.action)) {
                String hopZone = route.nextHop == null
                        ? null
                        : s.subnetContaining(vpc.id, route.nextHop)
                                .map(subnet -> subnet.zone)
                                .orElse(null);
                if (!zone.equals(hopZone)) {
                    notes.add("ingress route " + route.name + " ignored: next hop " + route.nextHop
                            + (hopZone == null
                                    ? " is in no subnet of the VPC"
                                    : " is in zone " + hopZone + ", not " + zone));
                    continue;
                }
            }
            candidates.add(route);
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        int longest = candidates.stream()
                .mapToInt(route -> route.destination.prefixLength())
                .max()
                .orElseThrow();
        int best = candidates.stream()
                .filter(route -> route.destination.prefixLength() == longest)
                .mapToInt(route -> route.priority)
                .min()
                .orElseThrow();
        List<Route> winners = candidates.stream()
                .filter(route -> route.destination.prefixLength() == longest && route.priority == best)
                .sorted(Comparator.comparingLong(route -> route.sequence))
                .toList();
        List<Route> deliver =
                winners.stream().filter(route -> "deliver".equals(route.action)).toList();
        if (deliver.isEmpty()) {
            Route route = winners.get(0);
            if ("drop".equals(route.action)) {
                return Optional.of(Delivery.dropped(
                        join("route " + route.name + " in " + table.name + " drops " + route.destination, notes)));
            }
            notes.add("route " + route.name + " delegates to the VPC's system routes");
            return Optional.empty();
        }
        int chosen = Math.floorMod((address + "|" + source).hashCode(), deliver.size());
        List<Route> ordered = new ArrayList<>();
        ordered.add(deliver.get(chosen));
        for (int i = 0; i < deliver.size(); i++) {
            if (i != chosen) {
                ordered.add(deliver.get(i));
            }
        }
        List<String> candidatesIds = new ArrayList<>();
        for (Route route : ordered) {
            resolveHop(s, vpc, route.nextHop).ifPresent(instance -> {
                if (!candidatesIds.contains(instance.id)) {
                    candidatesIds.add(instance.id);
                }
            });
        }
        Route route = ordered.get(0);
        String via = "route " + route.name + " in " + table.name;
        if (route.nextHop == null || route.nextHop.startsWith("vpn:")) {
            return Optional.of(
                    Delivery.dropped(join(via + " delivers to a VPN connection, outside the simulation", notes)));
        }
        Optional<ReservedIp> hopIp =
                s.reservedIpByAddress(vpc.id, route.nextHop).filter(ip -> ip.targetId != null);
        Optional<Instance> instance = hopIp.flatMap(ip -> s.instanceOfInterface(ip.targetId));
        if (instance.isEmpty()) {
            return Optional.of(Delivery.dropped(
                    join(via + ": next hop " + route.nextHop + " is not an address of any instance", notes)));
        }
        if (behaviour.nextHopRequiresIpSpoofing && !s.interfaceAllowsIpSpoofing(hopIp.get().targetId)) {
            return Optional.of(Delivery.dropped(join(
                    via + ": next hop " + route.nextHop + " on " + instance.get().name + " does not allow IP spoofing",
                    notes)));
        }
        String how = (deliver.size() > 1 ? "ECMP over " + deliver.size() + " routes; " : "") + via + " to next hop "
                + route.nextHop;
        if (!"running".equals(instance.get().status)) {
            how += " (instance is " + instance.get().status + ": the cloud does not health-check next hops)";
        }
        return Optional.of(Delivery.delivered(
                instance.get().id, instance.get().name, route.nextHop, via, candidatesIds, join(how, notes)));
    }

    private static Optional<Instance> resolveHop(SimulatorState s, Vpc vpc, String nextHop) {
        if (nextHop == null || nextHop.startsWith("vpn:")) {
            return Optional.empty();
        }
        return s.reservedIpByAddress(vpc.id, nextHop)
                .filter(ip -> ip.targetId != null)
                .flatMap(ip -> s.instanceOfInterface(ip.targetId));
    }

    private static Delivery systemRoute(SimulatorState s, Vpc vpc, String address, List<String> notes) {
        Optional<Subnet> subnet = s.subnetContaining(vpc.id, address);
        if (subnet.isEmpty()) {
            return Delivery.dropped(join("no route to " + address, notes));
        }
        Optional<Instance> owner = s.reservedIpByAddress(vpc.id, address)
                .filter(ip -> ip.targetId != null)
                .flatMap(ip -> s.instanceOfInterface(ip.targetId));
        if (owner.isEmpty()) {
            return Delivery.dropped(join("no instance holds " + address + " in subnet " + subnet.get().name, notes));
        }
        return Delivery.delivered(
                owner.get().id,
                owner.get().name,
                null,
                "subnet " + subnet.get().name,
                List.of(owner.get().id),
                join("address of " + owner.get().name + " in subnet " + subnet.get().name, notes));
    }

    private static String join(String message, List<String> notes) {
        return notes.isEmpty() ? message : message + " (" + String.join("; ", notes) + ")";
    }
}
