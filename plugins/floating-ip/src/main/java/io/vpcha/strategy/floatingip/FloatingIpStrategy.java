package io.vpcha.strategy.floatingip;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.CheckLevel;
import io.vpcha.spi.ErrorKind;
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
import java.util.List;
import java.util.Optional;

/**
 * Same-zone failover: start binds the floating IP to this node's interface with one PATCH (which
 * replaces the other node's binding in the same step) and reads it back; monitor asks the API where
 * it is bound, one GET in steady state; stop removes the "started here" marker and, when asked,
 * unbinds.
 */
final class FloatingIpStrategy implements FailoverStrategy {
    private static final Duration FIRST_READ_BACK_PAUSE = Duration.ofMillis(200);
    private static final Duration LONGEST_READ_BACK_PAUSE = Duration.ofSeconds(2);
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
        NodeTarget target = cachedTarget.isPresent() ? cachedTarget.get() : resolver.resolve(settings.targetSelection());
        CachedState known = new CachedState(Optional.of(KnownFloatingIp.of(settings.floatingIp(), floatingIp)),
                Optional.of(new KnownTarget(settings.targetSelection().cacheKey(), target)), cached.lastVerified());
        if (!known.equals(cached)) {
            // kept even if the move fails: the next attempt needs no lookup
            state.write(known);
        }

        Instant began = Instant.now();
        Optional<String> previous = boundTo(floatingIp);
        if (previous.equals(Optional.of(target.id())) && isAvailable(floatingIp)) {
            markStarted(known);
            log.log(Level.INFO, () -> Describe.floatingIp(floatingIp) + " is already bound to this node's "
                    + target.describe() + "; nothing to move");
            return;
        }
        if (!previous.equals(Optional.of(target.id()))) {
            checkBindable(floatingIp, target, found.listed(), resolver);
            bind(vpc, timeBox, floatingIp, target, found.listed());
        }
        FloatingIp verified = awaitBoundHere(vpc, timeBox, floatingIp, previous, target);
        markStarted(known);
        String from = Describe.binding(floatingIp);
        Duration took = Duration.between(began, Instant.now());
        log.log(Level.INFO, () -> "moved " + Describe.floatingIp(verified) + " from " + from + " to this node's "
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
                    ? timeBox.call("get floating IP " + knownFloatingIp.get().id(),
                            () -> vpc.getFloatingIp(knownFloatingIp.get().id()))
                    : new FloatingIpLookup(vpc, timeBox).find(settings.floatingIp(), Optional.empty(), false).floatingIp();
            Optional<NodeTarget> knownTarget = cached.targetFor(settings.targetSelection());
            target = knownTarget.isPresent() ? knownTarget.get()
                    : new TargetResolver(context.cloud().metadata(), timeBox).resolve(settings.targetSelection());
        } catch (CloudException e) {
            return unverified(what, e, cached, settings.monitorGrace());
        }

