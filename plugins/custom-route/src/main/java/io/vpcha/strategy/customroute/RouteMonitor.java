package io.vpcha.strategy.customroute;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.MonitorResult;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.Route;
import io.vpcha.spi.cloud.VpcApi;
import io.vpcha.strategy.customroute.RouteCache.CachedTable;
import io.vpcha.toolkit.state.StateStore;
import io.vpcha.toolkit.time.MonitorGrace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the routes a start recorded still deliver here: one request per table in steady state (a
 * GET per remembered route when that is fewer than the table's pages, else the table's list), never a
 * metadata or IAM call beyond the token. API trouble never makes it report a healthy resource as
 * stopped: within {@code monitor_grace} of the last good check it is running, after that degraded.
 */
final class RouteMonitor {
    /** The API's default page size, by which a table's routes are listed. */
    private static final int DEFAULT_PAGE = 50;

    private final CustomRouteConfig config;
    private final VipRoutes vip;
    private final StrategyContext context;
    private final StateStore state;

    RouteMonitor(CustomRouteConfig config, VipRoutes vip, StrategyContext context, StateStore state) {
        this.config = requireNonNull(config, "config is null");
        this.vip = requireNonNull(vip, "vip is null");
        this.context = requireNonNull(context, "context is null");
        this.state = requireNonNull(state, "state is null");
    }

    /** Checks the routes the cache remembers, and remembers what it saw. */
    MonitorResult check() {
        Optional<RouteCache> cached = RouteCache.from(state.read(RouteCache.RECORD), vip.cacheKey());
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
                wrong.addAll(vip.misdirected(outcome.result(), cache.nextHop(), cache.zone()));
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
                    .unverified("the routes for " + vip.describe(), "delivering here", reported, state.lastVerified());
        }
        RouteCache refreshed = cache.withTables(RouteCache.tablesOf(seen));
        state.verifiedNowBestEffort(() -> {
            // compared as the records written, not with the records' equals(): that one is bootstrapped by
            // java.lang.runtime.ObjectMethods, whose method handles cost a cold JVM ~25 ms to spin
            Map<String, String> record = refreshed.toRecord();
            if (!record.equals(cache.toRecord())) {
                state.write(RouteCache.RECORD, record);
            }
        });
        return MonitorResult.running();
    }

    /**
     * A table's VIP routes as they are now, in the fewest requests: a GET per remembered route when
     * that is fewer than the pages of the whole table, else the table's list. A route gone (404) or no
     * longer the VIP's means look at the whole table again.
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
                if (routes.stream().allMatch(vip::matches)) {
                    return table.with(routes);
                }
            } catch (CloudException e) {
                if (e.cloudErrorKind() != CloudErrorKind.NOT_FOUND) {
                    throw e;
                }
            }
        }
        return vip.in(table.table(), vpc.listRoutes(cache.vpcId(), table.table().id()));
    }

    private static boolean isTransient(StrategyException failure) {
        return failure instanceof CloudException cloud && cloud.isTransient();
    }
}
