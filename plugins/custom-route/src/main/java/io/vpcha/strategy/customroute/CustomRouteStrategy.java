package io.vpcha.strategy.customroute;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.CheckLevel;
import io.vpcha.spi.FailoverStrategy;
import io.vpcha.spi.MonitorRequest;
import io.vpcha.spi.MonitorResult;
import io.vpcha.spi.Readiness;
import io.vpcha.spi.ReadinessProblem;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.toolkit.bench.ComparisonSwitch;
import io.vpcha.toolkit.net.LocalAddress;
import io.vpcha.toolkit.state.StateStore;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes every route for the VIP in the selected routing tables deliver to this node.
 *
 * <p>start discovers the VIP's routes (or takes them from the cache, {@link TableDiscovery}), converges
 * each table in parallel and reads the result back ({@link RouteConvergence}); the promotion of a
 * ready passive node writes the remembered routes in place with no read first when it can ({@link
 * #writesInPlace}), then reads them back. Then it adds the VIP
 * locally and leaves a marker. monitor checks the marker, the local VIP and the remembered routes with
 * one request per table ({@link RouteMonitor}). stop only touches this node: the VIP and the marker.
 * validate-all at level 10 reads what a start would change ({@link CloudCheck}). A promotable clone's
 * passive node checks its readiness with one request per interval ({@link RouteReadiness}).
 */
final class CustomRouteStrategy implements FailoverStrategy {
    private final CustomRouteConfig config;
    private final StrategyContext context;
    private final NodeIdentity identity;
    private final StateStore state;
    private final VipRoutes vip;

    CustomRouteStrategy(CustomRouteConfig config, StrategyContext context) {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        this.identity = new NodeIdentity(config, context);
        this.state = StateStore.of(context);
        this.vip = new VipRoutes(config);
    }

    @Override
    public void start() throws StrategyException {
        Optional<LocalAddress> local = localAddress();
        if (local.isPresent() && !local.get().interfaceExists()) {
            // checked before any route moves: traffic must not be sent to a node that cannot take it
            throw StrategyException.notConfigured("interface " + config.interfaceName()
                    + " does not exist on this node; set interface to one that does, or manage_local_ip=false");
        }
        if (config.destination().isEmpty() && !config.clusterAddresses().isEmpty()) {
            context.logger()
                    .log(
                            Level.WARNING,
                            "no vip: managing the routes whose next hop is a cluster node (the "
                                    + "behaviour of ibm-cloud-vpc-cr-vip); set vip to manage exactly the VIP's routes");
        }
        String nextHop = identity.nextHop();
        String vpcId = identity.vpcId();
        Optional<RouteCache> cache = RouteCache.from(state.read(RouteCache.RECORD), vip.cacheKey())
                .filter(cached ->
                        cached.vpcId().equals(vpcId) && cached.nextHop().equals(nextHop));
        Optional<Map<String, String>> readiness = state.read(RouteReadiness.RECORD);
        boolean warmStandby = readiness.isPresent();
        if (warmStandby && cache.isPresent()) {
            // the promotion of a passive node, whose routes deliver elsewhere: open the connections its
            // widest round needs at once (else each request of a round wider than the last waits for a
            // TCP and a TLS handshake of its own, two round trips, after that round); they open while the
            // remembered tables are read, or together for the writes in place
            context.cloud()
                    .vpc()
                    .prepareConnections(
                            Math.min(config.parallelism(), cache.get().widestRound()));
        }
        TableDiscovery discovery = discovery();
        RouteConvergence convergence = new RouteConvergence(config, vip, discovery, context);
        Optional<RouteCache> inPlace =
                warmStandby ? cache.filter(cached -> writesInPlace(cached, readiness)) : Optional.empty();
        Optional<String> zone;
        RouteConvergence.Converged converged;
        if (inPlace.isPresent()) {
            // the common promotion: every remembered route written where it is, then read back (2 rounds)
            zone = inPlace.get().zone();
            converged = convergence.inPlace(vpcId, inPlace.get(), nextHop, zone);
        } else {
            Map<String, TableRoutes> tables = discovery.discover(vpcId, cache);
            zone = tables.values().stream().anyMatch(TableRoutes::ingress)
                    ? Optional.of(cache.flatMap(RouteCache::zone).orElse(identity.zone()))
                    : Optional.empty();
            converged = convergence.toNode(vpcId, tables, nextHop, zone);
        }
        context.logger()
                .log(
                        Level.INFO,
                        "routes for " + vip.describe() + " deliver to " + nextHop + " in "
                                + converged.tables().size() + " routing table(s), " + converged.writes()
                                + " change(s)");

        state.write(
                RouteCache.RECORD,
                new RouteCache(vip.cacheKey(), vpcId, nextHop, zone, RouteCache.tablesOf(converged.tables()))
                        .toRecord());
        state.verifiedNow();
        if (warmStandby) {
            // active now: a later start here (a restart in place) finds the routes already delivering here
            state.delete(RouteReadiness.RECORD);
        }
        if (local.isPresent()) {
            AddedAddress.record(state, config.localAddress().orElseThrow(), config.interfaceName());
            local.get().add();
        }
        state.markStarted();
    }

    /**
     * The passive node's proof: the VIP's interface exists here, this node's next hop and VPC are known,
     * and the VIP's routes are there and movable. What was found is start's route cache, so a promotion
     * reads only the remembered tables. Nothing is changed.
     */
    @Override
    public Readiness readiness() throws StrategyException {
        Optional<LocalAddress> local = localAddress();
        if (local.isPresent() && !local.get().interfaceExists()) {
            return Readiness.notReady(
                    ReadinessProblem.LOCAL, "interface " + config.interfaceName() + " does not exist on this node");
        }
        String nextHop;
        String vpcId;
        try {
            nextHop = identity.nextHop();
            vpcId = identity.vpcId();
        } catch (CloudException e) {
            return Readiness.notReady(ReadinessProblem.METADATA, "metadata service: " + e.reason());
        } catch (StrategyException e) {
            return Readiness.notReady(ReadinessProblem.IDENTITY, e.reason());
        }
        return new RouteReadiness(vip, discovery(), state, context.cloud().vpc(), context.clock())
                .check(vpcId, nextHop, identity::zone);
    }

    @Override
    public MonitorResult monitor(MonitorRequest request) throws StrategyException {
        if (!state.isStarted()) {
            return MonitorResult.notRunning("not started on this node");
        }
        Optional<LocalAddress> local = localAddress();
        if (local.isPresent() && !local.get().isPresent()) {
            return MonitorResult.notRunning(
                    config.localAddress().orElseThrow() + " is not on " + config.interfaceName());
        }
        return new RouteMonitor(config, vip, context, state).check();
    }

    @Override
    public void stop() throws StrategyException {
        stopOnThisNode(context, localAddress());
    }

    /**
     * Removes what start added on this node: the local address it recorded (else the configured one)
     * and the marker. Needs no cloud and no configuration beyond that, so it also serves a stop whose
     * configuration cannot work any more. An interface that does not exist, or a node without
     * iproute2, holds no VIP; a state directory that cannot be used holds no marker.
     */
    static void stopOnThisNode(StrategyContext context, Optional<LocalAddress> configured) throws StrategyException {
        StateStore state = StateStore.of(context);
        AddedAddress.remove(state, configured, context.logger());
        state.clearStarted();
    }

    @Override
    public void validate(CheckLevel level) throws StrategyException {
        if (level == CheckLevel.SYNTAX) {
            return; // CustomRouteConfig checked every parameter and combination already
        }
        String nextHop = identity.nextHop();
        Map<String, TableRoutes> tables = discovery().discover(identity.vpcId(), Optional.empty());
        List<String> problems =
                new CloudCheck(context.cloud().metadata(), context.cloud().vpc()).problems(tables.values(), nextHop);
        if (!problems.isEmpty()) {
            throw StrategyException.notConfigured(String.join("; ", problems));
        }
    }

    /**
     * Whether a promotion writes the routes {@code cache} remembers in place, with no read first: the
     * routes are chosen by destination (a route's destination cannot change, so a remembered id names a
     * VIP route for good; without {@code vip} a route is the VIP's only while its next hop is a cluster
     * node, which only a read shows), every one can be pointed here where it is ({@link
     * RouteCache#writableInPlace}: no ingress route must move zones), and a readiness check vouches for
     * the cache ({@link RouteReadiness#vouchesForRoutes}). {@link ComparisonSwitch#ROUTES_IN_PLACE} off
     * reads first always, to compare (bench/).
     */
    private boolean writesInPlace(RouteCache cache, Optional<Map<String, String>> readiness) {
        return ComparisonSwitch.ROUTES_IN_PLACE.on()
                && config.destination().isPresent()
                && cache.writableInPlace(cache.zone())
                && RouteReadiness.vouchesForRoutes(readiness, context.clock().instant());
    }

    private TableDiscovery discovery() {
        return new TableDiscovery(config, vip, context.cloud().vpc(), context.logger());
    }

    private Optional<LocalAddress> localAddress() {
        return config.localAddress()
                .map(address -> new LocalAddress(address, 32, config.interfaceName(), context.logger()));
    }
}
