package io.vpcha.strategy.customroute;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.CheckLevel;
import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.FailoverStrategy;
import io.vpcha.spi.MonitorRequest;
import io.vpcha.spi.MonitorResult;
import io.vpcha.spi.Readiness;
import io.vpcha.spi.ReadinessProblem;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.Route;
import io.vpcha.spi.cloud.RoutingTable;
import io.vpcha.spi.cloud.VpcApi;
import io.vpcha.strategy.customroute.RouteCache.CachedTable;
import io.vpcha.toolkit.net.LocalAddress;
import io.vpcha.toolkit.route.RouteMover;
import io.vpcha.toolkit.state.StateStore;
import io.vpcha.toolkit.time.MonitorGrace;
import io.vpcha.toolkit.time.Settle;
import io.vpcha.toolkit.time.TimeBox;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Makes every route for the VIP in the selected routing tables deliver to this node.
 *
 * <p>start discovers the VIP's routes (or takes them from the cache), converges each table in
 * parallel, reads the result back, then adds the VIP locally and leaves a marker. monitor checks the
 * marker, the local VIP and the remembered routes with one request per table; API trouble never makes
 * it report a healthy resource as stopped. stop only touches this node: the VIP and the marker.
 */
final class CustomRouteStrategy implements FailoverStrategy {
    /** How long start keeps reading back a change that the API does not show yet. */
    private static final Duration MAX_VERIFY = Duration.ofSeconds(20);
    /** The API's default page size, by which a table's routes are listed. */
    private static final int DEFAULT_PAGE = 50;

    private final CustomRouteConfig config;
    private final StrategyContext context;
    private final NodeIdentity identity;
    private final StateStore state;

    CustomRouteStrategy(CustomRouteConfig config, StrategyContext context) {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        this.identity = new NodeIdentity(config, context);
        this.state = StateStore.of(context);
    }

    // ---------------------------------------------------------------- start

    @Override
    public void start() throws StrategyException {
        Optional<LocalAddress> local = localAddress();
        if (local.isPresent() && !local.get().interfaceExists()) {
            // checked before any route moves: traffic must not be sent to a node that cannot take it
            throw StrategyException.notConfigured("interface " + config.interfaceName()
                    + " does not exist on this node; set interface to one that does, or manage_local_ip=false");
        }
        if (config.destination().isEmpty() && !config.clusterAddresses().isEmpty()) {
            context.logger()
                    .log(
                            Level.WARNING,
                            "no vip: managing the routes whose next hop is a cluster node (the "
                                    + "behaviour of ibm-cloud-vpc-cr-vip); set vip to manage exactly the VIP's routes");
        }
        String nextHop = identity.nextHop();
        String vpcId = identity.vpcId();
        Optional<RouteCache> cache = RouteCache.from(state.read(RouteCache.RECORD), cacheKey())
                .filter(cached ->
                        cached.vpcId().equals(vpcId) && cached.nextHop().equals(nextHop));
        Map<String, TableRoutes> tables = discover(vpcId, cache);
        Optional<String> zone = tables.values().stream().anyMatch(TableRoutes::ingress)
                ? Optional.of(cache.flatMap(RouteCache::zone).orElse(identity.zone()))
                : Optional.empty();

        RouteMover mover = new RouteMover(context.cloud().vpc(), vpcId, context.logger());
        List<Parallel.Outcome<TableRoutes, TableRoutes>> outcomes = Parallel.forEach(
                List.copyOf(tables.values()), config.parallelism(), table -> converge(mover, table, nextHop, zone));
        failIfAny(outcomes, "routes not moved to " + nextHop);
        Map<String, TableRoutes> converged = new LinkedHashMap<>();
        outcomes.forEach(outcome -> converged.put(outcome.item().table().id(), outcome.result()));
        // what start changed is read back; a start that changed nothing has just read it
        Map<String, TableRoutes> verified = mover.writes() > 0 ? verify(vpcId, converged, nextHop, zone) : converged;
        context.logger()
                .log(
                        Level.INFO,
                        "routes for " + describeVip() + " deliver to " + nextHop + " in " + verified.size()
                                + " routing table(s), " + mover.writes() + " change(s)");

        state.write(
                RouteCache.RECORD, new RouteCache(cacheKey(), vpcId, nextHop, zone, cacheTables(verified)).toRecord());
        state.verifiedNow();
        if (local.isPresent()) {
            local.get().add();
        }
        state.markStarted();
    }

