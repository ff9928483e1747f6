package io.vpcha.strategy.publicaddressrange;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.CheckLevel;
import io.vpcha.spi.FailoverStrategy;
import io.vpcha.spi.MonitorRequest;
import io.vpcha.spi.MonitorResult;
import io.vpcha.spi.ParameterValues;
import io.vpcha.spi.Readiness;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.Route;
import io.vpcha.spi.cloud.RoutingTable;
import io.vpcha.spi.cloud.VpcApi;
import io.vpcha.toolkit.route.RouteMover;
import io.vpcha.toolkit.state.StateStore;
import io.vpcha.toolkit.time.MonitorGrace;
import io.vpcha.toolkit.time.TimeBox;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A public address range that follows the active node across zones.
 *
 * <p>start binds the range to this node's zone (when it is elsewhere) and waits until it is stable,
 * then makes the internet-ingress route for its CIDR deliver to this node in this zone, and keeps
 * where it put both. monitor asks about exactly those: the range's binding and the route (two requests
 * in steady state). stop only removes this node's claim: traffic keeps going where the range and route
 * are until another node starts. A promotable clone's passive node checks its readiness with one
 * request per interval ({@link RangeReadiness}).
 */
final class PublicAddressRangeStrategy implements FailoverStrategy {
    /** How long start keeps reading back a route change the API does not show yet. */
    private static final Duration MAX_ROUTE_VERIFY = Duration.ofSeconds(20);

    private final ParameterValues parameters;
    private final StrategyContext context;
    private final StateStore state;
    private final System.Logger log;

    PublicAddressRangeStrategy(ParameterValues parameters, StrategyContext context) {
        this.parameters = requireNonNull(parameters, "parameters is null");
        this.context = requireNonNull(context, "context is null");
        this.state = StateStore.of(context);
        this.log = context.logger();
    }

    // ---------------------------------------------------------------- start

    @Override
    public void start() throws StrategyException {
        ParSettings settings = ParSettings.from(parameters);
        TimeBox timeBox = TimeBox.of(context);
        ThisNode node =
                new ThisNode(settings, context.nodeName(), context.cloud().metadata(), timeBox);
        Optional<Placement> kept = Placement.from(state.read(Placement.RECORD), settings.placementKey());
        String vpcId = node.vpcId();
        String zone = node.zone();
        String nextHop = node.nextHop();
        Instant began = context.clock().instant();

        Ranges ranges = new Ranges(context.cloud(), timeBox);
        AddressRange range = new RangeLookup(ranges).find(settings.range(), kept.map(Placement::rangeId));
        if (range.isBoundToAnotherVpcThan(vpcId)) {
            throw StrategyException.notConfigured(range.describe() + " is bound to " + range.binding()
                    + ", not to this cluster's VPC " + vpcId + "; unbind it there (or set vpc_id) first");
        }
        // the ingress table is found before the range moves: a table that routes no internet ingress, or none at
        // all, is refused with nothing changed, rather than after the range left the node it delivered to
        VpcApi vpc = context.cloud().vpc();
        RouteMover.Table table = kept.filter(placement -> placement.vpcId().equals(vpcId))
                .map(placement -> new RouteMover.Table(placement.tableId(), placement.tableName()))
                .orElse(null);
        if (table == null) {
            RoutingTable found = IngressTable.find(vpc, timeBox, vpcId, settings.routingTable());
            table = new RouteMover.Table(found.id(), found.name());
        }
        RangeMove.Moved moved = new RangeMove(
                        ranges, RangeMove.timeBox(context.deadline(), context.clock(), settings.moveTimeout()), log)
                .bindHere(range, vpcId, zone);

        IngressRoute ingress = new IngressRoute(vpc, vpcId, table, range.cidr(), log);
        Route route = ingress.deliverHere(routeTimeBox(), zone, nextHop, range.name());

        Placement placement = Placement.of(settings, range, vpcId, zone, nextHop, table, route.id());
        if (!kept.equals(Optional.of(placement))) {
            state.write(Placement.RECORD, placement.toRecord());
        }
        state.verifiedNow();
        state.markStarted();
        Duration took = Duration.between(began, context.clock().instant());
        log.log(
                Level.INFO,
                () -> range.describe() + " delivers to " + nextHop + " in zone " + zone
                        + (moved.patched() ? " (range moved from " + range.binding() + ")" : "") + " after "
                        + MonitorGrace.seconds(took));
    }

    private TimeBox routeTimeBox() {
        Instant latest = context.clock().instant().plus(MAX_ROUTE_VERIFY);
        return new TimeBox(latest.isBefore(context.deadline()) ? latest : context.deadline(), context.clock());
    }

