package io.vpcha.toolkit.time;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.toolkit.json.Json;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Waits for something in the cloud to settle: a write to show in a read-back (the API has no
 * optimistic locking for routes, floating IPs, reserved IPs), a resource to leave a transitional
 * {@code lifecycle_state} or {@code provisioning_status}. Reads at once, then again after pauses
 * that grow as the host's retries do (exponential, each a random part of its bound so that nodes
 * polling together spread out) but capped lower, since a poll waits for a change it wants to see
 * soon; all within the action's {@link TimeBox}.
 *
 * <p>A read that fails transiently is noted and the wait goes on; any other failure ends it.
 */
public final class Settle {
    private static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);

    private final TimeBox timeBox;
    private final Duration firstPause;
    private final Duration longestPause;

    private Settle(TimeBox timeBox, Duration firstPause, Duration longestPause) {
        this.timeBox = requireNonNull(timeBox, "timeBox is null");
        this.firstPause = requireNonNull(firstPause, "firstPause is null");
        this.longestPause = requireNonNull(longestPause, "longestPause is null");
        if (firstPause.isNegative() || firstPause.isZero() || longestPause.compareTo(firstPause) < 0) {
            throw new IllegalArgumentException("pauses " + firstPause + " to " + longestPause + " make no sense");
        }
    }

    /** Waits within {@code timeBox}, pausing 250 ms at first and at most 2 s. */
    public static Settle within(TimeBox timeBox) {
        return new Settle(timeBox, FIRST_PAUSE, LONGEST_PAUSE);
    }

    /** The same wait with other pauses. */
    public Settle pauses(Duration first, Duration longest) {
        return new Settle(timeBox, first, longest);
    }

    /** Whether what was read has settled; throws to end the wait with that failure (e.g. another node moved it). */
    @FunctionalInterface
    public interface Check<T> {
        boolean settled(T seen) throws StrategyException;
    }

    /** The failure of a wait that ran out of time, from what was seen last. */
    @FunctionalInterface
    public interface Timeout<T> {
        StrategyException failure(Optional<T> lastSeen, Optional<CloudException> lastReadFailure);
    }

    /**
     * Reads with {@code read} until {@code check} says it has settled, and returns what was read then.
     *
     * @param what what is read, for the reasons of failed reads; no secret
     * @throws StrategyException from {@code check}, a read that failed for good, or {@code timeout}
     *     when the time box ran out first
     */
    public <T> T until(String what, TimeBox.CloudCall<T> read, Check<T> check, Timeout<T> timeout)
            throws StrategyException {
        requireNonNull(read, "read is null");
        requireNonNull(check, "check is null");
        requireNonNull(timeout, "timeout is null");
        Optional<T> lastSeen = Optional.empty();
        Optional<CloudException> lastFailure = Optional.empty();
        Duration bound = firstPause;
        while (true) {
            try {
                T seen = timeBox.call(what, read);
                lastSeen = Optional.of(seen);
                lastFailure = Optional.empty();
                if (check.settled(seen)) {
                    return seen;
                }
            } catch (CloudException e) {
                if (!e.isTransient()) {
                    throw e;
                }
                lastFailure = Optional.of(e);
            }
            if (!timeBox.pause(jittered(bound))) {
                throw timeout.failure(lastSeen, lastFailure);
            }
            bound = bound.multipliedBy(2).compareTo(longestPause) > 0 ? longestPause : bound.multipliedBy(2);
        }
    }

    /**
     * A check that a field of a raw API answer (a JSON object, see {@link
     * io.vpcha.spi.cloud.ApiResponse#jsonObject()}) has one of {@code values}, e.g. {@code
     * lifecycle_state} is {@code stable}, {@code provisioning_status} is {@code active}.
     *
     * @param path the field, dot-separated for nested objects ({@code target.zone.name})
     */
    public static Check<Map<String, Object>> fieldIs(String path, String... values) {
        requireNonNull(path, "path is null");
        return seen -> {
            Object value = Json.at(seen, path).orElse(null);
            for (String wanted : values) {
                if (Objects.equals(wanted, value)) {
                    return true;
                }
            }
            return false;
        };
    }

    private static Duration jittered(Duration bound) {
        long millis = bound.toMillis();
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(millis / 2, millis + 1));
    }
}
