package io.vpcha.strategy.customroute;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.cloud.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which routes are the VIP's, by the configuration: the routes for {@code vip}, or without one (the
 * ibm-cloud-vpc-cr-vip way), the routes whose next hop is a cluster node; and whether they deliver to a
 * node.
 */
final class VipRoutes {
    private final CustomRouteConfig config;

    VipRoutes(CustomRouteConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    /** Whether {@code route} is one of the VIP's (only routes that deliver are). */
    boolean matches(Route route) {
        if (!route.action().equals("deliver")) {
            return false;
        }
        if (config.destination().isPresent()) {
            return route.destination().equals(config.destination().get());
        }
        return route.nextHopAddress().map(config.clusterAddresses()::contains).orElse(false);
    }

    /** {@code table} with the VIP's routes among {@code routes}, all of the table's routes. */
    TableRoutes in(TableRef table, List<Route> routes) {
        return new TableRoutes(table, routes.stream().filter(this::matches).toList(), routes.size());
    }

    /** The VIP for messages: its destination, or the next hops that select its routes. */
    String describe() {
        return config.destination()
                .orElse("next hops "
                        + String.join(
                                ", ",
                                config.clusterAddresses().stream().sorted().toList()));
    }

    /** What a cache of the routes is valid for: the routes it remembers were found by these settings. */
    String cacheKey() {
        return config.destination().orElse("") + "|"
                + String.join(",", config.clusterAddresses().stream().sorted().toList()) + "|"
                + String.join(",", config.routingTables()) + "|"
                + config.vpcId().orElse("");
    }

    /**
     * Why routes of {@code table} do not deliver to {@code nextHop} (an ingress table's also not from
     * {@code zone}); empty when they all do.
     */
    List<String> misdirected(TableRoutes table, String nextHop, Optional<String> zone) {
        List<String> wrong = new ArrayList<>();
        if (table.vipRoutes().isEmpty()) {
            wrong.add("routing table " + table.table().name() + " has no route for " + describe());
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
}