        Optional<String> bound = boundTo(floatingIp);
        if (bound.isEmpty()) {
            return MonitorResult.notRunning(Describe.floatingIp(floatingIp) + " is not bound to any interface");
        }
        if (!target.isOnThisNode(bound.get())) {
            return MonitorResult.notRunning(Describe.floatingIp(floatingIp) + " is bound to " + Describe.binding(floatingIp)
                    + ", not to this node " + context.nodeName());
        }
        if (!isAvailable(floatingIp)) {
            return MonitorResult.degraded(Describe.floatingIp(floatingIp) + " is bound to this node but its status is "
                    + floatingIp.status());
        }
        CachedState verified = new CachedState(Optional.of(KnownFloatingIp.of(settings.floatingIp(), floatingIp)),
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
            log.log(Level.WARNING, "vni_id_1/vni_id_2 are deprecated; use node_targets, or nothing (the metadata "
                    + "service names this node's interface)");
        }
    }

    private FloatingIpSettings settings() throws StrategyException {
        return FloatingIpSettings.from(parameters, context.nodeName());
    }

    /**
     * The checks the API would make, done first when the facts are at hand, so the reason names the
     * actual problem instead of an API error code.
     */
    private void checkBindable(FloatingIp floatingIp, NodeTarget target, Optional<List<FloatingIp>> listed,
            TargetResolver resolver) throws StrategyException {
        if (target.zone().isPresent() && !target.zone().get().equals(floatingIp.zone())) {
            throw StrategyException.notConfigured(Describe.floatingIp(floatingIp) + " is in zone " + floatingIp.zone()
                    + " but this node's " + target.describe() + " is in " + target.zone().get()
                    + "; a floating IP binds only to an interface in its own zone");
        }
        switch (target.kind()) {
            case NETWORK_INTERFACE -> {
                List<String> others;
                try {
                    others = resolver.floatingIpIdsOfNetworkInterface(target.id()).stream()
                            .filter(id -> !id.equals(floatingIp.id())).toList();
                } catch (CloudException e) {
                    log.log(Level.DEBUG, () -> "cannot check the floating IPs of " + target.describe() + ": " + e.reason());
                    return;
                }
                if (!others.isEmpty()) {
                    throw alreadyHolds(target, describeFloatingIp(others.get(0), listed));
                }
            }
            case VIRTUAL_NETWORK_INTERFACE -> {
                Optional<FloatingIp> other = listed.flatMap(all -> holderOf(target.id(), floatingIp, all));
                if (other.isPresent() && infrastructureNat(resolver, target)) {
                    throw alreadyHolds(target, Describe.floatingIp(other.get()));
                }
            }
            case UNKNOWN -> {
                // named by the resource and not looked up: the API's answer to the PATCH decides
            }
        }
    }

    private boolean infrastructureNat(TargetResolver resolver, NodeTarget target) {
        try {
            return resolver.infrastructureNat(target.id()).orElse(true);
        } catch (StrategyException e) {
            return true;
        }
    }

    private StrategyException alreadyHolds(NodeTarget target, String other) {
        return StrategyException.notConfigured("this node's " + target.describe() + " already holds " + other
                + "; it can hold only one floating IP");
    }

    private static Optional<FloatingIp> holderOf(String targetId, FloatingIp floatingIp, List<FloatingIp> all) {
        return all.stream().filter(other -> !other.id().equals(floatingIp.id()))
                .filter(other -> boundTo(other).equals(Optional.of(targetId))).findFirst();
    }

    private static String describeFloatingIp(String id, Optional<List<FloatingIp>> listed) {
        return listed.flatMap(all -> all.stream().filter(floatingIp -> floatingIp.id().equals(id)).findFirst())
                .map(Describe::floatingIp).orElse("floating IP " + id);
    }

    /** The one write of a failover. */
    private void bind(VpcApi vpc, TimeBox timeBox, FloatingIp floatingIp, NodeTarget target,
            Optional<List<FloatingIp>> listed) throws StrategyException {
        try {
            timeBox.call("bind " + Describe.floatingIp(floatingIp) + " to " + target.describe(),
                    () -> vpc.setFloatingIpTarget(floatingIp.id(), target.id()));
        } catch (CloudException e) {
            switch (e.cloudErrorKind()) {
                case CONFIGURATION, NOT_FOUND -> throw refused(vpc, timeBox, floatingIp, target, listed, e);
                case PERMISSION -> throw new CloudException(e.cloudErrorKind(), e.status(), e.code().orElse(null),
                        "cannot bind " + Describe.floatingIp(floatingIp) + " to this node's " + target.describe()
                                + ": " + e.reason(), e.trace().orElse(null), e);
                case TRANSIENT -> {
                    // it may have been applied all the same (a 5xx after the change, a lost answer): the read-back tells
                    log.log(Level.WARNING, () -> e.reason() + "; checking whether it took effect");
                    FloatingIp now;
                    try {
                        now = timeBox.call("get floating IP " + floatingIp.id(), () -> vpc.getFloatingIp(floatingIp.id()));
                    } catch (CloudException readFailure) {
                        throw new StrategyException(ErrorKind.GENERIC, e.reason() + "; whether it took effect is "
                                + "unknown: " + readFailure.reason(), e);
                    }
                    if (!boundTo(now).equals(Optional.of(target.id()))) {
                        throw new StrategyException(ErrorKind.GENERIC, e.reason() + "; " + Describe.floatingIp(now)
                                + " is still bound to " + Describe.binding(now), e);
                    }
                }
            }
        }
    }

    /** Why the API refused the move, as precisely as can be found out: which of its rules was broken. */
    private StrategyException refused(VpcApi vpc, TimeBox timeBox, FloatingIp floatingIp, NodeTarget target,
            Optional<List<FloatingIp>> listed, CloudException refusal) {
        try {
            List<FloatingIp> all = listed.isPresent() ? listed.get()
                    : timeBox.call("list floating IPs", vpc::listFloatingIps);
            Optional<FloatingIp> holder = holderOf(target.id(), floatingIp, all);
            if (holder.isPresent()) {
                return alreadyHolds(target, Describe.floatingIp(holder.get()));
            }
            if (target.kind() != TargetKind.NETWORK_INTERFACE) {
                String zone = timeBox.call("get virtual network interface " + target.id(),
                        () -> vpc.getVirtualNetworkInterface(target.id())).zone();
                if (!zone.isEmpty() && !zone.equals(floatingIp.zone())) {
                    return StrategyException.notConfigured(Describe.floatingIp(floatingIp) + " is in zone "
                            + floatingIp.zone() + " but " + target.describe() + " is in " + zone
                            + "; a floating IP binds only to an interface in its own zone");
                }
            }
        } catch (StrategyException e) {
            log.log(Level.DEBUG, () -> "cannot find out more about the refusal: " + e.reason());
        }
        return StrategyException.notConfigured("cannot bind " + Describe.floatingIp(floatingIp) + " (zone "
                + floatingIp.zone() + ") to this node's " + target.describe() + ": " + refusal.reason());
    }

    /**
     * Reads the floating IP back until it is bound here and available. The API has no optimistic
     * locking for floating IPs and a move may take a while to be effective, so the answer to the PATCH
     * proves nothing.
     */
    private FloatingIp awaitBoundHere(VpcApi vpc, TimeBox timeBox, FloatingIp before, Optional<String> previous,
            NodeTarget target) throws StrategyException {
        Duration pause = FIRST_READ_BACK_PAUSE;
        FloatingIp seen = before;
        CloudException lastFailure = null;
        while (true) {
            try {
                seen = timeBox.call("get floating IP " + before.id(), () -> vpc.getFloatingIp(before.id()));
                lastFailure = null;
            } catch (CloudException e) {
                if (!e.isTransient()) {
                    throw e;
                }
                lastFailure = e;
            }
            Optional<String> bound = boundTo(seen);
            if (bound.equals(Optional.of(target.id()))) {
                if (isAvailable(seen)) {
                    return seen;
                }
            } else if (!bound.equals(previous)) {
                // Someone else moved it meanwhile: another node starting at the same time. Moving it back would
                // start a tug of war; fail, and let Pacemaker (and the monitors) settle where it runs.
                throw new StrategyException(ErrorKind.GENERIC, "while starting on " + context.nodeName() + ", "
                        + Describe.floatingIp(seen) + " was bound to " + Describe.binding(seen)
                        + " by someone else (another node starting it?)");
            }
            if (!timeBox.pause(pause)) {
                String now = "it was last seen bound to " + Describe.binding(seen) + ", status " + seen.status()
                        + (lastFailure != null ? "; the last read failed: " + lastFailure.reason() : "");
                throw new StrategyException(ErrorKind.GENERIC, Describe.floatingIp(before) + " was not seen bound to "
                        + "this node's " + target.describe() + " and available before the start timeout; " + now);
            }
            pause = pause.multipliedBy(2).compareTo(LONGEST_READ_BACK_PAUSE) > 0 ? LONGEST_READ_BACK_PAUSE
                    : pause.multipliedBy(2);
        }
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
            log.log(Level.WARNING, "cannot verify " + what + " (last seen bound here " + Describe.seconds(age.get())
                    + " ago, within monitor_grace " + grace.toSeconds() + "s): " + failure.reason());
            return MonitorResult.running();
        }
        return MonitorResult.degraded("cannot verify " + what + age.map(last -> " (last seen bound here "
                + Describe.seconds(last) + " ago, beyond monitor_grace " + grace.toSeconds() + "s)").orElse("")
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
                log.log(Level.INFO, () -> "stop: " + Describe.floatingIp(floatingIp) + " is bound to "
                        + Describe.binding(floatingIp) + ", not here; left as it is");
                return;
            }
            timeBox.call("unbind " + known.describe(), () -> vpc.unbindFloatingIp(known.id()));
            log.log(Level.INFO, () -> "stop: unbound " + known.describe() + " from this node's " + target.describe());
        } catch (StrategyException e) {
            log.log(Level.WARNING, "stop: could not unbind " + known.describe() + " (stop succeeds anyway; the next "
                    + "start moves it in one call): " + e.reason());
        }
    }

    static Optional<String> boundTo(FloatingIp floatingIp) {
        return floatingIp.target().map(FloatingIp.FloatingIpTarget::id);
    }

    private static boolean isAvailable(FloatingIp floatingIp) {
        return floatingIp.status().equals(AVAILABLE);
    }
}