    /** The VIP's routes in each selected table, by table id. */
    private Map<String, TableRoutes> discover(String vpcId, Optional<RouteCache> cache) throws StrategyException {
        VpcApi vpc = context.cloud().vpc();
        List<TableRef> candidates = new ArrayList<>();
        if (cache.isPresent() && !cache.get().tables().isEmpty()) {
            cache.get().tables().forEach((id, table) -> candidates.add(new TableRef(id, id, table.ingress())));
        } else {
            List<RoutingTable> all = vpc.listRoutingTables(vpcId);
            List<RoutingTable> selected = selectTables(all);
            selected.forEach(table -> candidates.add(new TableRef(table.id(), table.name(), table.isIngress())));
        }
        List<Parallel.Outcome<TableRef, TableRoutes>> outcomes =
                Parallel.forEach(candidates, config.parallelism(), ref -> {
                    List<Route> routes = vpc.listRoutes(vpcId, ref.id());
                    return new TableRoutes(
                            ref, routes.stream().filter(this::isVipRoute).toList(), routes.size());
                });
        List<Parallel.Outcome<TableRef, TableRoutes>> failed =
                outcomes.stream().filter(Parallel.Outcome::failed).toList();
        if (!failed.isEmpty() && cache.isPresent()) {
            // a cached table may be gone: start over from the full list once
            context.logger().log(Level.INFO, "cached routing tables changed; discovering again");
            return discover(vpcId, Optional.empty());
        }
        failIfAny(outcomes, "cannot read routing tables");
        Map<String, TableRoutes> tables = new LinkedHashMap<>();
        outcomes.stream()
                .map(Parallel.Outcome::result)
                .filter(table ->
                        !table.vipRoutes().isEmpty() || !config.routingTables().isEmpty())
                .forEach(table -> tables.put(table.table().id(), table));
        List<String> withoutRoutes = tables.values().stream()
                .filter(table -> table.vipRoutes().isEmpty())
                .map(table -> table.table().name())
                .toList();
        if (!withoutRoutes.isEmpty()) {
            throw StrategyException.notConfigured("routing table " + String.join(", ", withoutRoutes)
                    + " has no route for " + describeVip() + "; create one per client zone");
        }
        if (tables.isEmpty()) {
            if (cache.isPresent()) {
                return discover(vpcId, Optional.empty());
            }
            throw StrategyException.notConfigured("no routing table of VPC " + vpcId + " has a route for "
                    + describeVip() + "; create the routes (one per client zone in egress tables, one in ingress "
                    + "tables) before starting");
        }
        return tables;
    }

