package io.vpcha.host.ocf;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * When an action must be done. Pacemaker kills an action at its timeout and counts that as a
 * failure with no reason given; ending a margin earlier lets the agent say what it was waiting for.
 * The timeout runs from when Pacemaker started the process, so the JVM's own start-up counts.
 */
public record ActionDeadline(Instant processStart, Duration timeout, Instant deadline) {
    private static final Duration MIN_MARGIN = Duration.ofMillis(500);
    private static final Duration MAX_MARGIN = Duration.ofSeconds(5);

    public ActionDeadline {
        requireNonNull(processStart, "processStart is null");
        requireNonNull(timeout, "timeout is null");
        requireNonNull(deadline, "deadline is null");
    }

    /** A tenth of the timeout, at least half a second and at most five seconds, is kept in reserve. */
    public static ActionDeadline of(Instant processStart, Duration timeout) {
        Duration margin = timeout.dividedBy(10);
        if (margin.compareTo(MIN_MARGIN) < 0) {
            margin = MIN_MARGIN;
        }
        if (margin.compareTo(MAX_MARGIN) > 0) {
            margin = MAX_MARGIN;
        }
        if (margin.compareTo(timeout.dividedBy(2)) > 0) {
            margin = timeout.dividedBy(2);
        }
        return new ActionDeadline(
                processStart, timeout, processStart.plus(timeout).minus(margin));
    }

    /** When this process started: an action Pacemaker runs began then, JVM start-up included. */
    public static Instant startOfThisProcess() {
        return ProcessHandle.current().info().startInstant().orElseGet(Instant::now);
    }

    /**
     * Until when loading the plugins may run for {@code action}: a quarter of the time to the deadline, so
     * that a plugin hanging while it loads leaves the action most of its time; half for a stop or a
     * demote. Those end a resource, and one started here whose plugin did not load in time fails them (a
     * failed stop gets the node fenced): on a node slow enough for a plugin to need more than a quarter,
     * they wait longer for it, and still keep half of their time for what the strategy then undoes.
     */
    public Instant pluginLoadingDeadline(String action) {
        Duration toDeadline = Duration.between(processStart, deadline);
        boolean endsTheResource = action.equals("stop") || action.equals("demote");
        return processStart.plus(endsTheResource ? toDeadline.dividedBy(2) : toDeadline.dividedBy(4));
    }

    public Duration remaining() {
        return remaining(Clock.systemUTC());
    }

    /** Time left by {@code clock}, the clock the deadline was counted by. */
    public Duration remaining(Clock clock) {
        return Duration.between(clock.instant(), deadline);
    }
}
