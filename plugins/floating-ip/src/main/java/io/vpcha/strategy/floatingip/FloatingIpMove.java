package io.vpcha.strategy.floatingip;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.FloatingIp;
import io.vpcha.spi.cloud.VpcApi;
import io.vpcha.toolkit.time.Settle;
import io.vpcha.toolkit.time.TimeBox;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The move itself: check what can be checked, one PATCH that binds the floating IP to this node's
 * target (replacing the other node's binding in the same step), then read back until it is effective.
 */
final class FloatingIpMove {
    private static final Duration FIRST_READ_BACK_PAUSE = Duration.ofMillis(200);
    private static final Duration LONGEST_READ_BACK_PAUSE = Duration.ofSeconds(2);

    private final VpcApi vpc;
    private final TimeBox timeBox;
    private final TargetResolver resolver;
    private final String nodeName;
    private final System.Logger log;

    FloatingIpMove(VpcApi vpc, TimeBox timeBox, TargetResolver resolver, String nodeName, System.Logger log) {
        this.vpc = requireNonNull(vpc, "vpc is null");
        this.timeBox = requireNonNull(timeBox, "timeBox is null");
        this.resolver = requireNonNull(resolver, "resolver is null");
        this.nodeName = requireNonNull(nodeName, "nodeName is null");
        this.log = requireNonNull(log, "log is null");
    }

    /**
     * Binds {@code floatingIp} to {@code target} unless it already is, and returns it once seen bound
     * there and available.
     *
     * @param listed every floating IP of the region, when the lookup listed them
     */
    FloatingIp moveHere(FloatingIp floatingIp, NodeTarget target, Optional<List<FloatingIp>> listed)
            throws StrategyException {
        Optional<String> previous = FloatingIpStrategy.boundTo(floatingIp);
        if (!previous.equals(Optional.of(target.id()))) {
            checkBindable(floatingIp, target, listed);
            Optional<CloudException> refusal = bind(floatingIp, target);
            if (refusal.isPresent()) {
                throw refused(floatingIp, target, listed, refusal.get());
            }
        }
        return awaitBoundHere(floatingIp, previous, target);
    }

    /**
     * Binds the floating IP {@code lastSeen} tells of to {@code target} with no read first, and returns it
     * once seen bound there and available: the promotion of a ready passive node, 2 rounds (the PATCH,
     * the read-back). Empty, having changed nothing, when the API refuses the PATCH: the remembered id
     * is stale (404) or the binding breaks one of the API's rules (400, 409...); the caller then moves it
     * as a start does, reading first, and so names the rule broken.
     *
     * <p>Skipping {@link #checkBindable}'s checks is safe: they are the API's own rules (one zone; a
     * network interface, or a virtual network interface with infrastructure NAT, holds one floating IP),
     * checked first only so that a refusal names the actual problem. The API still enforces them on
     * this PATCH, and its refusal sends the caller to the path that checks them and says which one
     * failed. Besides, the readiness check that vouches for {@code lastSeen} saw the floating IP in this
     * node's zone. The read-back takes {@code lastSeen}'s binding for the one before the move: bound
     * elsewhere than there and not here is another node's move, as in a start. That binding is at most
     * one Unpromoted interval old while the monitor runs; it is wrong only when the floating IP moved
     * between two other nodes since (three nodes or more), and it then fails this promotion only if the
     * read-back also shows the binding from before this PATCH took effect: Pacemaker's recovery, never
     * a second write.
     *
     * @param lastSeen the floating IP as the last readiness check read it (status and binding)
     */
    Optional<FloatingIp> moveHereDirectly(FloatingIp lastSeen, NodeTarget target) throws StrategyException {
        Optional<CloudException> refusal = bind(lastSeen, target);
        if (refusal.isPresent()) {
            log.log(
                    Level.INFO,
                    () -> "the direct bind of " + Describe.floatingIp(lastSeen) + " to " + target.describe()
                            + " was refused (" + refusal.get().reason() + "); reading it first");
            return Optional.empty();
        }
        return Optional.of(awaitBoundHere(lastSeen, FloatingIpStrategy.boundTo(lastSeen), target));
    }

    /**
     * The checks the API would make, done first when the facts are at hand, so the reason names the
     * actual problem instead of an API error code.
     */
    private void checkBindable(FloatingIp floatingIp, NodeTarget target, Optional<List<FloatingIp>> listed)
            throws StrategyException {
        if (target.zone().isPresent() && !target.zone().get().equals(floatingIp.zone())) {
            throw StrategyException.notConfigured(Describe.floatingIp(floatingIp) + " is in zone " + floatingIp.zone()
                    + " but this node's " + target.describe() + " is in "
                    + target.zone().get()
                    + "; a floating IP binds only to an interface in its own zone");
        }
        switch (target.kind()) {
            case NETWORK_INTERFACE -> {
                List<String> others;
                try {
                    others = resolver.floatingIpIdsOfNetworkInterface(target.id()).stream()
                            .filter(id -> !id.equals(floatingIp.id()))
                            .toList();
                } catch (CloudException e) {
                    log.log(
                            Level.DEBUG,
                            () -> "cannot check the floating IPs of " + target.describe() + ": " + e.reason());
                    return;
                }
                if (!others.isEmpty()) {
                    throw alreadyHolds(target, describeFloatingIp(others.get(0), listed));
                }
            }
            case VIRTUAL_NETWORK_INTERFACE -> {
                Optional<FloatingIp> other = listed.flatMap(all -> holderOf(target.id(), floatingIp, all));
                if (other.isPresent() && infrastructureNat(target)) {
                    throw alreadyHolds(target, Describe.floatingIp(other.get()));
                }
            }
            case UNKNOWN -> {
                // named by the resource and not looked up: the API's answer to the PATCH decides
            }
        }
    }

    private boolean infrastructureNat(NodeTarget target) {
        try {
            return resolver.infrastructureNat(target.id()).orElse(true);
        } catch (StrategyException e) {
            return true;
        }
    }

    private StrategyException alreadyHolds(NodeTarget target, String other) {
        return StrategyException.notConfigured(
                "this node's " + target.describe() + " already holds " + other + "; it can hold only one floating IP");
    }

    private static Optional<FloatingIp> holderOf(String targetId, FloatingIp floatingIp, List<FloatingIp> all) {
        return all.stream()
                .filter(other -> !other.id().equals(floatingIp.id()))
                .filter(other -> FloatingIpStrategy.boundTo(other).equals(Optional.of(targetId)))
                .findFirst();
    }

    private static String describeFloatingIp(String id, Optional<List<FloatingIp>> listed) {
        return listed.flatMap(all -> all.stream()
                        .filter(floatingIp -> floatingIp.id().equals(id))
                        .findFirst())
                .map(Describe::floatingIp)
                .orElse("floating IP " + id);
    }

    /**
     * The one write of a failover.
     *
     * @return the API's refusal (CONFIGURATION or NOT_FOUND), when it refused; empty when bound, or when
     *     a transient failure was seen to have taken effect all the same
     */
    private Optional<CloudException> bind(FloatingIp floatingIp, NodeTarget target) throws StrategyException {
        try {
            timeBox.call(
                    "bind " + Describe.floatingIp(floatingIp) + " to " + target.describe(),
                    () -> vpc.setFloatingIpTarget(floatingIp.id(), target.id()));
        } catch (CloudException e) {
            switch (e.cloudErrorKind()) {
                case CONFIGURATION, NOT_FOUND -> {
                    return Optional.of(e);
                }
                case PERMISSION ->
                    throw new CloudException(
                            e.cloudErrorKind(),
                            e.status(),
                            e.code().orElse(null),
                            "cannot bind " + Describe.floatingIp(floatingIp) + " to this node's " + target.describe()
                                    + ": " + e.reason(),
                            e.trace().orElse(null),
                            e);
                case TRANSIENT -> {
                    // it may have been applied all the same (a 5xx after the change, a lost answer): the read-back
                    // tells
                    log.log(Level.WARNING, () -> e.reason() + "; checking whether it took effect");
                    FloatingIp now;
                    try {
                        now = timeBox.call(
                                "get floating IP " + floatingIp.id(), () -> vpc.getFloatingIp(floatingIp.id()));
                    } catch (CloudException readFailure) {
                        throw new StrategyException(
                                ErrorKind.GENERIC,
                                e.reason() + "; whether it took effect is " + "unknown: " + readFailure.reason(),
                                e);
                    }
                    if (!FloatingIpStrategy.boundTo(now).equals(Optional.of(target.id()))) {
                        throw new StrategyException(
                                ErrorKind.GENERIC,
                                e.reason() + "; " + Describe.floatingIp(now) + " is still bound to "
                                        + Describe.binding(now),
                                e);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Why the API refused the move, as precisely as can be found out: which of its rules was broken. */
    private StrategyException refused(
            FloatingIp floatingIp, NodeTarget target, Optional<List<FloatingIp>> listed, CloudException refusal) {
        try {
            List<FloatingIp> all =
                    listed.isPresent() ? listed.get() : timeBox.call("list floating IPs", vpc::listFloatingIps);
            Optional<FloatingIp> holder = holderOf(target.id(), floatingIp, all);
            if (holder.isPresent()) {
                return alreadyHolds(target, Describe.floatingIp(holder.get()));
            }
            if (target.kind() != TargetKind.NETWORK_INTERFACE) {
                String zone = timeBox.call(
                                "get virtual network interface " + target.id(),
                                () -> vpc.getVirtualNetworkInterface(target.id()))
                        .zone();
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
    private FloatingIp awaitBoundHere(FloatingIp before, Optional<String> previous, NodeTarget target)
            throws StrategyException {
        return Settle.within(timeBox)
                .pauses(FIRST_READ_BACK_PAUSE, LONGEST_READ_BACK_PAUSE)
                .until(
                        "get floating IP " + before.id(),
                        () -> vpc.getFloatingIp(before.id()),
                        seen -> {
                            Optional<String> bound = FloatingIpStrategy.boundTo(seen);
                            if (bound.equals(Optional.of(target.id()))) {
                                return FloatingIpStrategy.isAvailable(seen);
                            }
                            if (!bound.equals(previous)) {
                                // Someone else moved it meanwhile: another node starting at the same time. Moving it
                                // back would start a tug of war; fail, and let Pacemaker (and the monitors) settle
                                // where it runs.
                                throw new StrategyException(
                                        ErrorKind.GENERIC,
                                        "while starting on " + nodeName + ", " + Describe.floatingIp(seen)
                                                + " was bound to " + Describe.binding(seen)
                                                + " by someone else (another node starting it?)");
                            }
                            return false;
                        },
                        (lastSeen, lastFailure) -> {
                            FloatingIp seen = lastSeen.orElse(before);
                            String now = "it was last seen bound to " + Describe.binding(seen) + ", status "
                                    + seen.status()
                                    + lastFailure
                                            .map(failure -> "; the last read failed: " + failure.reason())
                                            .orElse("");
                            return new StrategyException(
                                    ErrorKind.GENERIC,
                                    Describe.floatingIp(before) + " was not seen bound to this node's "
                                            + target.describe() + " and available before the start timeout; " + now);
                        });
    }
}
