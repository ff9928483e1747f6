package io.vpcha.strategy.customroute;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.Ipv4;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.Route;
import io.vpcha.toolkit.route.RouteMover;
import io.vpcha.toolkit.time.Settle;
import io.vpcha.toolkit.time.TimeBox;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Makes the VIP's routes in the discovered tables deliver to this node, every route at once (an
 * ingress table's move in order): egress routes get their next hop changed in place, ingress routes
 * are moved into this node's zone ({@link RouteMover#intoZone}). What was changed is read back until it shows, since a change may take
 * a moment to show and route PATCHes have no optimistic locking (another node may write after this one).
 *
 * <p>Two nodes starting at once (which Pacemaker never does, but a split cluster without fencing or an
 * administrator might) must still leave one owner, not some zones delivering to each. A node that reads
 * back a change it did not make (a route it found delivering here now delivering elsewhere, a route it
 * never saw, one it kept gone) knows another node is moving the routes too. Then the node with the
 * higher next-hop address takes every route (it points them at itself again), and the other hands
 * every route over to it and fails its start: both push toward the same node, so the routes end
 * with one owner whichever node sees the other first. A change of its own that does not show yet is no
 * such sign (the API may show it late); reading it back goes on until the time box ends.
 */
final class RouteConvergence {
    /** How long start keeps reading back a change that the API does not show yet. */
    private static final Duration MAX_VERIFY = Duration.ofSeconds(20);

    private final CustomRouteConfig config;
    private final VipRoutes vip;
    private final TableDiscovery discovery;
    private final StrategyContext context;

    RouteConvergence(CustomRouteConfig config, VipRoutes vip, TableDiscovery discovery, StrategyContext context) {
        this.config = requireNonNull(config, "config is null");
        this.vip = requireNonNull(vip, "vip is null");
        this.discovery = requireNonNull(discovery, "discovery is null");
        this.context = requireNonNull(context, "context is null");
    }

    /** The tables as they deliver here, and how many writes it took (none: nothing was read back). */
    record Converged(Map<String, TableRoutes> tables, int writes) {
        Converged {
            tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
        }
    }

    /**
     * Points every VIP route of {@code tables} at {@code nextHop} (ingress ones from {@code zone}) and
     * reads the changed tables back.
     *
     * @throws StrategyException naming every table that could not be changed, or what the read-back
     *     still showed elsewhere when its time ran out
     */
    Converged toNode(String vpcId, Map<String, TableRoutes> tables, String nextHop, Optional<String> zone)
            throws StrategyException {
        return toNode(vpcId, tables, nextHop, zone, Set.of(), 0);
    }

