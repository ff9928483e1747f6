package io.vpcha.strategy.publicaddressrange;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.toolkit.time.MonitorGrace;
import io.vpcha.toolkit.time.Settle;
import io.vpcha.toolkit.time.TimeBox;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Binds the range to this node's zone: one PATCH that moves it from wherever it is (no unbind first),
 * then reads it back until it is stable and bound here. A range already bound here that is still
 * updating (a start interrupted after its PATCH) is waited for; a range moving elsewhere right now is
 * another node's start, and is not moved back.
 */
final class RangeMove {
    private final Ranges ranges;
    private final TimeBox timeBox;
    private final System.Logger log;

    /** @param timeBox the move's: within the action's deadline and move_timeout */
    RangeMove(Ranges ranges, TimeBox timeBox, System.Logger log) {
        this.ranges = requireNonNull(ranges, "ranges is null");
        this.timeBox = requireNonNull(timeBox, "timeBox is null");
        this.log = requireNonNull(log, "log is null");
    }

    /** The time box of a move: the action's, shortened to {@code moveTimeout}. */
    static TimeBox timeBox(Instant deadline, Clock clock, Duration moveTimeout) {
        Instant latest = clock.instant().plus(moveTimeout);
        return new TimeBox(latest.isBefore(deadline) ? latest : deadline, clock);
    }

    /** Whether the range had to be moved, and how it was seen at the end: stable and bound here. */
    record Moved(AddressRange range, boolean patched) {
        Moved {
            requireNonNull(range, "range is null");
        }
    }

    Moved bindHere(AddressRange seen, String vpcId, String zone) throws StrategyException {
        if (seen.isBoundTo(vpcId, zone)) {
            return new Moved(seen.isStable() ? seen : settleHere(seen, vpcId, zone), false);
        }
        if (!seen.isStable()) {
            throw StrategyException.generic(seen.describe() + " is " + seen.lifecycleState() + " towards "
                    + seen.binding() + ": another node is moving it now; not moving it back while it does");
        }
        AddressRange patched = bindOrJudge(seen, vpcId, zone);
        log.log(
                Level.INFO,
                () -> seen.describe() + ": bound to zone " + zone + " (was " + seen.binding() + "); "
                        + patched.lifecycleState());
        return new Moved(
                patched.isStable() && patched.isBoundTo(vpcId, zone) ? patched : settleHere(patched, vpcId, zone),
                true);
    }

    /**
     * The PATCH. Refused because the range changed since it was read (412 on the If-Match, 409 while
     * updating): bound here meanwhile is fine, moved elsewhere is another node's start (never moved back
     * here at once: no tug of war), anything else (a rename) is bound again on the version now.
     */
    private AddressRange bindOrJudge(AddressRange seen, String vpcId, String zone) throws StrategyException {
        try {
            return ranges.bind(seen, vpcId, zone);
        } catch (CloudException e) {
            if (e.status() != 409 && e.status() != 412) {
                throw e;
            }
            AddressRange now = ranges.get(seen.id())
                    .orElseThrow(() -> StrategyException.notConfigured(seen.describe() + " was deleted"));
            if (now.isBoundTo(vpcId, zone)) {
                return now;
            }
            if (!now.target().equals(seen.target()) || !now.isStable()) {
                throw StrategyException.generic(seen.describe() + " was moved to " + now.binding() + " ("
                        + now.lifecycleState() + ") by another node while this one was binding it: " + e.reason());
            }
            return ranges.bind(now, vpcId, zone);
        }
    }

    /** Reads the range until it is stable and bound here; fails when another node moves it meanwhile. */
    private AddressRange settleHere(AddressRange range, String vpcId, String zone) throws StrategyException {
        Instant began = timeBox.clock().instant();
        AddressRange settled = Settle.within(timeBox)
                .until(
                        "read back " + range.describe(),
                        () -> ranges.get(range.id())
                                .orElseThrow(() -> StrategyException.notConfigured(range.describe() + " was deleted")),
                        seen -> {
                            if (!seen.isBoundTo(vpcId, zone) && seen.target().isPresent()) {
                                throw StrategyException.generic(range.describe() + " was moved to " + seen.binding()
                                        + " by another node while it settled here");
                            }
                            return seen.isStable() && seen.isBoundTo(vpcId, zone);
                        },
                        (lastSeen, lastFailure) -> StrategyException.generic(range.describe()
                                + " is not stable in zone " + zone + " after "
                                + MonitorGrace.seconds(
                                        Duration.between(began, timeBox.clock().instant()))
                                + lastSeen.map(seen -> " (it is " + seen.lifecycleState() + ", bound to "
                                                + seen.binding() + ")")
                                        .orElse("")
                                + lastFailure
                                        .map(failure -> "; the last read failed: " + failure.reason())
                                        .orElse("")
                                + "; the next start finishes the move"));
        String took =
                MonitorGrace.seconds(Duration.between(began, timeBox.clock().instant()));
        log.log(Level.DEBUG, () -> range.describe() + " stable in zone " + zone + " after " + took);
        return settled;
    }
}
