package io.vpcha.strategy.publicaddressrange;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.Route;
import io.vpcha.spi.cloud.RoutePrototype;
import io.vpcha.spi.cloud.VpcApi;
import io.vpcha.toolkit.route.RouteMover;
import io.vpcha.toolkit.time.Settle;
import io.vpcha.toolkit.time.TimeBox;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The internet-ingress route for the range's CIDR, made to deliver to this node in this node's zone: an
 * ingress route only delivers to a next hop in its own zone, and internet traffic to the range enters in
 * the range's zone. Moving it between zones is {@link RouteMover#intoZone}'s (new route first, old one
 * deleted, an interrupted move finished); when there is no route at all, one is created.
 */
final class IngressRoute {
    /** Route names are at most 63 characters, and the mover adds a suffix while it moves one. */
    private static final int LONGEST_NAME = 63 - RouteMover.MOVING_SUFFIX.length();

    private final VpcApi vpc;
    private final String vpcId;
    private final RouteMover.Table table;
    private final String cidr;
    private final System.Logger log;

    IngressRoute(VpcApi vpc, String vpcId, RouteMover.Table table, String cidr, System.Logger log) {
        this.vpc = requireNonNull(vpc, "vpc is null");
        this.vpcId = requireNonNull(vpcId, "vpcId is null");
        this.table = requireNonNull(table, "table is null");
        this.cidr = requireNonNull(cidr, "cidr is null");
        this.log = requireNonNull(log, "log is null");
    }

    /** The routes for the range's CIDR in the table, as they are now. */
    List<Route> current(TimeBox timeBox) throws StrategyException {
        return forRange(timeBox.call(
                "list the routes of routing table " + table.name(), () -> vpc.listRoutes(vpcId, table.id())));
    }

    List<Route> forRange(List<Route> routes) {
        return routes.stream()
                .filter(route ->
                        route.destination().equals(cidr) && route.action().equals("deliver"))
                .toList();
    }

    /**
     * Makes the range's route deliver to {@code nextHop} in {@code zone}, then reads the table back until
     * it shows that (route changes have no optimistic locking: another node may have written after this
     * one).
     *
     * @param rangeName for the name of a route created where there was none
     * @return the route that delivers here
     */
    Route deliverHere(TimeBox timeBox, String zone, String nextHop, String rangeName) throws StrategyException {
        RouteMover mover = new RouteMover(vpc, vpcId, log);
        List<Route> routes = current(timeBox);
        List<Route> result;
        if (routes.isEmpty()) {
            result = List.of(create(timeBox, zone, nextHop, rangeName));
        } else {
            result = timeBox.call(
                    "move the route for " + cidr + " in " + table.name(),
                    () -> mover.intoZone(table, routes, zone, nextHop));
        }
        if (!routes.isEmpty() && mover.writes() == 0 && result.size() == 1) {
            // nothing written: what was just read is the answer
            return result.get(0);
        }
        return Settle.within(timeBox)
                .until(
                        "read back the routes of " + table.name(),
                        () -> current(timeBox),
                        seen -> misdirected(seen, zone, nextHop).isEmpty(),
                        (lastSeen, lastFailure) -> {
                            List<String> wrong = new ArrayList<>();
                            lastSeen.ifPresent(seen -> wrong.addAll(misdirected(seen, zone, nextHop)));
                            lastFailure.ifPresent(failure -> wrong.add("the last read failed: " + failure.reason()));
                            return StrategyException.generic("after the change, " + String.join("; ", wrong)
                                    + " (another node may have moved it)");
                        })
                .get(0);
    }

    /** Why the range's routes do not deliver here, one reason per route; empty when there is one and all do. */
    List<String> misdirected(List<Route> routes, String zone, String nextHop) {
        List<String> wrong = new ArrayList<>();
        if (routes.isEmpty()) {
            wrong.add("routing table " + table.name() + " has no route for " + cidr);
        }
        for (Route route : routes) {
            if (!route.zone().equals(zone)) {
                wrong.add("route " + route.name() + " for " + cidr + " is in zone " + route.zone() + ", not " + zone);
            } else if (!route.nextHopAddress().equals(Optional.of(nextHop))) {
                wrong.add("route " + route.name() + " for " + cidr + " delivers to "
                        + route.nextHopAddress().orElse("no address") + ", not " + nextHop);
            }
        }
        return wrong;
    }

    private Route create(TimeBox timeBox, String zone, String nextHop, String rangeName) throws StrategyException {
        String name = routeName(rangeName);
        Route created = timeBox.call(
                "create a route for " + cidr + " in " + table.name(),
                () -> vpc.createRoute(
                        vpcId,
                        table.id(),
                        RoutePrototype.builder(cidr, zone, nextHop).name(name).build()));
        log.log(
                Level.INFO,
                () -> "created route " + name + " for " + cidr + " in zone " + zone + " of " + table.name()
                        + ", next hop " + nextHop + " (there was none)");
        return created;
    }

    /** The name of a route vpc-ha creates for a range: after the range, never with the reserved "ibm-". */
    static String routeName(String rangeName) {
        String base = rangeName.isEmpty() || rangeName.startsWith("ibm-") ? "vpc-ha-range" : rangeName;
        String name = base + "-ingress";
        return name.length() > LONGEST_NAME ? name.substring(0, LONGEST_NAME) : name;
    }
}