    /**
     * The promotion of a ready passive node whose remembered routes can all be pointed at it where they
     * are ({@link RouteCache#writableInPlace}): every remembered route's PATCH by its remembered id, all
     * at once, with no read first (round 1), then the tables read back (round 2). A route's destination,
     * action and zone cannot change (IBM's API takes only name, next hop, priority and advertise in a
     * route PATCH), so a remembered id names one of the VIP's routes for as long as it exists, and one in
     * this node's zone when it was remembered there; the PATCH answers with the route as stored, and
     * only the read-back shows a node that wrote after this one, or a route the cache does not know.
     *
     * <p>Any doubt takes {@link #toNode}'s way, with what was learnt: a write that fails (a route gone, so
     * the cache is stale; a refusal; an outage) has the remembered tables read and converged from what
     * they hold; a read-back that shows anything but every VIP route delivering here (a route the cache
     * did not know, a change of this node's that does not show yet, one another node made) is taken as
     * the read of those tables. Either way the routes this node wrote here are its own changes, never a
     * sign of another node. A route it wrote that is gone at the read-back was deleted by another node
     * moving the routes at the same time (an ingress move makes a new route and deletes the old): settled
     * as {@link #toNode} settles a race, the higher next-hop address taking every route.
     */
    Converged inPlace(String vpcId, RouteCache cache, String nextHop, Optional<String> zone) throws StrategyException {
        RouteMover mover = new RouteMover(context.cloud().vpc(), vpcId, context.logger());
        List<RememberedRoute> remembered = new ArrayList<>();
        cache.tables()
                .forEach((id, table) -> table.routeIds()
                        .forEach(routeId ->
                                remembered.add(new RememberedRoute(new TableRef(id, id, table.ingress()), routeId))));
        List<Parallel.Outcome<RememberedRoute, Route>> outcomes = Parallel.atOnce(
                remembered,
                config.parallelism(),
                route -> mover.pointAtById(route.table().forMover(), route.id(), nextHop));
        Set<String> written = new HashSet<>();
        Optional<String> doubt = Optional.empty();
        for (Parallel.Outcome<RememberedRoute, Route> outcome : outcomes) {
            if (outcome.failed()) {
                doubt = doubt.or(() -> Optional.of(outcome.failure().reason()));
                continue;
            }
            Route route = outcome.result();
            written.add(route.id());
            if (!vip.matches(route) || (outcome.item().table().ingress() && !zone.equals(Optional.of(route.zone())))) {
                doubt = doubt.or(() -> Optional.of("route " + route.name() + " is not what was remembered"));
            }
        }
        if (doubt.isPresent()) {
            context.logger()
                    .log(
                            Level.INFO,
                            "the remembered routes for " + vip.describe() + " could not all be written in place ("
                                    + doubt.get() + "); reading their tables first");
            return toNode(vpcId, discovery.discover(vpcId, Optional.of(cache)), nextHop, zone, written, mover.writes());
        }
        Map<String, List<Route>> routes = new LinkedHashMap<>();
        outcomes.forEach(
                outcome -> routes.computeIfAbsent(outcome.item().table().id(), id -> new ArrayList<>())
                        .add(outcome.result()));
        Map<String, TableRoutes> tables = new LinkedHashMap<>();
        cache.tables()
                .forEach((id, table) -> tables.put(
                        id,
                        new TableRoutes(new TableRef(id, id, table.ingress()), routes.get(id), table.routeCount())));
        Map<String, TableRoutes> read;
        try {
            read = discovery.reread(vpcId, tables.values());
        } catch (StrategyException e) {
            context.logger().log(Level.INFO, "reading back the routes written in place failed (" + e.reason() + ")");
            return toNode(vpcId, discovery.discover(vpcId, Optional.of(cache)), nextHop, zone, written, mover.writes());
        }
        if (read.values().stream()
                .allMatch(table -> vip.misdirected(table, nextHop, zone).isEmpty())) {
            return new Converged(read, mover.writes());
        }
        Contention contention = Contention.afterWritesInPlace(tables.values(), read.values(), nextHop, zone);
        Optional<Contention.Rival> rival = contention.rival(read.values());
        if (rival.isPresent()) {
            settleRace(mover, read, contention, rival.get(), nextHop, zone);
            return new Converged(readBack(mover, vpcId, read, contention, nextHop, zone), mover.writes());
        }
        return toNode(vpcId, read, nextHop, zone, written, mover.writes());
    }

    /** A route remembered in a table, by its id. */
    private record RememberedRoute(TableRef table, String id) {}

    /**
     * {@link #toNode(String, Map, String, Optional)} from {@code tables} as read, after {@code earlierWrites}
     * writes of this start, among them the routes {@code ownWrites} pointed here (its own changes: one that
     * shows here and then elsewhere is not taken as another node's).
     */
    private Converged toNode(
            String vpcId,
            Map<String, TableRoutes> tables,
            String nextHop,
            Optional<String> zone,
            Set<String> ownWrites,
            int earlierWrites)
            throws StrategyException {
        RouteMover mover = new RouteMover(context.cloud().vpc(), vpcId, context.logger());
        List<Parallel.Outcome<Lane, List<Route>>> outcomes = write(mover, tables.values(), nextHop, zone);
        if (outcomes.stream().anyMatch(outcome -> outcome.failed() && changedMeanwhile(outcome.failure()))) {
            // another node changed a table between this node's read and its write: settle as a read-back would
            Map<String, TableRoutes> read = discovery.reread(vpcId, tables.values());
            Contention contention = new Contention(tables.values(), List.of(), nextHop, zone, ownWrites);
            Optional<String> other = read.values().stream()
                    .flatMap(table -> table.vipRoutes().stream())
                    .map(Route::nextHopAddress)
                    .flatMap(Optional::stream)
                    .filter(address -> !address.equals(nextHop))
                    .findFirst();
            settleRace(mover, read, contention, new Contention.Rival(other), nextHop, zone);
            return new Converged(
                    readBack(mover, vpcId, read, contention, nextHop, zone), earlierWrites + mover.writes());
        }
        Parallel.failIfAny(outcomes, "routes not moved to " + nextHop);
        Map<String, TableRoutes> converged = byTable(tables.values(), outcomes);
        // what start changed is read back; a start that changed nothing has just read it
        if (mover.writes() == 0) {
            return new Converged(converged, earlierWrites);
        }
        Contention contention = new Contention(tables.values(), converged.values(), nextHop, zone, ownWrites);
        return new Converged(
                readBack(mover, vpcId, converged, contention, nextHop, zone), earlierWrites + mover.writes());
    }

