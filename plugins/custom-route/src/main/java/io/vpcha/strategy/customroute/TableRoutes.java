package io.vpcha.strategy.customroute;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.cloud.Route;
import java.util.List;

/**
 * A routing table with the VIP's routes in it as last seen, and how many routes it holds in all (how
 * many pages listing it costs).
 */
record TableRoutes(TableRef table, List<Route> vipRoutes, int routeCount) {
    TableRoutes {
        requireNonNull(table, "table is null");
        vipRoutes = List.copyOf(vipRoutes);
    }

    boolean ingress() {
        return table.ingress();
    }

    /** The same table with {@code routes} as its VIP routes now. */
    TableRoutes with(List<Route> routes) {
        return new TableRoutes(table, routes, routeCount);
    }
}
