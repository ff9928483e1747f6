package io.vpcha.simulator.oracle;

import io.vpcha.simulator.lb.HealthChecks;
import io.vpcha.simulator.state.Behaviour;
import io.vpcha.simulator.state.FloatingIp;
import io.vpcha.simulator.state.Instance;
import io.vpcha.simulator.state.Ipv4;
import io.vpcha.simulator.state.LoadBalancer;
import io.vpcha.simulator.state.PublicAddressRange;
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
 * A next hop is not health-checked: a route to a stopped instance still sends the packet there, where
 * it is lost (the answer is dropped, naming the instance in {@link Delivery#lostAtInstanceName()}).
 * Internet traffic to a public address range enters in the range's zone and follows the VPC's
 * internet-ingress table there; traffic to a load balancer's address goes to one healthy member.
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
        Optional<PublicAddressRange> range = s.publicAddressRanges.values().stream()
                .filter(r -> r.cidr.contains(Ipv4.parse(address)))
                .findFirst();
        if (range.isPresent() && source.isIngress() && source.ingress() == TrafficSource.Ingress.INTERNET) {
            return viaPublicAddressRange(s, range.get(), address, source);
        }
        if (zone == null) {
            throw new IllegalArgumentException("a source needs a zone (only internet traffic to a public address "
                    + "range enters in the range's own zone)");
        }
        if (!s.zones().contains(zone)) {
            throw new IllegalArgumentException("unknown zone: " + zone);
        }
        Optional<LoadBalancer> loadBalancer = loadBalancerAt(s, address);
        if (loadBalancer.isPresent()) {
            return viaLoadBalancer(s, loadBalancer.get(), null, source);
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
            return reach(
                    instance,
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
        return Optional.of(reach(instance.get(), route.nextHop, via, candidatesIds, join(how, notes)));
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
        return reach(
                owner.get(),
                null,
                "subnet " + subnet.get().name,
                List.of(owner.get().id),
                join("address of " + owner.get().name + " in subnet " + subnet.get().name, notes));
    }

    /**
     * The packet reaches {@code instance}: delivered when it runs, else lost there (the cloud forwards to
     * a stopped instance all the same; nothing receives).
     */
    private static Delivery reach(Instance instance, String nextHop, String via, List<String> candidates, String how) {
        if (instance.isRunning()) {
            return Delivery.delivered(instance.id, instance.name, nextHop, via, candidates, how);
        }
        return Delivery.lost(
                instance.id,
                instance.name,
                nextHop,
                via,
                how + "; but " + instance.name + " is " + instance.status
                        + ": nothing receives (the cloud does not health-check next hops)");
    }

    // ---- public address ranges ----

    private Delivery viaPublicAddressRange(
            SimulatorState s, PublicAddressRange range, String address, TrafficSource source) {
        String what = "public address range " + range.name + " (" + range.cidr + ")";
        if (!range.isBound()) {
            return Delivery.dropped(what + " is not bound to a VPC");
        }
        Vpc vpc = s.vpcs.get(range.vpcId);
        if (source.vpc() != null
                && SimulatorState.byIdOrName(s.vpcs, source.vpc())
                        .map(v -> !v.id.equals(vpc.id))
                        .orElse(true)) {
            return Delivery.dropped(what + " is bound to VPC " + vpc.name + ", not " + source.vpc());
        }
        if ("updating".equals(range.lifecycleState) && behaviour.publicAddressRangeDropsWhileUpdating) {
            return Delivery.dropped(what + " is updating (being bound or moved to " + range.zone + ")");
        }
        List<String> notes = new ArrayList<>();
        if (source.zone() != null && !source.zone().equals(range.zone)) {
            notes.add("internet traffic to the range enters in its zone " + range.zone + ", not " + source.zone());
        }
        RoutingTable table = ingressTable(s, vpc, TrafficSource.Ingress.INTERNET);
        if (table == null) {
            return Delivery.dropped(
                    join(what + ": VPC " + vpc.name + " has no routing table with internet ingress", notes));
        }
        int target = Ipv4.parse(address);
        table.routes.values().stream()
                .filter(route -> route.destination.contains(target) && !route.zone.equals(range.zone))
                .forEach(route -> notes.add(
                        "route " + route.name + " is in zone " + route.zone + ", not the range's zone " + range.zone));
        TrafficSource entering = TrafficSource.ingress(TrafficSource.Ingress.INTERNET, range.zone)
                .inVpc(vpc.id);
        Optional<Delivery> routed = viaRoutes(s, vpc, table, address, range.zone, entering, notes);
        return routed.orElseGet(() -> Delivery.dropped(join(
                what + " is bound to " + range.zone + " but " + table.name + " has no effective route for " + address
                        + " in that zone",
                notes)));
    }

    // ---- load balancers ----

    private static Optional<LoadBalancer> loadBalancerAt(SimulatorState s, String address) {
        return s.loadBalancers.values().stream()
                .filter(lb -> lb.publicAddresses.contains(address)
                        || lb.privateIpIds.stream()
                                .map(s.reservedIps::get)
                                .anyMatch(ip -> ip != null && ip.address.equals(address)))
                .findFirst();
    }

    /**
     * Where traffic to a load balancer goes: to one member of the pool ({@code pool} id or name; default
     * the first listener's default pool, else the first pool) that is healthy, has a weight above zero
     * (weighted round robin) and whose instance runs; the flow hash picks one, all are candidates.
     */
    public Delivery deliverToLoadBalancer(String loadBalancer, String pool, TrafficSource source) {
        Objects.requireNonNull(loadBalancer, "loadBalancer is null");
        return state.read(s -> {
            LoadBalancer lb = SimulatorState.byIdOrName(s.loadBalancers, loadBalancer)
                    .orElseThrow(() -> new IllegalArgumentException("unknown load balancer: " + loadBalancer));
            return viaLoadBalancer(s, lb, pool, source);
        });
    }

    private static Delivery viaLoadBalancer(SimulatorState s, LoadBalancer lb, String poolName, TrafficSource source) {
        String what = "load balancer " + lb.name;
        if (lb.failed || !"online".equals(lb.operatingStatus)) {
            return Delivery.dropped(what + " is " + (lb.failed ? "failed" : lb.operatingStatus));
        }
        LoadBalancer.Pool pool;
        if (poolName != null) {
            pool = lb.pools.values().stream()
                    .filter(p -> p.id.equals(poolName) || p.name.equals(poolName))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(what + " has no pool " + poolName));
        } else {
            pool = lb.listeners.stream()
                    .map(listener -> listener.defaultPoolId == null ? null : lb.pools.get(listener.defaultPoolId))
                    .filter(Objects::nonNull)
                    .findFirst()
                    .orElse(lb.pools.values().stream().findFirst().orElse(null));
        }
        if (pool == null) {
            return Delivery.dropped(what + " has no pool");
        }
        String via = what + " pool " + pool.name;
        boolean weighted = "weighted_round_robin".equals(pool.algorithm);
        List<String> skipped = new ArrayList<>();
        List<Instance> eligible = new ArrayList<>();
        for (LoadBalancer.Member member : pool.members.values()) {
            Instance instance = HealthChecks.memberInstance(s, member);
            String name = instance != null ? instance.name : member.targetAddress;
            if (instance == null) {
                skipped.add(name + " is no instance");
            } else if (!"ok".equals(member.health)) {
                skipped.add(name + " health " + member.health);
            } else if (weighted && member.weight == 0) {
                skipped.add(name + " weight 0");
            } else if (!instance.isRunning()) {
                skipped.add(name + " is " + instance.status);
            } else if (!eligible.contains(instance)) {
                eligible.add(instance);
            }
        }
        String notes = skipped.isEmpty() ? "" : " (" + String.join("; ", skipped) + ")";
        if (eligible.isEmpty()) {
            return Delivery.dropped(via + ": no member is healthy with a weight above zero" + notes);
        }
        int chosen = Math.floorMod((lb.id + "|" + source).hashCode(), eligible.size());
        List<String> candidates = new ArrayList<>();
        candidates.add(eligible.get(chosen).id);
        eligible.stream().map(i -> i.id).filter(id -> !candidates.contains(id)).forEach(candidates::add);
        Instance instance = eligible.get(chosen);
        return Delivery.delivered(
                instance.id,
                instance.name,
                null,
                via,
                candidates,
                via + " to member " + instance.name + (eligible.size() > 1 ? " (of " + eligible.size() + ")" : "")
                        + notes);
    }

    private static String join(String message, List<String> notes) {
        return notes.isEmpty() ? message : message + " (" + String.join("; ", notes) + ")";
    }
}