    private Map<String, TableRoutes> convergeAll(
            RouteMover mover, Collection<TableRoutes> tables, String nextHop, Optional<String> zone)
            throws StrategyException {
        List<Parallel.Outcome<Lane, List<Route>>> outcomes = write(mover, tables, nextHop, zone);
        Parallel.failIfAny(outcomes, "routes not moved to " + nextHop);
        return byTable(tables, outcomes);
    }

    /**
     * Writes that must follow one another: one egress route's PATCH, or an ingress table's move (its
     * new route created before the old one is deleted, then renamed: never a moment without a route).
     */
    private record Lane(TableRoutes table, List<Route> routes) {}

    /**
     * Makes every VIP route of {@code tables} deliver to {@code nextHop}, every lane at once
     * ({@link Parallel#atOnce}, up to {@code parallelism}): the writes take the time of the longest lane
     * (one round trip per egress route whatever their number; create, delete and rename for an ingress
     * route moving zones), not of all of them one after the other. Writes at the same time to one table
     * each name a route of their own; no two lanes touch the same route.
     */
    private List<Parallel.Outcome<Lane, List<Route>>> write(
            RouteMover mover, Collection<TableRoutes> tables, String nextHop, Optional<String> zone) {
        List<Lane> lanes = new ArrayList<>();
        for (TableRoutes table : tables) {
            if (table.ingress()) {
                lanes.add(new Lane(table, table.vipRoutes()));
            } else {
                table.vipRoutes().forEach(route -> lanes.add(new Lane(table, List.of(route))));
            }
        }
        return Parallel.atOnce(lanes, config.parallelism(), lane -> converge(mover, lane, nextHop, zone));
    }

    /** The tables as the lanes left them, in the order of {@code tables}; only for lanes that all succeeded. */
    private static Map<String, TableRoutes> byTable(
            Collection<TableRoutes> tables, List<Parallel.Outcome<Lane, List<Route>>> outcomes) {
        Map<String, List<Route>> routes = new LinkedHashMap<>();
        tables.forEach(table -> routes.put(table.table().id(), new ArrayList<>()));
        outcomes.forEach(
                outcome -> routes.get(outcome.item().table().table().id()).addAll(outcome.result()));
        Map<String, TableRoutes> converged = new LinkedHashMap<>();
        tables.forEach(table -> converged.put(
                table.table().id(), table.with(routes.get(table.table().id()))));
        return converged;
    }

    /**
     * Whether a write failed because the table changed since it was read: the route is gone, or the
     * name a move made sure was free is taken. Another node moves the routes too.
     */
    private static boolean changedMeanwhile(StrategyException failure) {
        return failure instanceof CloudException cloud
                && (cloud.cloudErrorKind() == CloudErrorKind.NOT_FOUND
                        || cloud.code().equals(Optional.of("validation_unique_failed")));
    }

    /**
     * Makes one lane's routes deliver to {@code nextHop}: an egress route in place; an ingress table's
     * routes in this node's zone.
     */
    private static List<Route> converge(RouteMover mover, Lane lane, String nextHop, Optional<String> zone)
            throws StrategyException {
        RouteMover.Table table = lane.table().table().forMover();
        if (lane.table().ingress()) {
            return mover.intoZone(table, lane.routes(), zone.orElseThrow(), nextHop);
        }
        List<Route> result = new ArrayList<>();
        for (Route route : lane.routes()) {
            result.add(mover.pointAt(table, route, nextHop));
        }
        return result;
    }

