package io.vpcha.strategy.loadbalancer;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.MonitorResult;
import io.vpcha.spi.Readiness;
import io.vpcha.spi.ReadinessProblem;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.PoolMember;
import io.vpcha.spi.cloud.VpcApi;
import io.vpcha.toolkit.readiness.TargetReadiness;
import io.vpcha.toolkit.state.StateStore;
import io.vpcha.toolkit.time.MonitorGrace;
import io.vpcha.toolkit.time.TimeBox;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * mode=pool-member: start makes this node's member the only one with a weight; monitor reads the
 * members (one request) and checks it still is; stop sets this node's weight to 0, best effort.
 */
final class PoolMemberMode {
    private final StrategyContext context;
    private final StateStore state;
    private final System.Logger log;

    PoolMemberMode(StrategyContext context, StateStore state) {
        this.context = requireNonNull(context, "context is null");
        this.state = requireNonNull(state, "state is null");
        this.log = context.logger();
    }

    void start(LoadBalancerSettings settings) throws StrategyException {
        TimeBox timeBox = TimeBox.of(context);
        VpcApi vpc = context.cloud().vpc();
        LoadBalancerApi api = new LoadBalancerApi(vpc, timeBox);
        Optional<Map<String, String>> keptPool = state.read(KnownPool.RECORD);
        LoadBalancerApi.Resolved resolved = api.resolve(settings, KnownPool.from(keptPool, settings));
        KnownPool known = resolved.known(settings);
        if (!keptPool.equals(Optional.of(known.toRecord()))) {
            state.write(KnownPool.RECORD, known.toRecord());
        }
        if (resolved.loadBalancer().isFailed()) {
            throw StrategyException.notConfigured(
                    resolved.loadBalancer().describe() + " is in provisioning_status failed and takes no change");
        }
        if (!resolved.pool().honoursWeights()) {
            throw StrategyException.notConfigured(resolved.pool().describe() + " of "
                    + resolved.loadBalancer().describe() + " uses algorithm "
                    + resolved.pool().algorithm()
                    + ", which ignores weights; mode=pool-member needs weighted_round_robin");
        }
        List<PoolMember> members = timeBox.call(
                "list members of " + resolved.pool().describe(),
                () -> vpc.listPoolMembers(known.loadBalancerId(), known.poolId()));
        PoolMember mine = thisNodesMember(settings, members, known, timeBox);
        state.write(KnownMember.RECORD, new KnownMember(known.loadBalancerId(), known.poolId(), mine.id()).toRecord());

        Instant began = context.clock().instant();
        int changes = new WeightMove(vpc, api, timeBox, context.nodeName(), log)
                .moveHere(known.loadBalancerId(), known.poolId(), members, mine, settings.weight());
        state.verifiedNow();
        state.markStarted();
        Duration took = Duration.between(began, context.clock().instant());
        if (changes == 0) {
            log.log(
                    Level.INFO,
                    () -> "this node's " + Describe.member(mine) + " is already the only one with a " + "weight in "
                            + resolved.pool().describe() + "; nothing to change");
        } else {
            log.log(
                    Level.INFO,
                    () -> "this node's " + Describe.member(mine) + " of "
                            + resolved.pool().describe()
                            + " is now the only one with a weight (" + settings.weight() + "), " + changes
                            + " change(s) in " + MonitorGrace.seconds(took));
        }
    }

    MonitorResult monitor(LoadBalancerSettings settings) throws StrategyException {
        TimeBox timeBox = TimeBox.of(context);
        VpcApi vpc = context.cloud().vpc();
        Optional<KnownPool> knownPool = KnownPool.from(state.read(KnownPool.RECORD), settings);
        Optional<KnownMember> knownMember = KnownMember.from(state.read(KnownMember.RECORD))
                .filter(member -> knownPool.isPresent() && member.isIn(knownPool.get()));
        String what = "this node's member of pool " + settings.pool();
        List<PoolMember> members;
        KnownPool pool;
        PoolMember mine;
        try {
            if (knownPool.isPresent()) {
                pool = knownPool.get();
            } else {
                pool = new LoadBalancerApi(vpc, timeBox)
                        .resolve(settings, Optional.empty())
                        .known(settings);
                state.write(KnownPool.RECORD, pool.toRecord());
            }
            KnownPool resolvedPool = pool;
            members = timeBox.call(
                    "list members of pool " + pool.poolId(),
                    () -> vpc.listPoolMembers(resolvedPool.loadBalancerId(), resolvedPool.poolId()));
            Optional<PoolMember> found = knownMember.isPresent()
                    ? members.stream()
                            .filter(member ->
                                    member.id().equals(knownMember.get().memberId()))
                            .findFirst()
                    : Optional.of(thisNodesMember(settings, members, pool, timeBox));
            if (found.isEmpty()) {
                return MonitorResult.notRunning("this node's member "
                        + knownMember.get().memberId() + " is no longer in pool " + pool.poolId());
            }
            mine = found.get();
        } catch (CloudException e) {
            return new MonitorGrace(settings.monitorGrace(), LoadBalancerParameters.MONITOR_GRACE, context.clock(), log)
                    .unverified(what, "weighted", e, state.lastVerified());
        }
        if (mine.weight().orElse(0) == 0) {
            return MonitorResult.notRunning("this node's " + Describe.member(mine) + " has weight 0: the load "
                    + "balancer sends it no new connections");
        }
        List<PoolMember> others = WeightMove.othersWeighted(members, mine.id());
        if (!others.isEmpty()) {
            return MonitorResult.notRunning(Describe.member(others.get(0)) + " has a weight too: new connections "
                    + "go to more than this node " + context.nodeName());
        }
        if (mine.health().equals("faulted")) {
            log.log(
                    Level.WARNING,
                    () -> "this node's " + Describe.member(mine) + " fails the pool's health checks: "
                            + "the load balancer sends it nothing until the application answers");
        }
        state.verifiedNowBestEffort(() -> {
            if (knownMember.isEmpty()) {
                state.write(
                        KnownMember.RECORD,
                        new KnownMember(pool.loadBalancerId(), pool.poolId(), mine.id()).toRecord());
            }
        });
        return MonitorResult.running();
    }

