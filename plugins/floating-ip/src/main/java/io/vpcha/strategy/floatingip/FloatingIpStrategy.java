package io.vpcha.strategy.floatingip;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.CheckLevel;
import io.vpcha.spi.FailoverStrategy;
import io.vpcha.spi.MonitorRequest;
import io.vpcha.spi.MonitorResult;
import io.vpcha.spi.ParameterValues;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.FloatingIp;
import io.vpcha.spi.cloud.VpcApi;
import io.vpcha.strategy.floatingip.CachedState.KnownFloatingIp;
import io.vpcha.strategy.floatingip.CachedState.KnownTarget;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Same-zone failover: start binds the floating IP to this node's interface with one PATCH (which
 * replaces the other node's binding in the same step) and reads it back; monitor asks the API where
 * it is bound, one GET in steady state; stop removes the "started here" marker and, when asked,
 * unbinds.
 */
final class FloatingIpStrategy implements FailoverStrategy {
    private static final String AVAILABLE = "available";

    private final ParameterValues parameters;
    private final StrategyContext context;
    private final StateStore state;
    private final System.Logger log;

    FloatingIpStrategy(ParameterValues parameters, StrategyContext context) {
        this.parameters = requireNonNull(parameters, "parameters is null");
        this.context = requireNonNull(context, "context is null");
        this.state = new StateStore(context::stateDirectory);
        this.log = context.logger();
    }

    @Override
    public void start() throws StrategyException {
        FloatingIpSettings settings = settings();
        warnIfDeprecatedTargets(settings);
        TimeBox timeBox = new TimeBox(context.deadline());
        VpcApi vpc = context.cloud().vpc();
        TargetResolver resolver = new TargetResolver(context.cloud().metadata(), timeBox);
        CachedState cached = state.read();

        FloatingIpLookup.Found found = new FloatingIpLookup(vpc, timeBox)
                .find(settings.floatingIp(), cached.floatingIpFor(settings.floatingIp()), false);
        FloatingIp floatingIp = found.floatingIp();
        Optional<NodeTarget> cachedTarget = cached.targetFor(settings.targetSelection());
        NodeTarget target =
                cachedTarget.isPresent() ? cachedTarget.get() : resolver.resolve(settings.targetSelection());
        CachedState known = new CachedState(
                Optional.of(KnownFloatingIp.of(settings.floatingIp(), floatingIp)),
                Optional.of(new KnownTarget(settings.targetSelection().cacheKey(), target)),
                cached.lastVerified());
        if (!known.equals(cached)) {
            // kept even if the move fails: the next attempt needs no lookup
            state.write(known);
        }

        Instant began = Instant.now();
        Optional<String> previous = boundTo(floatingIp);
        if (previous.equals(Optional.of(target.id())) && isAvailable(floatingIp)) {
            markStarted(known);
            log.log(
                    Level.INFO,
                    () -> Describe.floatingIp(floatingIp) + " is already bound to this node's " + target.describe()
                            + "; nothing to move");
            return;
        }
        FloatingIp verified = new FloatingIpMove(vpc, timeBox, resolver, context.nodeName(), log)
                .moveHere(floatingIp, target, found.listed());
        markStarted(known);
        String from = Describe.binding(floatingIp);
        Duration took = Duration.between(began, Instant.now());
        log.log(
                Level.INFO,
                () -> "moved " + Describe.floatingIp(verified) + " from " + from + " to this node's "
                        + target.describe() + " in " + Describe.seconds(took));
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
        TimeBox timeBox = new TimeBox(context.deadline());
        VpcApi vpc = context.cloud().vpc();
        CachedState cached = state.read();
        Optional<KnownFloatingIp> knownFloatingIp = cached.floatingIpFor(settings.floatingIp());
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
            Optional<NodeTarget> knownTarget = cached.targetFor(settings.targetSelection());
            target = knownTarget.isPresent()
                    ? knownTarget.get()
                    : new TargetResolver(context.cloud().metadata(), timeBox).resolve(settings.targetSelection());
        } catch (CloudException e) {
            return unverified(what, e, cached, settings.monitorGrace());
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
        CachedState verified = new CachedState(
                Optional.of(KnownFloatingIp.of(settings.floatingIp(), floatingIp)),
                Optional.of(new KnownTarget(settings.targetSelection().cacheKey(), target)),
                Optional.of(Instant.now()));
        try {
            state.write(verified);
        } catch (StrategyException e) {
            // the answer is still right; only the grace of a later monitor is shorter
            log.log(Level.WARNING, "cannot record the verification: " + e.reason());
        }
        return MonitorResult.running();
    }

    @Override
    public void validate(CheckLevel level) throws StrategyException {
        FloatingIpSettings settings = settings();
        warnIfDeprecatedTargets(settings);
        switch (level) {
            case SYNTAX -> {
                return;
            }
            case CLOUD -> new CloudCheck(context, new TimeBox(context.deadline())).check(settings);
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

    private void markStarted(CachedState known) throws StrategyException {
        Instant now = Instant.now();
        state.write(known.verifiedAt(now));
        state.markStarted(context.nodeName(), now);
    }

    /**
     * A monitor that could not ask the API. It never says "not running": a failover the API did not ask
     * for is a bug. Within the grace after the last verification it is running; then degraded, which
     * Pacemaker shows without recovering.
     */
    private MonitorResult unverified(String what, CloudException failure, CachedState cached, Duration grace) {
        if (!failure.isTransient()) {
            return MonitorResult.degraded("cannot verify " + what + ": " + failure.reason());
        }
        Instant now = Instant.now();
        Optional<Duration> age = cached.lastVerified().map(last -> Duration.between(last, now));
        if (age.isPresent() && age.get().compareTo(grace) <= 0) {
            log.log(
                    Level.WARNING,
                    "cannot verify " + what + " (last seen bound here " + Describe.seconds(age.get())
                            + " ago, within monitor_grace " + grace.toSeconds() + "s): " + failure.reason());
            return MonitorResult.running();
        }
        return MonitorResult.degraded("cannot verify " + what
                + age.map(last -> " (last seen bound here " + Describe.seconds(last) + " ago, beyond monitor_grace "
                                + grace.toSeconds() + "s)")
                        .orElse("")
                + ": " + failure.reason());
    }

    /** Unbinds the floating IP if it is bound to this node; any failure is logged and stop still succeeds. */
    private void unbindBestEffort() {
        CachedState cached;
        try {
            cached = state.read();
        } catch (StrategyException e) {
            log.log(Level.WARNING, "stop: cannot read the state directory, nothing unbound: " + e.reason());
            return;
        }
        if (cached.floatingIp().isEmpty() || cached.target().isEmpty()) {
            log.log(Level.INFO, "stop: this node never resolved the floating IP; nothing to unbind");
            return;
        }
        KnownFloatingIp known = cached.floatingIp().get();
        NodeTarget target = cached.target().get().target();
        TimeBox timeBox = new TimeBox(context.deadline());
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