    /**
     * Reads the tables back until their VIP routes all deliver here, within the time left; settles a
     * race with another node on the way ({@link Contention}).
     */
    private Map<String, TableRoutes> readBack(
            RouteMover mover,
            String vpcId,
            Map<String, TableRoutes> tables,
            Contention contention,
            String nextHop,
            Optional<String> zone)
            throws StrategyException {
        Instant latest = context.clock().instant().plus(MAX_VERIFY);
        TimeBox timeBox =
                new TimeBox(latest.isBefore(context.deadline()) ? latest : context.deadline(), context.clock());
        return Settle.within(timeBox)
                .until(
                        "read back the routes",
                        () -> discovery.reread(vpcId, tables.values()),
                        read -> {
                            if (read.values().stream()
                                    .allMatch(table -> vip.misdirected(table, nextHop, zone)
                                            .isEmpty())) {
                                return true;
                            }
                            Optional<Contention.Rival> rival = contention.rival(read.values());
                            if (rival.isPresent()) {
                                settleRace(mover, read, contention, rival.get(), nextHop, zone);
                            }
                            return false;
                        },
                        (lastSeen, lastFailure) -> {
                            List<String> wrong = new ArrayList<>();
                            lastSeen.ifPresent(read -> read.values()
                                    .forEach(table -> wrong.addAll(vip.misdirected(table, nextHop, zone))));
                            lastFailure.ifPresent(failure -> wrong.add("the last read failed: " + failure.reason()));
                            return StrategyException.generic("after the change, " + String.join("; ", wrong)
                                    + " (another node may have moved it)");
                        });
    }

    /**
     * Another node moves the routes at the same time: the higher next-hop address takes them all.
     * Taking them means pointing them here again, and making a route again where both nodes' moves
     * left a table none (read back next); handing them over means pointing every route at the other
     * node and failing this start.
     */
    private void settleRace(
            RouteMover mover,
            Map<String, TableRoutes> read,
            Contention contention,
            Contention.Rival rival,
            String nextHop,
            Optional<String> zone)
            throws StrategyException {
        if (rival.nextHop().isEmpty()
                || address(nextHop) > address(rival.nextHop().get())) {
            context.logger()
                    .log(
                            Level.WARNING,
                            "another node"
                                    + rival.nextHop()
                                            .map(other -> " (next hop " + other + ")")
                                            .orElse("")
                                    + " moves the routes for " + vip.describe() + " at the same time; this node "
                                    + "takes them all");
            List<TableRoutes> withRoutes = new ArrayList<>();
            List<TableRoutes> taken = new ArrayList<>();
            for (TableRoutes table : read.values()) {
                Optional<Route> template = contention.template(table.table().id());
                if (table.vipRoutes().isEmpty() && table.ingress() && template.isPresent()) {
                    taken.add(table.with(List.of(
                            mover.recreate(table.table().forMover(), template.get(), zone.orElseThrow(), nextHop))));
                } else if (!table.vipRoutes().isEmpty()) {
                    withRoutes.add(table);
                }
            }
            taken.addAll(convergeAll(mover, withRoutes, nextHop, zone).values());
            contention.saw(taken);
            return;
        }
        String other = rival.nextHop().get();
        for (TableRoutes table : read.values()) {
            if (!table.ingress()) {
                for (Route route : table.vipRoutes()) {
                    mover.pointAt(table.table().forMover(), route, other);
                }
                continue;
            }
            // an ingress route can only deliver in its own zone: keep the other node's, drop the rest
            Optional<String> otherZone = table.vipRoutes().stream()
                    .filter(route -> route.nextHopAddress().equals(Optional.of(other)))
                    .map(Route::zone)
                    .findFirst();
            if (otherZone.isPresent()) {
                mover.intoZone(table.table().forMover(), table.vipRoutes(), otherZone.get(), other);
            }
        }
        throw StrategyException.generic("the node with next hop " + other + " moved the routes for "
                + vip.describe() + " at the same time; they are handed over to it (the higher address) so that one "
                + "node owns them, and this start fails");
    }