    /**
     * The passive node's proof, changing nothing: the load balancer and the pool exist (resolved by name
     * once, then kept as start's {@link KnownPool}, so that a promotion reads them by id), and this node
     * has a member in the pool. One VPC request per check in steady state: the list of the pool's members.
     * This node's member is not kept ({@link KnownMember} is what a stop takes the weight from). Not
     * proven: that the credentials may change the weights, which only a write shows.
     */
    Readiness readiness(LoadBalancerSettings settings) throws StrategyException {
        TimeBox timeBox = TimeBox.of(context);
        VpcApi vpc = context.cloud().vpc();
        Optional<Map<String, String>> kept = state.read(KnownPool.RECORD);
        Optional<KnownPool> known = KnownPool.from(kept, settings);
        KnownPool pool;
        List<PoolMember> members;
        try {
            if (known.isPresent()) {
                pool = known.get();
                members = listMembers(vpc, timeBox, pool);
            } else {
                pool = new LoadBalancerApi(vpc, timeBox)
                        .resolve(settings, Optional.empty())
                        .known(settings);
                members = listMembers(vpc, timeBox, pool);
                state.write(KnownPool.RECORD, pool.toRecord());
            }
        } catch (CloudException e) {
            if (e.cloudErrorKind() != CloudErrorKind.NOT_FOUND || known.isEmpty()) {
                throw e;
            }
            // deleted (and perhaps made again under the same names): the next check looks them up
            state.delete(KnownPool.RECORD);
            return Readiness.notReady(
                    ReadinessProblem.TARGET,
                    "pool " + known.get().poolId() + " of load balancer "
                            + known.get().loadBalancerId() + " no longer exists");
        } catch (StrategyException e) {
            return TargetReadiness.ofLookupFailure(e);
        }
        try {
            thisNodesMember(settings, members, pool, timeBox);
        } catch (CloudException e) {
            return Readiness.notReady(ReadinessProblem.METADATA, e.reason());
        } catch (StrategyException e) {
            return Readiness.notReady(ReadinessProblem.IDENTITY, e.reason());
        }
        return Readiness.ready();
    }

    private static List<PoolMember> listMembers(VpcApi vpc, TimeBox timeBox, KnownPool pool) throws StrategyException {
        return timeBox.call(
                "list members of pool " + pool.poolId(),
                () -> vpc.listPoolMembers(pool.loadBalancerId(), pool.poolId()));
    }

    /** Sets this node's weight to 0 if a start here recorded its member; any failure is logged and stop succeeds. */
    void stop() {
        Optional<KnownMember> known = KnownMember.from(state.read(KnownMember.RECORD));
        if (known.isEmpty()) {
            log.log(Level.DEBUG, "stop: no pool member recorded on this node; no weight to take away");
            return;
        }
        TimeBox timeBox = TimeBox.of(context);
        VpcApi vpc = context.cloud().vpc();
        KnownMember member = known.get();
        try {
            List<PoolMember> members = timeBox.call(
                    "list members of pool " + member.poolId(),
                    () -> vpc.listPoolMembers(member.loadBalancerId(), member.poolId()));
            Optional<PoolMember> mine = members.stream()
                    .filter(m -> m.id().equals(member.memberId()))
                    .findFirst();
            if (mine.isEmpty() || mine.get().weight().orElse(0) == 0) {
                log.log(
                        Level.INFO,
                        "stop: this node's member " + member.memberId() + " already takes no new connections");
                return;
            }
            new WeightMove(vpc, new LoadBalancerApi(vpc, timeBox), timeBox, context.nodeName(), log)
                    .setWeight(member.loadBalancerId(), member.poolId(), mine.get(), 0);
        } catch (StrategyException e) {
            log.log(
                    Level.WARNING,
                    "stop: could not set this node's member " + member.memberId() + " to weight 0 (stop succeeds "
                            + "anyway; the next start elsewhere does it): " + e.reason());
        }
    }

    private PoolMember thisNodesMember(
            LoadBalancerSettings settings, List<PoolMember> members, KnownPool pool, TimeBox timeBox)
            throws StrategyException {
        NodeIdentity identity =
                NodeIdentity.ofThisNode(settings, context.cloud().metadata(), timeBox, context.nodeName());
        return identity.memberIn(members)
                .orElseThrow(() -> new StrategyException(
                        ErrorKind.INVALID_ARGUMENT,
                        "this node is no member of pool " + pool.poolId() + " (looked for " + identity.source()
                                + ": " + String.join(", ", identity.names()) + "; members: "
                                + String.join(
                                        ", ",
                                        members.stream().map(Describe::member).toList())
                                + "); add it, or set node_members"));
    }
}
