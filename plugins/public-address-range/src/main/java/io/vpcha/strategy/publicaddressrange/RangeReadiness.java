package io.vpcha.strategy.publicaddressrange;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.Readiness;
import io.vpcha.spi.ReadinessProblem;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.Route;
import io.vpcha.spi.cloud.RoutingTable;
import io.vpcha.spi.cloud.VpcApi;
import io.vpcha.toolkit.readiness.TargetReadiness;
import io.vpcha.toolkit.route.RouteMover;
import io.vpcha.toolkit.state.StateStore;
import io.vpcha.toolkit.time.TimeBox;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether this node could take the range over, at one VPC request per check in steady state.
 *
 * <p>The first check (or one after the settings, the VPC, this node's zone or next hop changed) finds
 * what a cold start finds: the range (by id: one GET; by name or CIDR: the list, then a GET), the
 * internet-ingress routing table (the VPC's list of tables) and the range's routes in it (one list),
 * and keeps them as start's {@link Placement}, so that a promotion reads the range by id and goes
 * straight to the remembered table. Every later check reads one of the two things a takeover changes,
 * in turn (the turn is the record {@value #RECORD}): the range (it exists, and is not bound to another
 * VPC), then the remembered route (it exists, still routes the range, and can be moved). A route that
 * is gone (the active node's move between zones makes it again under a new id) has the table listed
 * in that same check, and its route remembered: one list more, once per move. Nothing is changed.
 */
final class RangeReadiness {
    /** The state record holding whose turn it is. */
    static final String RECORD = "readiness";

    private final StrategyContext context;
    private final StateStore state;
    private final TimeBox timeBox;

    RangeReadiness(StrategyContext context, StateStore state, TimeBox timeBox) {
        this.context = requireNonNull(context, "context is null");
        this.state = requireNonNull(state, "state is null");
        this.timeBox = requireNonNull(timeBox, "timeBox is null");
    }

    /** @throws StrategyException when the cloud cannot answer (the host says why the node is not ready) */
    Readiness check(ParSettings settings) throws StrategyException {
        ThisNode node =
                new ThisNode(settings, context.nodeName(), context.cloud().metadata(), timeBox);
        String vpcId;
        String zone;
        String nextHop;
        try {
            vpcId = node.vpcId();
            zone = node.zone();
            nextHop = node.nextHop();
        } catch (CloudException e) {
            return Readiness.notReady(ReadinessProblem.METADATA, e.reason());
        } catch (StrategyException e) {
            return Readiness.notReady(ReadinessProblem.IDENTITY, e.reason());
        }
        Optional<Placement> kept = Placement.from(state.read(Placement.RECORD), settings.placementKey())
                .filter(placement -> placement.vpcId().equals(vpcId)
                        && placement.zone().equals(zone)
                        && placement.nextHop().equals(nextHop));
        if (kept.isEmpty()) {
            return discover(settings, vpcId, zone, nextHop);
        }
        int turn = nextTurn();
        state.write(RECORD, Map.of("next", Integer.toString((turn + 1) % 2)));
        return turn == 0 ? range(kept.get(), vpcId) : route(kept.get());
    }

    /** The range, the ingress table and the range's routes, found as a cold start finds them, and kept. */
    private Readiness discover(ParSettings settings, String vpcId, String zone, String nextHop)
            throws StrategyException {
        AddressRange range;
        RouteMover.Table ingressTable;
        List<Route> routes;
        VpcApi vpc = context.cloud().vpc();
        try {
            range = new RangeLookup(new Ranges(context.cloud(), timeBox)).find(settings.range(), Optional.empty());
            RoutingTable table = IngressTable.find(vpc, timeBox, vpcId, settings.routingTable());
            ingressTable = new RouteMover.Table(table.id(), table.name());
            routes = ingress(ingressTable, vpcId, range.cidr()).current(timeBox);
        } catch (StrategyException e) {
            return TargetReadiness.ofLookupFailure(e);
        }
        state.write(
                Placement.RECORD,
                Placement.of(
                                settings,
                                range,
                                vpcId,
                                zone,
                                nextHop,
                                ingressTable,
                                routes.isEmpty() ? "" : routes.get(0).id())
                        .toRecord());
        state.write(RECORD, Map.of("next", "0"));
        Readiness bound = bound(range, vpcId);
        return bound.isReady() ? movable(routes, ingressTable.name(), range.cidr()) : bound;
    }

    /** The range kept: one GET. A range that is gone makes the next check look it up again. */
    private Readiness range(Placement kept, String vpcId) throws StrategyException {
        Optional<AddressRange> range = new Ranges(context.cloud(), timeBox).get(kept.rangeId());
        if (range.isEmpty()) {
            state.delete(Placement.RECORD);
            return Readiness.notReady(
                    ReadinessProblem.TARGET, kept.describeRange() + " (" + kept.rangeId() + ") no longer exists");
        }
        return bound(range.get(), vpcId);
    }

    /**
     * The route kept: one GET; when it is gone (or none was kept: start will create one), the table's
     * routes for the range, listed and the first remembered. A table that is gone makes the next check
     * find it again.
     */
    private Readiness route(Placement kept) throws StrategyException {
        RouteMover.Table table = new RouteMover.Table(kept.tableId(), kept.tableName());
        IngressRoute ingress = ingress(table, kept.vpcId(), kept.cidr());
        if (!kept.routeId().isEmpty()) {
            try {
                Route route = timeBox.call(
                        "get route " + kept.routeId(),
                        () -> context.cloud().vpc().getRoute(kept.vpcId(), kept.tableId(), kept.routeId()));
                if (!ingress.forRange(List.of(route)).isEmpty()) {
                    return movable(List.of(route), kept.tableName(), kept.cidr());
                }
            } catch (CloudException e) {
                if (e.cloudErrorKind() != CloudErrorKind.NOT_FOUND) {
                    throw e;
                }
            }
        }
        List<Route> routes;
        try {
            routes = ingress.current(timeBox);
        } catch (CloudException e) {
            if (e.cloudErrorKind() == CloudErrorKind.NOT_FOUND) {
                state.delete(Placement.RECORD);
            }
            throw e;
        }
        String routeId = routes.isEmpty() ? "" : routes.get(0).id();
        if (!routeId.equals(kept.routeId())) {
            state.write(Placement.RECORD, kept.withRoute(routeId).toRecord());
        }
        return movable(routes, kept.tableName(), kept.cidr());
    }

    private static Readiness bound(AddressRange range, String vpcId) {
        if (range.isBoundToAnotherVpcThan(vpcId)) {
            return Readiness.notReady(
                    ReadinessProblem.CONFIGURATION,
                    range.describe() + " is bound to " + range.binding() + ", not to this cluster's VPC " + vpcId);
        }
        return Readiness.ready();
    }

    /** Ready unless a route for the range belongs to a service (start could not move it); none is fine. */
    private static Readiness movable(List<Route> routes, String tableName, String cidr) {
        List<String> services = routes.stream()
                .filter(route -> !route.isUserRoute())
                .map(route -> "route " + route.name() + " for " + cidr + " in " + tableName + " belongs to a "
                        + "service (origin " + route.origin() + ") and cannot be moved")
                .toList();
        return services.isEmpty()
                ? Readiness.ready()
                : Readiness.notReady(ReadinessProblem.CONFIGURATION, String.join("; ", services));
    }

    private IngressRoute ingress(RouteMover.Table table, String vpcId, String cidr) {
        return new IngressRoute(context.cloud().vpc(), vpcId, table, cidr, context.logger());
    }

    private int nextTurn() {
        return "1".equals(state.read(RECORD).map(values -> values.get("next")).orElse("0")) ? 1 : 0;
    }
}