    private static long address(String ipv4) {
        return Ipv4.parse(ipv4).orElse(-1);
    }

    /**
     * What tells a change of another node from a change of this one's that does not show yet: the
     * routes this node found delivering here and left alone, the routes it made or changed, and every
     * route it saw.
     */
    private static final class Contention {
        /** Another node moving the routes, by its next hop when a route shows it. */
        record Rival(Optional<String> nextHop) {}

        private final String nextHop;
        private final Optional<String> zone;
        private final Set<String> leftAlone = new HashSet<>();
        private final Set<String> known = new HashSet<>();
        private final Set<String> made = new HashSet<>();
        private final Map<String, Route> templates = new HashMap<>();

        /**
         * @param found the tables as read before this node's writes
         * @param converged the tables as this node's writes left them
         * @param ownWrites routes this node pointed here before {@code found} was read: its own changes
         */
        Contention(
                Collection<TableRoutes> found,
                Collection<TableRoutes> converged,
                String nextHop,
                Optional<String> zone,
                Set<String> ownWrites) {
            this.nextHop = nextHop;
            this.zone = zone;
            for (TableRoutes table : found) {
                for (Route route : table.vipRoutes()) {
                    known.add(route.id());
                    templates.putIfAbsent(table.table().id(), route);
                    if (deliversHere(table, route) && !ownWrites.contains(route.id())) {
                        leftAlone.add(route.id());
                    }
                }
            }
            // a table that lost every route since it was read is made again like the route written there
            converged.forEach(table -> table.vipRoutes().stream()
                    .findFirst()
                    .ifPresent(route -> templates.putIfAbsent(table.table().id(), route)));
            saw(converged);
        }

        /**
         * After routes were written in place ({@code written}, not read first) and read back ({@code read}):
         * every route read is known (one the cache missed is a stale cache, not a sign), none was left
         * alone, and a route written that is gone was deleted by another node.
         */
        static Contention afterWritesInPlace(
                Collection<TableRoutes> written, Collection<TableRoutes> read, String nextHop, Optional<String> zone) {
            Set<String> ours = new HashSet<>();
            Stream.concat(written.stream(), read.stream())
                    .flatMap(table -> table.vipRoutes().stream())
                    .forEach(route -> ours.add(route.id()));
            return new Contention(read, written, nextHop, zone, ours);
        }

        /** Routes this node made or changed: one that disappears was deleted by another node. */
        void saw(Collection<TableRoutes> converged) {
            made.clear();
            for (TableRoutes table : converged) {
                for (Route route : table.vipRoutes()) {
                    known.add(route.id());
                    made.add(route.id());
                }
            }
        }

        /** A route of the table as it was, to make it again from. */
        Optional<Route> template(String tableId) {
            return Optional.ofNullable(templates.get(tableId));
        }

        /**
         * Another node, when a read shows its change: a route this node never saw, one it left alone
         * that delivers elsewhere now, or one it left alone or made that is gone.
         */
        Optional<Rival> rival(Collection<TableRoutes> read) {
            boolean changedByAnother = false;
            Set<String> present = new HashSet<>();
            Optional<String> other = Optional.empty();
            for (TableRoutes table : read) {
                for (Route route : table.vipRoutes()) {
                    present.add(route.id());
                    if (!known.contains(route.id())
                            || (leftAlone.contains(route.id()) && !deliversHere(table, route))) {
                        changedByAnother = true;
                    }
                    if (other.isEmpty() && !route.nextHopAddress().equals(Optional.of(nextHop))) {
                        other = route.nextHopAddress();
                    }
                }
            }
            if (!present.containsAll(leftAlone) || !present.containsAll(made)) {
                changedByAnother = true;
            }
            return changedByAnother ? Optional.of(new Rival(other)) : Optional.empty();
        }

        private boolean deliversHere(TableRoutes table, Route route) {
            return route.nextHopAddress().equals(Optional.of(nextHop))
                    && (!table.ingress() || zone.isEmpty() || route.zone().equals(zone.get()));
        }
    }
}
