package io.vpcha.strategy.floatingip;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.CheckLevel;
import io.vpcha.spi.FailoverStrategy;
import io.vpcha.spi.MonitorRequest;
import io.vpcha.spi.MonitorResult;
import io.vpcha.spi.ParameterValues;
import io.vpcha.spi.Readiness;
import io.vpcha.spi.ReadinessProblem;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.FloatingIp;
import io.vpcha.spi.cloud.VpcApi;
import io.vpcha.toolkit.bench.ComparisonSwitch;
import io.vpcha.toolkit.readiness.RecentCheck;
import io.vpcha.toolkit.readiness.TargetReadiness;
import io.vpcha.toolkit.state.StateStore;
import io.vpcha.toolkit.stop.StopPolicy;
import io.vpcha.toolkit.time.MonitorGrace;
import io.vpcha.toolkit.time.TimeBox;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Same-zone failover: start binds the floating IP to this node's interface with one PATCH (which
 * replaces the other node's binding in the same step) and reads it back (the promotion of a ready
 * passive node sends the PATCH first, with what its readiness check saw); monitor asks the API where
 * it is bound, one GET in steady state; stop removes the "started here" marker and, when asked,
 * unbinds.
 */
final class FloatingIpStrategy implements FailoverStrategy {
    private static final String AVAILABLE = "available";
    /** The state record of the last successful readiness check ({@link RecentCheck}). */
    static final String READINESS_RECORD = "readiness";

    private final ParameterValues parameters;
    private final StrategyContext context;
    private final StateStore state;
    private final System.Logger log;

    FloatingIpStrategy(ParameterValues parameters, StrategyContext context) {
        this.parameters = requireNonNull(parameters, "parameters is null");
        this.context = requireNonNull(context, "context is null");
        this.state = StateStore.of(context);
        this.log = context.logger();
    }

    @Override
    public void start() throws StrategyException {
        FloatingIpSettings settings = settings();
        warnIfDeprecatedTargets(settings);
        TimeBox timeBox = TimeBox.of(context);
        VpcApi vpc = context.cloud().vpc();
        TargetResolver resolver = new TargetResolver(context.cloud().metadata(), timeBox);
        FloatingIpMove move = new FloatingIpMove(vpc, timeBox, resolver, context.nodeName(), log);
        Optional<Map<String, String>> keptFloatingIp = state.read(KnownFloatingIp.RECORD);
        Optional<Map<String, String>> keptTarget = state.read(KnownTarget.RECORD);
        Optional<NodeTarget> cachedTarget = KnownTarget.from(keptTarget, settings.targetSelection());

        Instant began = context.clock().instant();
        Optional<FloatingIp> lastSeen =
                cachedTarget.flatMap(known -> KnownFloatingIp.from(keptFloatingIp, settings.floatingIp())
                        .flatMap(floatingIp -> writableDirectly(floatingIp, known)));
        if (lastSeen.isPresent()) {
            // the promotion of a ready passive node: the PATCH, then the read-back (2 rounds)
            Optional<FloatingIp> verified = move.moveHereDirectly(lastSeen.get(), cachedTarget.get());
            if (verified.isPresent()) {
                markStarted();
                moved(lastSeen.get(), verified.get(), cachedTarget.get(), began);
                return;
            }
        }

        FloatingIpLookup.Found found = new FloatingIpLookup(vpc, timeBox)
                .find(settings.floatingIp(), KnownFloatingIp.from(keptFloatingIp, settings.floatingIp()), false);
        FloatingIp floatingIp = found.floatingIp();
        NodeTarget target =
                cachedTarget.isPresent() ? cachedTarget.get() : resolver.resolve(settings.targetSelection());
        // kept even if the move fails: the next attempt needs no lookup
        remember(settings, floatingIp, target, keptFloatingIp, keptTarget);

        Optional<String> previous = boundTo(floatingIp);
        if (previous.equals(Optional.of(target.id())) && isAvailable(floatingIp)) {
            markStarted();
            log.log(
                    Level.INFO,
                    () -> Describe.floatingIp(floatingIp) + " is already bound to this node's " + target.describe()
                            + "; nothing to move");
            return;
        }
        FloatingIp verified = move.moveHere(floatingIp, target, found.listed());
        markStarted();
        moved(floatingIp, verified, target, began);
    }

    /**
     * The floating IP as last seen, when a start can bind it to {@code target} with no read first ({@link
     * FloatingIpMove#moveHereDirectly}): its status and binding were kept, it was bound elsewhere (bound
     * here, a start has nothing to move: the read shows it), {@code target} is in its zone as far as is
     * known, and a readiness check vouches for what was kept ({@link RecentCheck#vouches}: a promotable
     * clone's passive node checked it within 3 Unpromoted intervals; no other node keeps the record).
     * {@link ComparisonSwitch#FLOATING_IP_DIRECT} off reads first always, to compare (bench/).
     */
    private Optional<FloatingIp> writableDirectly(KnownFloatingIp known, NodeTarget target) {
        if (!ComparisonSwitch.FLOATING_IP_DIRECT.on()
                || !target.zone().map(known.zone()::equals).orElse(true)
                || !RecentCheck.vouches(
                        state.read(READINESS_RECORD), context.clock().instant())) {
            return Optional.empty();
        }
        return known.lastSeen()
                .filter(seen -> boundTo(seen).filter(target::isOnThisNode).isEmpty());
    }

