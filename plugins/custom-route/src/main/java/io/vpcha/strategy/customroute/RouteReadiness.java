package io.vpcha.strategy.customroute;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.Readiness;
import io.vpcha.spi.ReadinessProblem;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.Route;
import io.vpcha.spi.cloud.VpcApi;
import io.vpcha.strategy.customroute.RouteCache.CachedTable;
import io.vpcha.toolkit.readiness.RecentCheck;
import io.vpcha.toolkit.readiness.TargetReadiness;
import io.vpcha.toolkit.state.StateStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the VIP's routes are there for a passive node to take over, at one VPC request per check.
 *
 * <p>The first check (or one after the configuration, the VPC or this node's next hop changed)
 * discovers the tables as a start does and remembers them in start's route cache, so a promotion reads
 * only the remembered tables and goes to its writes. Every later check GETs one remembered route, the
 * next in turn (the turn is the record {@value #RECORD}): with R routes remembered, each is seen every
 * R intervals. A GET proves that the table and the route exist, that the route is still the VIP's and
 * movable, and that the VPC accepts this node's token, for one request whatever the table's size (its
 * list could take four pages). A route gone or no longer the VIP's (an ingress move on the active node
 * recreates its route under a new id) has its table listed again in that check, and remembered.
 */
final class RouteReadiness {
    /** The state record holding whose turn it is, and when the last check succeeded. */
    static final String RECORD = "readiness";

    /** This node's zone, asked only when a table to remember is an ingress table. */
    @FunctionalInterface
    interface Zone {
        String get() throws StrategyException;
    }

    private final VipRoutes vip;
    private final TableDiscovery discovery;
    private final StateStore state;
    private final VpcApi vpc;
    private final Clock clock;

    RouteReadiness(VipRoutes vip, TableDiscovery discovery, StateStore state, VpcApi vpc, Clock clock) {
        this.vip = requireNonNull(vip, "vip is null");
        this.discovery = requireNonNull(discovery, "discovery is null");
        this.state = requireNonNull(state, "state is null");
        this.vpc = requireNonNull(vpc, "vpc is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Whether the last successful readiness check, as {@code record} (the state record {@value #RECORD})
     * tells it, is recent enough at {@code now} for a promotion to write the remembered routes without
     * reading them first ({@link RecentCheck#vouches}: 3 Unpromoted intervals, at least 90 s, at most
     * 10 minutes). While the monitor runs, every check sees one remembered route and lists its table
     * again when it changed.
     */
    static boolean vouchesForRoutes(Optional<Map<String, String>> record, Instant now) {
        return RecentCheck.vouches(record, now);
    }

    /** The record of a check that succeeded now, whose turn is next: the time, and the interval since the last. */
    private Map<String, String> checkedNow(int next) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("next", Integer.toString(next));
        values.putAll(RecentCheck.checkedAt(state.read(RECORD), clock.instant()));
        return values;
    }

    /**
     * Checks the routes a promotion of this node would move to {@code nextHop}.
     *
     * @throws StrategyException when the cloud cannot answer (the host says why the node is not ready)
     */
    Readiness check(String vpcId, String nextHop, Zone zone) throws StrategyException {
        Optional<RouteCache> cache = RouteCache.from(state.read(RouteCache.RECORD), vip.cacheKey())
                .filter(cached ->
                        cached.vpcId().equals(vpcId) && cached.nextHop().equals(nextHop));
        List<RouteRef> routes = cache.map(RouteReadiness::routesOf).orElse(List.of());
        if (routes.isEmpty()) {
            return discover(vpcId, nextHop, zone);
        }
        int turn = Math.floorMod(nextTurn(), routes.size());
        RouteRef next = routes.get(turn);
        Optional<Route> route;
        try {
            route = Optional.of(vpc.getRoute(vpcId, next.tableId(), next.routeId()));
        } catch (CloudException e) {
            if (e.cloudErrorKind() != CloudErrorKind.NOT_FOUND) {
                throw e;
            }
            route = Optional.empty();
        }
        state.write(RECORD, checkedNow(turn + 1));
        if (route.isPresent() && vip.matches(route.get())) {
            return movable(route.get(), next.tableId());
        }
        return relist(cache.get(), next.tableId());
    }

    /** Every table that holds VIP routes, found as a start finds them, and remembered. */
    private Readiness discover(String vpcId, String nextHop, Zone zone) throws StrategyException {
        Map<String, TableRoutes> tables;
        try {
            tables = discovery.discover(vpcId, Optional.empty());
        } catch (StrategyException e) {
            return TargetReadiness.ofLookupFailure(e);
        }
        Optional<String> ingressZone =
                tables.values().stream().anyMatch(TableRoutes::ingress) ? Optional.of(zone.get()) : Optional.empty();
        state.write(
                RouteCache.RECORD,
                new RouteCache(vip.cacheKey(), vpcId, nextHop, ingressZone, RouteCache.tablesOf(tables)).toRecord());
        state.write(RECORD, checkedNow(0));
        List<String> services = new ArrayList<>();
        tables.values()
                .forEach(table -> services.addAll(
                        unmovable(table.vipRoutes(), table.table().name())));
        return services.isEmpty() ? Readiness.ready() : notMovable(services);
    }

    /**
     * The table of a remembered route that is gone or no longer the VIP's, listed again: its VIP routes
     * now are remembered. A table that is gone, or holds no VIP route any more, makes the next check
     * discover the tables again.
     */
    private Readiness relist(RouteCache cache, String tableId) throws StrategyException {
        CachedTable remembered = cache.tables().get(tableId);
        TableRoutes table;
        try {
            table = discovery.read(cache.vpcId(), new TableRef(tableId, tableId, remembered.ingress()));
        } catch (CloudException e) {
            if (e.cloudErrorKind() == CloudErrorKind.NOT_FOUND) {
                state.delete(RouteCache.RECORD);
            }
            throw e;
        }
        if (table.vipRoutes().isEmpty()) {
            state.delete(RouteCache.RECORD);
            return Readiness.notReady(
                    ReadinessProblem.TARGET, "routing table " + tableId + " has no route for " + vip.describe());
        }
        Map<String, TableRoutes> relisted = new LinkedHashMap<>();
        relisted.put(tableId, table);
        Map<String, CachedTable> tables = new LinkedHashMap<>(cache.tables());
        tables.putAll(RouteCache.tablesOf(relisted));
        state.write(RouteCache.RECORD, cache.withTables(tables).toRecord());
        List<String> services = unmovable(table.vipRoutes(), tableId);
        return services.isEmpty() ? Readiness.ready() : notMovable(services);
    }

    private static Readiness movable(Route route, String tableId) {
        List<String> services = unmovable(List.of(route), tableId);
        return services.isEmpty() ? Readiness.ready() : notMovable(services);
    }

    private static List<String> unmovable(List<Route> routes, String tableName) {
        return routes.stream()
                .filter(route -> !route.isUserRoute())
                .map(route -> "route " + route.name() + " of " + tableName + " belongs to a service")
                .toList();
    }

    private static Readiness notMovable(List<String> services) {
        return Readiness.notReady(ReadinessProblem.CONFIGURATION, String.join("; ", services) + " and cannot be moved");
    }

    private int nextTurn() {
        try {
            return Integer.parseInt(state.read(RECORD)
                    .map(values -> values.getOrDefault("next", "0"))
                    .orElse("0"));
        } catch (NumberFormatException damaged) {
            return 0;
        }
    }

    /** A remembered route of a remembered table. */
    private record RouteRef(String tableId, String routeId) {}

    /** The remembered routes, table by table in the cache's order. */
    private static List<RouteRef> routesOf(RouteCache cache) {
        List<RouteRef> routes = new ArrayList<>();
        cache.tables()
                .forEach((tableId, table) -> table.routeIds().forEach(id -> routes.add(new RouteRef(tableId, id))));
        return routes;
    }
}
