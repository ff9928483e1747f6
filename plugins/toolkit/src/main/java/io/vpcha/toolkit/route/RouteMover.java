package io.vpcha.toolkit.route;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.Route;
import io.vpcha.spi.cloud.RoutePatch;
import io.vpcha.spi.cloud.RoutePrototype;
import io.vpcha.spi.cloud.VpcApi;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Points the routes for a destination at a next hop, the way VPC routing tables allow it.
 *
 * <ul>
 *   <li>An egress route (and an ingress route already in the right zone) gets its next hop changed in
 *       place: one PATCH.
 *   <li>An ingress table (transit gateway, direct link, internet, VPC zone ingress) only honours a route
 *       whose next hop is in the route's own zone, and a route's zone cannot change. So a route in
 *       another zone is re-created in the next hop's zone, the new route before the old one is
 *       deleted (traffic is never without a route), under a temporary name since names are unique per
 *       table, which it then gets back. Routes for the destination in other zones, which could only
 *       deliver elsewhere, are deleted.
 * </ul>
 *
 * A move interrupted at any step (a crash, a timeout) is finished by the next one, on any node: a
 * route left under the temporary name is adopted (renamed back; deleted when it is in another zone
 * and a route is in the wanted one; else moved there under the route's own name), and an old route
 * left behind is deleted. Only routes of origin {@code user} are changed.
 * Routes have no optimistic locking: read back what was written (see {@link
 * io.vpcha.toolkit.time.Settle}).
 */
public final class RouteMover {
    /** A route being moved between zones carries this suffix until the old route is gone. */
    public static final String MOVING_SUFFIX = "-vpcha-moving";
    /** Route names are at most 63 characters: room for the suffix. */
    private static final int LONGEST_BASE_NAME = 63 - MOVING_SUFFIX.length();

    private final VpcApi vpc;
    private final String vpcId;
    private final System.Logger log;
    private final AtomicInteger writes = new AtomicInteger();

    public RouteMover(VpcApi vpc, String vpcId, System.Logger log) {
        this.vpc = requireNonNull(vpc, "vpc is null");
        this.vpcId = requireNonNull(vpcId, "vpcId is null");
        this.log = requireNonNull(log, "log is null");
    }

    /** A routing table, by id and by a name for messages. */
    public record Table(String id, String name) {
        public Table {
            requireNonNull(id, "id is null");
            requireNonNull(name, "name is null");
        }
    }

    /** How many writes (create, update, delete) this mover made: none means nothing needs reading back. */
    public int writes() {
        return writes.get();
    }

    /**
     * Makes {@code route} deliver to {@code nextHop} by changing its next hop; no write when it already
     * does.
     *
     * @throws StrategyException NOT_CONFIGURED for a route a service owns
     */
    public Route pointAt(Table table, Route route, String nextHop) throws StrategyException {
        if (route.nextHopAddress().equals(Optional.of(nextHop))) {
            return route;
        }
        requireUserRoute(table, route, "changed");
        writes.incrementAndGet();
        Route updated = vpc.updateRoute(vpcId, table.id(), route.id(), RoutePatch.nextHop(nextHop));
        log.log(
                Level.INFO,
                "route " + route.name() + " (" + route.zone() + ") of " + table.name() + ": next hop "
                        + route.nextHopAddress().orElse("none") + " -> " + nextHop);
        return updated;
    }

    /**
     * Points the route {@code routeId}, not read first, at {@code nextHop}: one PATCH, whatever the route's
     * next hop was (the same one again is harmless). For a caller that remembers which routes to move
     * and reads them back afterwards: the answer is the route as the API stored it, but only a later
     * read shows a node that wrote after this one.
     *
     * @throws CloudException as the PATCH failed, e.g. NOT_FOUND for a route that is gone, or a refusal
     *     for a route a service owns (only routes of origin {@code user} can be changed)
     */
    public Route pointAtById(Table table, String routeId, String nextHop) throws StrategyException {
        requireNonNull(routeId, "routeId is null");
        writes.incrementAndGet();
        Route updated = vpc.updateRoute(vpcId, table.id(), routeId, RoutePatch.nextHop(nextHop));
        log.log(
                Level.INFO,
                "route " + updated.name() + " (" + updated.zone() + ") of " + table.name() + ": next hop -> " + nextHop
                        + " (written without reading it first)");
        return updated;
    }

    /**
     * Makes the routes for one destination in an ingress table deliver to {@code nextHop} in {@code
     * zone}: those in the zone are pointed at it; when there is none, one from another zone is moved
     * into it (create, delete, rename); the rest are deleted. A route under the temporary name is
     * adopted.
     *
     * @param routes the table's routes for the destination, as read
     * @return the routes for the destination now, all in {@code zone}
     */
    public List<Route> intoZone(Table table, List<Route> routes, String zone, String nextHop) throws StrategyException {
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("no route to move in " + table.name());
        }
        List<Route> here = new ArrayList<>();
        List<Route> elsewhere = new ArrayList<>();
        for (Route route : routes) {
            (route.zone().equals(zone) ? here : elsewhere).add(route);
        }
        List<Route> result = new ArrayList<>();
        for (Route route : here) {
            result.add(pointAt(table, route, nextHop));
        }
        if (here.isEmpty()) {
            // move the route with its own name, not a leftover temporary one, when there is a choice
            Route old = elsewhere.stream()
                    .filter(route -> !route.name().endsWith(MOVING_SUFFIX))
                    .findFirst()
                    .orElse(elsewhere.get(0));
            elsewhere.remove(old);
            result.add(moveIntoZone(table, old, zone, nextHop, elsewhere));
        }
        for (Route route : elsewhere) {
            requireUserRoute(table, route, "deleted");
            writes.incrementAndGet();
            vpc.deleteRoute(vpcId, table.id(), route.id());
            log.log(
                    Level.INFO,
                    "deleted route " + route.name() + " in zone " + route.zone() + " of ingress table " + table.name()
                            + ": only a route in " + zone + " can deliver to " + nextHop);
        }
        return adoptTemporaryNames(table, result);
    }

    /** Re-creates {@code old} in {@code zone} before deleting it, then gives the new route its name. */
    private Route moveIntoZone(Table table, Route old, String zone, String nextHop, List<Route> others)
            throws StrategyException {
        requireUserRoute(table, old, "moved");
        String name = baseName(old.name());
        // A leftover temporary route (its move interrupted after the original was deleted) holds the
        // temporary name itself, and nothing holds the route's own: the new route takes that at once.
        String temporary = old.name().equals(name)
                ? (name.length() > LONGEST_BASE_NAME ? name.substring(0, LONGEST_BASE_NAME) : name) + MOVING_SUFFIX
                : name;
        // a temporary route of an interrupted move to another zone is in the way of the name: it goes first
        for (Route other : List.copyOf(others)) {
            if (other.name().equals(temporary)) {
                requireUserRoute(table, other, "deleted");
                writes.incrementAndGet();
                vpc.deleteRoute(vpcId, table.id(), other.id());
                others.remove(other);
            }
        }
        writes.addAndGet(2);
        Route created = vpc.createRoute(
                vpcId,
                table.id(),
                RoutePrototype.builder(old.destination(), zone, nextHop)
                        .name(temporary)
                        .action(old.action())
                        .priority(old.priority())
                        .advertise(old.advertise())
                        .build());
        vpc.deleteRoute(vpcId, table.id(), old.id());
        log.log(
                Level.INFO,
                "ingress route " + name + " of " + table.name() + " moved from " + old.zone() + " to " + zone
                        + ", next hop " + nextHop);
        return created;
    }

    /**
     * Makes a route like {@code template} (its destination, action, priority, advertise and own name)
     * again in {@code zone}, delivering to {@code nextHop}: for a table that lost every route for the
     * destination, e.g. to two nodes moving it at once, each deleting the other's new route.
     */
    public Route recreate(Table table, Route template, String zone, String nextHop) throws StrategyException {
        writes.incrementAndGet();
        Route created = vpc.createRoute(
                vpcId,
                table.id(),
                RoutePrototype.builder(template.destination(), zone, nextHop)
                        .name(baseName(template.name()))
                        .action(template.action())
                        .priority(template.priority())
                        .advertise(template.advertise())
                        .build());
        log.log(
                Level.WARNING,
                "route " + created.name() + " of " + table.name() + " was gone: made again in " + zone + ", next hop "
                        + nextHop);
        return created;
    }

    /** Gives routes left under the temporary name their own name back, when nothing else has it. */
    private List<Route> adoptTemporaryNames(Table table, List<Route> routes) throws StrategyException {
        List<Route> adopted = new ArrayList<>();
        for (Route route : routes) {
            if (!route.name().endsWith(MOVING_SUFFIX)) {
                adopted.add(route);
                continue;
            }
            String name = baseName(route.name());
            if (routes.stream().anyMatch(other -> other.name().equals(name))) {
                adopted.add(route);
                continue;
            }
            writes.incrementAndGet();
            try {
                adopted.add(vpc.updateRoute(vpcId, table.id(), route.id(), RoutePatch.rename(name)));
            } catch (CloudException e) {
                if (e.isTransient()) {
                    throw e;
                }
                // another route of the table has the name: the route delivers all the same
                log.log(
                        Level.WARNING,
                        "route " + route.name() + " of " + table.name() + " keeps its temporary name: " + e.reason());
                adopted.add(route);
            }
        }
        return adopted;
    }

    private static String baseName(String name) {
        return name.endsWith(MOVING_SUFFIX) ? name.substring(0, name.length() - MOVING_SUFFIX.length()) : name;
    }

    private static void requireUserRoute(Table table, Route route, String what) throws StrategyException {
        if (!route.isUserRoute()) {
            throw StrategyException.notConfigured("route " + route.name() + " of " + table.name()
                    + " belongs to a service (origin " + route.origin() + ") and cannot be " + what);
        }
    }
}