    private void moved(FloatingIp before, FloatingIp verified, NodeTarget target, Instant began) {
        String from = Describe.binding(before);
        Duration took = Duration.between(began, context.clock().instant());
        log.log(
                Level.INFO,
                () -> "moved " + Describe.floatingIp(verified) + " from " + from + " to this node's "
                        + target.describe() + " in " + MonitorGrace.seconds(took));
    }

    @Override
    public void stop() throws StrategyException {
        // Removed first: whatever happens next, this node no longer claims the floating IP.
        state.clearStarted();
        StopPolicy policy = StopPolicy.fromParameterValue(parameters.require(FloatingIpParameters.STOP_POLICY));
        switch (policy) {
            case KEEP -> log.log(Level.DEBUG, "stopped; the floating IP stays bound until another node starts");
            case UNBIND -> unbindBestEffort();
        }
    }

    @Override
    public MonitorResult monitor(MonitorRequest request) throws StrategyException {
        if (!state.isStarted()) {
            // no API call: a probe on a node that never ran the resource costs nothing
            return MonitorResult.notRunning("not started on this node " + context.nodeName());
        }
        FloatingIpSettings settings = settings();
        TimeBox timeBox = TimeBox.of(context);
        VpcApi vpc = context.cloud().vpc();
        Optional<Map<String, String>> keptFloatingIp = state.read(KnownFloatingIp.RECORD);
        Optional<Map<String, String>> keptTarget = state.read(KnownTarget.RECORD);
        Optional<KnownFloatingIp> knownFloatingIp = KnownFloatingIp.from(keptFloatingIp, settings.floatingIp());
        String what = knownFloatingIp.map(KnownFloatingIp::describe).orElse("floating IP " + settings.floatingIp());
        FloatingIp floatingIp;
        NodeTarget target;
        try {
            floatingIp = knownFloatingIp.isPresent()
                    ? timeBox.call(
                            "get floating IP " + knownFloatingIp.get().id(),
                            () -> vpc.getFloatingIp(knownFloatingIp.get().id()))
                    : new FloatingIpLookup(vpc, timeBox)
                            .find(settings.floatingIp(), Optional.empty(), false)
                            .floatingIp();
            Optional<NodeTarget> knownTarget = KnownTarget.from(keptTarget, settings.targetSelection());
            target = knownTarget.isPresent()
                    ? knownTarget.get()
                    : new TargetResolver(context.cloud().metadata(), timeBox).resolve(settings.targetSelection());
        } catch (CloudException e) {
            return new MonitorGrace(settings.monitorGrace(), FloatingIpParameters.MONITOR_GRACE, context.clock(), log)
                    .unverified(what, "bound here", e, state.lastVerified());
        }

        Optional<String> bound = boundTo(floatingIp);
        if (bound.isEmpty()) {
            return MonitorResult.notRunning(Describe.floatingIp(floatingIp) + " is not bound to any interface");
        }
        if (!target.isOnThisNode(bound.get())) {
            return MonitorResult.notRunning(Describe.floatingIp(floatingIp) + " is bound to "
                    + Describe.binding(floatingIp) + ", not to this node " + context.nodeName());
        }
        if (!isAvailable(floatingIp)) {
            return MonitorResult.degraded(Describe.floatingIp(floatingIp) + " is bound to this node but its status is "
                    + floatingIp.status());
        }
        state.verifiedNowBestEffort(() -> remember(settings, floatingIp, target, keptFloatingIp, keptTarget));
        return MonitorResult.running();
    }

    /**
     * The passive node's proof: the floating IP exists and is visible (one GET by the id remembered, a
     * list the first time), this node's target is what the metadata service shows now (a deleted VNI is
     * seen here, not at the failover) and in the floating IP's zone. Both ids and the floating IP's
     * binding are remembered, and the time of the check ({@link RecentCheck}), so a promotion within a few
     * intervals goes straight to its PATCH, then reads it back: 2 rounds, no IAM request.
     */
    @Override
    public Readiness readiness() throws StrategyException {
        FloatingIpSettings settings = settings();
        TimeBox timeBox = TimeBox.of(context);
        VpcApi vpc = context.cloud().vpc();
        Optional<Map<String, String>> keptFloatingIp = state.read(KnownFloatingIp.RECORD);
        Optional<Map<String, String>> keptTarget = state.read(KnownTarget.RECORD);
        NodeTarget target;
        try {
            target = new TargetResolver(context.cloud().metadata(), timeBox).resolve(settings.targetSelection());
        } catch (CloudException e) {
            return Readiness.notReady(ReadinessProblem.METADATA, e.reason());
        } catch (StrategyException e) {
            return Readiness.notReady(ReadinessProblem.IDENTITY, e.reason());
        }
        FloatingIp floatingIp;
        try {
            floatingIp = new FloatingIpLookup(vpc, timeBox)
                    .find(settings.floatingIp(), KnownFloatingIp.from(keptFloatingIp, settings.floatingIp()), false)
                    .floatingIp();
        } catch (StrategyException e) {
            return TargetReadiness.ofLookupFailure(e);
        }
        remember(settings, floatingIp, target, keptFloatingIp, keptTarget);
        if (target.zone().isPresent() && !target.zone().get().equals(floatingIp.zone())) {
            state.delete(READINESS_RECORD);
            return Readiness.notReady(
                    ReadinessProblem.CONFIGURATION,
                    Describe.floatingIp(floatingIp) + " is in zone " + floatingIp.zone() + " but this node's "
                            + target.describe() + " is in " + target.zone().get());
        }
        state.write(
                READINESS_RECORD,
                RecentCheck.checkedAt(
                        state.read(READINESS_RECORD), context.clock().instant()));
        return Readiness.ready();
    }