    private List<RoutingTable> selectTables(List<RoutingTable> all) throws StrategyException {
        if (config.routingTables().isEmpty()) {
            return all;
        }
        List<RoutingTable> selected = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String wanted : config.routingTables()) {
            all.stream()
                    .filter(table -> table.id().equals(wanted) || table.name().equals(wanted))
                    .findFirst()
                    .ifPresentOrElse(selected::add, () -> unknown.add(wanted));
        }
        if (!unknown.isEmpty()) {
            throw StrategyException.notConfigured("routing_tables: no routing table " + String.join(", ", unknown)
                    + " in the VPC (it has "
                    + all.stream().map(RoutingTable::name).collect(Collectors.joining(", "))
                    + ")");
        }
        return selected;
    }

    /**
     * Makes one table's VIP routes deliver to {@code nextHop}: in place in an egress table; in an
     * ingress table, in this node's zone ({@link RouteMover#intoZone}).
     */
    private TableRoutes converge(RouteMover mover, TableRoutes table, String nextHop, Optional<String> zone)
            throws StrategyException {
        RouteMover.Table where =
                new RouteMover.Table(table.table().id(), table.table().name());
        if (table.ingress()) {
            return table.with(mover.intoZone(where, table.vipRoutes(), zone.orElseThrow(), nextHop));
        }
        List<Route> result = new ArrayList<>();
        for (Route route : table.vipRoutes()) {
            result.add(mover.pointAt(where, route, nextHop));
        }
        return table.with(result);
    }

    /**
     * Reads every changed table back until its VIP routes all deliver here: route PATCHes have no
     * optimistic locking, so another node may have written after this one, and a change may take a
     * moment to show.
     */
    private Map<String, TableRoutes> verify(
            String vpcId, Map<String, TableRoutes> tables, String nextHop, Optional<String> zone)
            throws StrategyException {
        VpcApi vpc = context.cloud().vpc();
        Instant latest = context.clock().instant().plus(MAX_VERIFY);
        TimeBox timeBox =
                new TimeBox(latest.isBefore(context.deadline()) ? latest : context.deadline(), context.clock());
        Map<String, TableRoutes> seen = Settle.within(timeBox)
                .until(
                        "read back the routes",
                        () -> {
                            List<Parallel.Outcome<TableRoutes, TableRoutes>> outcomes =
                                    Parallel.forEach(List.copyOf(tables.values()), config.parallelism(), table -> {
                                        List<Route> routes = vpc.listRoutes(
                                                vpcId, table.table().id());
                                        return new TableRoutes(
                                                table.table(),
                                                routes.stream()
                                                        .filter(this::isVipRoute)
                                                        .toList(),
                                                routes.size());
                                    });
                            failIfAny(outcomes, "cannot read back the routes");
                            Map<String, TableRoutes> read = new LinkedHashMap<>();
                            outcomes.forEach(
                                    outcome -> read.put(outcome.result().table().id(), outcome.result()));
                            return read;
                        },
                        read -> read.values().stream()
                                .allMatch(table ->
                                        misdirected(table, nextHop, zone).isEmpty()),
                        (lastSeen, lastFailure) -> {
                            List<String> wrong = new ArrayList<>();
                            lastSeen.ifPresent(read ->
                                    read.values().forEach(table -> wrong.addAll(misdirected(table, nextHop, zone))));
                            lastFailure.ifPresent(failure -> wrong.add("the last read failed: " + failure.reason()));
                            return StrategyException.generic("after the change, " + String.join("; ", wrong)
                                    + " (another node may have moved it)");
                        });
        return seen;
    }

    /** Why routes of {@code table} do not deliver here; empty when they all do. */
    private List<String> misdirected(TableRoutes table, String nextHop, Optional<String> zone) {
        List<String> wrong = new ArrayList<>();
        if (table.vipRoutes().isEmpty()) {
            wrong.add("routing table " + table.table().name() + " has no route for " + describeVip());
        }
        for (Route route : table.vipRoutes()) {
            if (!route.nextHopAddress().equals(Optional.of(nextHop))) {
                wrong.add("route " + route.name() + " in " + table.table().name() + " delivers to "
                        + route.nextHopAddress().orElse("no address") + ", not " + nextHop);
            } else if (table.ingress() && zone.isPresent() && !route.zone().equals(zone.get())) {
                wrong.add("ingress route " + route.name() + " in "
                        + table.table().name() + " is in zone " + route.zone() + ", not " + zone.get());
            }
        }
        return wrong;
    }

    // ---------------------------------------------------------------- readiness

    /**
     * The passive node's proof: the VIP's interface exists here, this node's next hop and VPC are
     * known, and the VIP's routes are visible (one list per remembered table; every table the first
     * time). What was found is remembered as start's route cache, so a promotion reads only the
     * remembered tables and goes to its writes. Nothing is changed.
     */
    @Override
    public Readiness readiness() throws StrategyException {
        Optional<LocalAddress> local = localAddress();
        if (local.isPresent() && !local.get().interfaceExists()) {
            return Readiness.notReady(
                    ReadinessProblem.LOCAL, "interface " + config.interfaceName() + " does not exist on this node");
        }
        String nextHop;
        String vpcId;
        try {
            nextHop = identity.nextHop();
            vpcId = identity.vpcId();
        } catch (CloudException e) {
            return Readiness.notReady(ReadinessProblem.METADATA, e.reason());
        } catch (StrategyException e) {
            return Readiness.notReady(ReadinessProblem.IDENTITY, e.reason());
        }
        Optional<RouteCache> cache = RouteCache.from(state.read(RouteCache.RECORD), cacheKey())
                .filter(cached ->
                        cached.vpcId().equals(vpcId) && cached.nextHop().equals(nextHop));
        Map<String, TableRoutes> tables;
        try {
            tables = discover(vpcId, cache);
        } catch (StrategyException e) {
            if (!(e instanceof CloudException) && e.kind() == ErrorKind.NOT_CONFIGURED) {
                return Readiness.notReady(ReadinessProblem.TARGET, e.reason());
            }
            throw e;
        }
        Optional<String> zone = tables.values().stream().anyMatch(TableRoutes::ingress)
                ? Optional.of(cache.flatMap(RouteCache::zone).orElse(identity.zone()))
                : Optional.empty();
        RouteCache found = new RouteCache(cacheKey(), vpcId, nextHop, zone, cacheTables(tables));
        if (!cache.equals(Optional.of(found))) {
            state.write(RouteCache.RECORD, found.toRecord());
        }
        List<String> services = new ArrayList<>();
        tables.values()
                .forEach(table -> table.vipRoutes().stream()
                        .filter(route -> !route.isUserRoute())
                        .forEach(route -> services.add(
                                "route " + route.name() + " of " + table.table().name() + " belongs to a service")));
        if (!services.isEmpty()) {
            return Readiness.notReady(
                    ReadinessProblem.CONFIGURATION, String.join("; ", services) + " and cannot be moved");
        }
        return Readiness.ready();
    }

    // ---------------------------------------------------------------- monitor

    @Override
    public MonitorResult monitor(MonitorRequest request) throws StrategyException {
        if (!state.isStarted()) {
            return MonitorResult.notRunning("not started on this node");
        }
        Optional<LocalAddress> local = localAddress();
        if (local.isPresent() && !local.get().isPresent()) {
            return MonitorResult.notRunning(
                    config.localAddress().orElseThrow() + " is not on " + config.interfaceName());
        }
        Optional<RouteCache> cached = RouteCache.from(state.read(RouteCache.RECORD), cacheKey());
        if (cached.isEmpty()) {
            return MonitorResult.notRunning("no record of the routes this node manages; start again");
        }
        RouteCache cache = cached.get();
        VpcApi vpc = context.cloud().vpc();
        List<TableRoutes> tables = new ArrayList<>();
        cache.tables()
                .forEach((id, table) -> tables.add(
                        new TableRoutes(new TableRef(id, id, table.ingress()), List.of(), table.routeCount())));
        List<Parallel.Outcome<TableRoutes, TableRoutes>> outcomes =
                Parallel.forEach(tables, config.parallelism(), table -> current(vpc, cache, table));

        List<String> wrong = new ArrayList<>();
        List<StrategyException> troubles = new ArrayList<>();
        Map<String, TableRoutes> seen = new LinkedHashMap<>();
        for (var outcome : outcomes) {
            if (outcome.failed()) {
                troubles.add(outcome.failure());
            } else {
                seen.put(outcome.item().table().id(), outcome.result());
                wrong.addAll(misdirected(outcome.result(), cache.nextHop(), cache.zone()));
            }
        }
        if (!wrong.isEmpty()) {
            return MonitorResult.notRunning(String.join("; ", wrong));
        }
        if (!troubles.isEmpty()) {
            // The API could not say where the routes deliver. Moving the VIP would need the same API with the
            // same credentials, so a failover cannot help: never report "not running" for that.
            StrategyException reported = troubles.stream()
                    .filter(trouble -> !isTransient(trouble))
                    .findFirst()
                    .orElse(troubles.get(0));
            return new MonitorGrace(
                            config.monitorGrace(),
                            CustomRouteStrategyProvider.MONITOR_GRACE,
                            context.clock(),
                            context.logger())
                    .unverified("the routes for " + describeVip(), "delivering here", reported, state.lastVerified());
        }
        RouteCache refreshed =
                new RouteCache(cache.key(), cache.vpcId(), cache.nextHop(), cache.zone(), cacheTables(seen));
        try {
            if (!refreshed.equals(cache)) {
                state.write(RouteCache.RECORD, refreshed.toRecord());
            }
            state.verifiedNow();
        } catch (StrategyException e) {
            // the answer is still right; only the grace of a later monitor is shorter
            context.logger().log(Level.WARNING, "cannot record the verification: " + e.reason());
        }
        return MonitorResult.running();
    }

    /**
     * A table's VIP routes as they are now, in the fewest requests: a GET per remembered route when
     * that is fewer than the pages of the whole table (the API's default page is 50 routes), else the
     * table's list. A route gone (404) or changed means look at the whole table again.
     */
    private TableRoutes current(VpcApi vpc, RouteCache cache, TableRoutes table) throws StrategyException {
        CachedTable cached = cache.tables().get(table.table().id());
        int pages = Math.max(1, (cached.routeCount() + DEFAULT_PAGE - 1) / DEFAULT_PAGE);
        if (!cached.routeIds().isEmpty()
                && (cached.routeIds().size() == 1 || cached.routeIds().size() < pages)) {
            try {
                List<Route> routes = new ArrayList<>();
                for (String routeId : cached.routeIds()) {
                    routes.add(vpc.getRoute(cache.vpcId(), table.table().id(), routeId));
                }
                if (routes.stream().allMatch(this::isVipRoute)) {
                    return table.with(routes);
                }
            } catch (CloudException e) {
                if (e.cloudErrorKind() != CloudErrorKind.NOT_FOUND) {
                    throw e;
                }
            }
        }
        List<Route> routes = vpc.listRoutes(cache.vpcId(), table.table().id());
        return new TableRoutes(
                table.table(), routes.stream().filter(this::isVipRoute).toList(), routes.size());
    }

    private static boolean isTransient(StrategyException failure) {
        return failure instanceof CloudException cloud && cloud.isTransient();
    }

    // ---------------------------------------------------------------- stop, validate

    @Override
    public void stop() throws StrategyException {
        // Only this node: the VIP and the marker. An interface that does not exist, or a node without
        // iproute2, holds no VIP; a state directory that cannot be used holds no marker.
        Optional<LocalAddress> local = localAddress();
        if (local.isPresent()) {
            local.get().remove();
        }
        state.clearStarted();
    }

    @Override
    public void validate(CheckLevel level) throws StrategyException {
        if (level == CheckLevel.SYNTAX) {
            return; // CustomRouteConfig checked every parameter and combination already
        }
        String nextHop = identity.nextHop();
        String vpcId = identity.vpcId();
        Map<String, TableRoutes> tables = discover(vpcId, Optional.empty());
        List<String> problems = new ArrayList<>();
        for (TableRoutes table : tables.values()) {
            table.vipRoutes().stream()
                    .filter(route -> !route.isUserRoute())
                    .forEach(route -> problems.add("route " + route.name() + " of "
                            + table.table().name() + " belongs to a service and cannot be moved"));
        }
        spoofingProblem(nextHop).ifPresent(problems::add);
        if (!problems.isEmpty()) {
            throw StrategyException.notConfigured(String.join("; ", problems));
        }
    }

    /** Whether this node's next-hop interface allows IP spoofing, which a route's next hop needs. */
    private Optional<String> spoofingProblem(String nextHop) throws StrategyException {
        var metadata = context.cloud().metadata();
        var instance = metadata.instance();
        VpcApi vpc = context.cloud().vpc();
        for (var nic : instance.networkInterfaces()) {
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
        for (var attachment : instance.networkAttachments()) {
            if (attachment.primaryAddress().equals(nextHop)) {
                var vni = vpc.getVirtualNetworkInterface(attachment.virtualNetworkInterfaceId());
                return vni.allowIpSpoofing()
                        ? Optional.empty()
                        : Optional.of("virtual network interface " + vni.name() + " (" + nextHop
                                + ") does not allow IP spoofing; enable allow_ip_spoofing on it");
            }
        }
        return Optional.of("next hop " + nextHop + " is not an address of this instance");
    }

    // ---------------------------------------------------------------- helpers

    private boolean isVipRoute(Route route) {
        if (!route.action().equals("deliver")) {
            return false;
        }
        if (config.destination().isPresent()) {
            return route.destination().equals(config.destination().get());
        }
        return route.nextHopAddress().map(config.clusterAddresses()::contains).orElse(false);
    }

    private String describeVip() {
        return config.destination()
                .orElse("next hops "
                        + String.join(
                                ", ",
                                config.clusterAddresses().stream().sorted().toList()));
    }

    /** What the cache is valid for: the routes it remembers were found by these settings. */
    private String cacheKey() {
        return config.destination().orElse("") + "|"
                + String.join(",", config.clusterAddresses().stream().sorted().toList()) + "|"
                + String.join(",", config.routingTables()) + "|"
                + config.vpcId().orElse("");
    }

    private static Map<String, CachedTable> cacheTables(Map<String, TableRoutes> tables) {
        Map<String, CachedTable> cached = new LinkedHashMap<>();
        tables.forEach((id, table) -> cached.put(
                id,
                new CachedTable(
                        table.ingress(),
                        table.vipRoutes().stream().map(Route::id).toList(),
                        table.routeCount())));
        return cached;
    }

    private Optional<LocalAddress> localAddress() {
        return config.localAddress()
                .map(address -> new LocalAddress(address, 32, config.interfaceName(), context.logger()));
    }

    private static <T, R> void failIfAny(List<Parallel.Outcome<T, R>> outcomes, String what) throws StrategyException {
        List<Parallel.Outcome<T, R>> failed =
                outcomes.stream().filter(Parallel.Outcome::failed).toList();
        if (failed.isEmpty()) {
            return;
        }
        String reasons =
                failed.stream().map(outcome -> outcome.failure().reason()).collect(Collectors.joining("; "));
        ErrorKind kind = failed.stream()
                .map(outcome -> outcome.failure().kind())
                .filter(k -> k != ErrorKind.GENERIC)
                .findFirst()
                .orElse(ErrorKind.GENERIC);
        throw new StrategyException(kind, what + ": " + reasons);
    }

    /** A routing table to look at: id, name for messages, and whether it is an ingress table. */
    record TableRef(String id, String name, boolean ingress) {}

    /** A table with its VIP routes as last seen, and how many routes it holds in all. */
    record TableRoutes(TableRef table, List<Route> vipRoutes, int routeCount) {
        TableRoutes {
            vipRoutes = List.copyOf(vipRoutes);
        }

        boolean ingress() {
            return table.ingress();
        }

        TableRoutes with(List<Route> routes) {
            return new TableRoutes(table, routes, routeCount);
        }
    }
}