    // ---------------------------------------------------------------- monitor

    @Override
    public MonitorResult monitor(MonitorRequest request) throws StrategyException {
        if (!state.isStarted()) {
            // no API call: a probe on a node that never ran the resource costs nothing
            return MonitorResult.notRunning("not started on this node " + context.nodeName());
        }
        ParSettings settings = ParSettings.from(parameters);
        Optional<Placement> kept = Placement.from(state.read(Placement.RECORD), settings.placementKey());
        if (kept.isEmpty()) {
            return MonitorResult.notRunning("no record of where start put the range on this node; start again");
        }
        Placement placement = kept.get();
        TimeBox timeBox = TimeBox.of(context);
        VpcApi vpc = context.cloud().vpc();
        IngressRoute ingress = new IngressRoute(
                vpc,
                placement.vpcId(),
                new RouteMover.Table(placement.tableId(), placement.tableName()),
                placement.cidr(),
                log);
        AddressRange range;
        Optional<Route> route;
        try {
            range = new Ranges(context.cloud(), timeBox)
                    .get(placement.rangeId())
                    .orElseThrow(() -> new CloudException(
                            CloudErrorKind.NOT_FOUND,
                            404,
                            null,
                            placement.describeRange() + " (" + placement.rangeId() + ") no longer exists",
                            null,
                            null));
            if (!range.isBoundTo(placement.vpcId(), placement.zone())) {
                return MonitorResult.notRunning(range.describe() + " is bound to " + range.binding()
                        + ", not to this node's zone " + placement.zone());
            }
            route = routeOf(vpc, timeBox, ingress, placement);
        } catch (CloudException e) {
            return new MonitorGrace(settings.monitorGrace(), ParParameters.MONITOR_GRACE, context.clock(), log)
                    .unverified(placement.describeRange(), "delivering here", e, state.lastVerified());
        }
        if (route.isEmpty()) {
            return MonitorResult.notRunning(
                    String.join("; ", ingress.misdirected(List.of(), placement.zone(), placement.nextHop())));
        }
        List<String> wrong = ingress.misdirected(List.of(route.get()), placement.zone(), placement.nextHop());
        if (!wrong.isEmpty()) {
            return MonitorResult.notRunning(String.join("; ", wrong));
        }
        state.verifiedNowBestEffort(() -> {
            if (!route.get().id().equals(placement.routeId())) {
                state.write(
                        Placement.RECORD, placement.withRoute(route.get().id()).toRecord());
            }
        });
        return MonitorResult.running();
    }

    /**
     * The route start left, by its id (one GET); when it is gone, the table's route for the range that
     * delivers here, if any (one list): a route re-created by hand is as good.
     */
    private static Optional<Route> routeOf(VpcApi vpc, TimeBox timeBox, IngressRoute ingress, Placement placement)
            throws StrategyException {
        try {
            Route route = timeBox.call(
                    "get route " + placement.routeId(),
                    () -> vpc.getRoute(placement.vpcId(), placement.tableId(), placement.routeId()));
            return Optional.of(route);
        } catch (CloudException e) {
            if (e.cloudErrorKind() != CloudErrorKind.NOT_FOUND) {
                throw e;
            }
        }
        List<Route> routes = ingress.current(timeBox);
        return routes.stream()
                .filter(route -> ingress.misdirected(List.of(route), placement.zone(), placement.nextHop())
                        .isEmpty())
                .findFirst()
                .or(() -> routes.stream().findFirst());
    }

    // ---------------------------------------------------------------- readiness

    /**
     * The passive node's proof, changing nothing: this node's VPC, zone and next hop are known, the range
     * exists and is not bound to another VPC, the internet-ingress table exists and the range's route
     * there can be moved. One VPC request per check in steady state ({@link RangeReadiness}); what it
     * finds is start's {@link Placement}, so a promotion needs no lookup. Not proven: that the credentials
     * may change the range ({@value Ranges#UPDATE_ACTIONS}) and the route, which only a write shows.
     */
    @Override
    public Readiness readiness() throws StrategyException {
        return new RangeReadiness(context, state, TimeBox.of(context)).check(ParSettings.from(parameters));
    }

    // ---------------------------------------------------------------- stop, validate

    @Override
    public void stop() throws StrategyException {
        // No API call: the range and its route stay where they are until another node starts, so traffic
        // still flows if this node comes back first; a state directory that cannot be used holds no marker.
        state.clearStarted();
    }

    @Override
    public void validate(CheckLevel level) throws StrategyException {
        ParSettings settings = ParSettings.from(parameters);
        if (level == CheckLevel.CLOUD) {
            new CloudCheck(context, TimeBox.of(context)).check(settings);
        }
    }
}
