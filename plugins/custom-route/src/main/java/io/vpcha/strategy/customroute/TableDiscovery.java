package io.vpcha.strategy.customroute;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.RoutingTable;
import io.vpcha.spi.cloud.VpcApi;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Finds the routing tables that hold the VIP's routes, and reads tables: the VPC's tables are listed
 * once (not at all when the cache names them), then each table's routes with one list per table, all
 * at once (one round trip). A cached table that is gone or empty means discovering again from the full list.
 */
final class TableDiscovery {
    private final CustomRouteConfig config;
    private final VipRoutes vip;
    private final VpcApi vpc;
    private final System.Logger log;

    TableDiscovery(CustomRouteConfig config, VipRoutes vip, VpcApi vpc, System.Logger log) {
        this.config = requireNonNull(config, "config is null");
        this.vip = requireNonNull(vip, "vip is null");
        this.vpc = requireNonNull(vpc, "vpc is null");
        this.log = requireNonNull(log, "log is null");
    }

    /**
     * The VIP's routes in each selected table, by table id.
     *
     * @throws StrategyException NOT_CONFIGURED when a selected table, or every table, has no VIP route
     */
    Map<String, TableRoutes> discover(String vpcId, Optional<RouteCache> cache) throws StrategyException {
        List<TableRef> candidates = new ArrayList<>();
        if (cache.isPresent() && !cache.get().tables().isEmpty()) {
            cache.get().tables().forEach((id, table) -> candidates.add(new TableRef(id, id, table.ingress())));
        } else {
            for (RoutingTable table : select(vpc.listRoutingTables(vpcId))) {
                candidates.add(new TableRef(table.id(), table.name(), table.isIngress()));
            }
        }
        // all at once: a failover's first round (the remembered tables), or after the list of tables
        List<Parallel.Outcome<TableRef, TableRoutes>> outcomes =
                Parallel.atOnce(candidates, config.parallelism(), table -> read(vpcId, table));
        if (cache.isPresent() && outcomes.stream().anyMatch(Parallel.Outcome::failed)) {
            // a cached table may be gone: start over from the full list once
            log.log(Level.INFO, "cached routing tables changed; discovering again");
            return discover(vpcId, Optional.empty());
        }
        Parallel.failIfAny(outcomes, "cannot read routing tables");
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
                    + " has no route for " + vip.describe() + "; create one per client zone");
        }
        if (tables.isEmpty()) {
            if (cache.isPresent()) {
                return discover(vpcId, Optional.empty());
            }
            throw StrategyException.notConfigured("no routing table of VPC " + vpcId + " has a route for "
                    + vip.describe() + "; create the routes (one per client zone in egress tables, one in ingress "
                    + "tables) before starting");
        }
        return tables;
    }

    /** Each of {@code tables} read anew, one list per table, in parallel, by table id. */
    Map<String, TableRoutes> reread(String vpcId, Collection<TableRoutes> tables) throws StrategyException {
        List<Parallel.Outcome<TableRoutes, TableRoutes>> outcomes =
                Parallel.atOnce(List.copyOf(tables), config.parallelism(), table -> read(vpcId, table.table()));
        Parallel.failIfAny(outcomes, "cannot read back the routes");
        Map<String, TableRoutes> read = new LinkedHashMap<>();
        outcomes.forEach(outcome -> read.put(outcome.result().table().id(), outcome.result()));
        return read;
    }

    /** One table's VIP routes: one list of its routes. */
    TableRoutes read(String vpcId, TableRef table) throws StrategyException {
        return vip.in(table, vpc.listRoutes(vpcId, table.id()));
    }

    /** The tables routing_tables names (by id or name), or all of them when it names none. */
    private List<RoutingTable> select(List<RoutingTable> all) throws StrategyException {
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
}