    @Override
    public void validate(CheckLevel level) throws StrategyException {
        FloatingIpSettings settings = settings();
        warnIfDeprecatedTargets(settings);
        switch (level) {
            case SYNTAX -> {
                return;
            }
            case CLOUD -> new CloudCheck(context, TimeBox.of(context)).check(settings);
        }
    }

    /** Said by start and validate-all only: a monitor every few seconds would flood the log with it. */
    private void warnIfDeprecatedTargets(FloatingIpSettings settings) {
        if (settings.targetSelection() instanceof TargetSelection.Candidates) {
            log.log(
                    Level.WARNING,
                    "vni_id_1/vni_id_2 are deprecated; use node_targets, or nothing (the metadata "
                            + "service names this node's interface)");
        }
    }

    private FloatingIpSettings settings() throws StrategyException {
        return FloatingIpSettings.from(parameters, context.nodeName());
    }

    /** Keeps what was looked up, writing only what changed. */
    private void remember(
            FloatingIpSettings settings,
            FloatingIp floatingIp,
            NodeTarget target,
            Optional<Map<String, String>> keptFloatingIp,
            Optional<Map<String, String>> keptTarget)
            throws StrategyException {
        Map<String, String> floatingIpRecord =
                KnownFloatingIp.of(settings.floatingIp(), floatingIp).toRecord();
        if (!keptFloatingIp.equals(Optional.of(floatingIpRecord))) {
            state.write(KnownFloatingIp.RECORD, floatingIpRecord);
        }
        Map<String, String> targetRecord =
                new KnownTarget(settings.targetSelection().cacheKey(), target).toRecord();
        if (!keptTarget.equals(Optional.of(targetRecord))) {
            state.write(KnownTarget.RECORD, targetRecord);
        }
    }

    private void markStarted() throws StrategyException {
        state.verifiedNow();
        state.markStarted();
    }

    /** Unbinds the floating IP if it is bound to this node; any failure is logged and stop still succeeds. */
    private void unbindBestEffort() {
        Optional<KnownFloatingIp> known = state.read(KnownFloatingIp.RECORD).flatMap(KnownFloatingIp::fromAnyParameter);
        Optional<NodeTarget> target = KnownTarget.fromAnySelection(state.read(KnownTarget.RECORD));
        if (known.isEmpty() || target.isEmpty()) {
            log.log(Level.INFO, "stop: this node never resolved the floating IP; nothing to unbind");
            return;
        }
        unbindIfHere(known.get(), target.get());
    }

    private void unbindIfHere(KnownFloatingIp known, NodeTarget target) {
        TimeBox timeBox = TimeBox.of(context);
        VpcApi vpc = context.cloud().vpc();
        try {
            FloatingIp floatingIp = timeBox.call("get floating IP " + known.id(), () -> vpc.getFloatingIp(known.id()));
            Optional<String> bound = boundTo(floatingIp);
            if (bound.isEmpty() || !target.isOnThisNode(bound.get())) {
                // never take it away from the node it moved to
                log.log(
                        Level.INFO,
                        () -> "stop: " + Describe.floatingIp(floatingIp) + " is bound to "
                                + Describe.binding(floatingIp) + ", not here; left as it is");
                return;
            }
            timeBox.call("unbind " + known.describe(), () -> vpc.unbindFloatingIp(known.id()));
            log.log(Level.INFO, () -> "stop: unbound " + known.describe() + " from this node's " + target.describe());
        } catch (StrategyException e) {
            log.log(
                    Level.WARNING,
                    "stop: could not unbind " + known.describe() + " (stop succeeds anyway; the next "
                            + "start moves it in one call): " + e.reason());
        }
    }

    static Optional<String> boundTo(FloatingIp floatingIp) {
        return floatingIp.target().map(FloatingIp.FloatingIpTarget::id);
    }

    static boolean isAvailable(FloatingIp floatingIp) {
        return floatingIp.status().equals(AVAILABLE);
    }
}
