package io.vpcha.toolkit.readiness;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * When a promotable clone's passive node last passed its readiness check, kept in a strategy's state
 * record, and whether that check still vouches for what it remembered (ids, where things were), so that
 * a promotion can write at once instead of reading first.
 *
 * <p>The record holds {@value #CHECKED}, the time of the last successful check in milliseconds since
 * the epoch, and {@value #INTERVAL}, the time since the check before it (the Unpromoted monitor's
 * interval as observed); a strategy may keep its own entries beside them.
 */
public final class RecentCheck {
    /** The entry holding the time of the last successful check, in milliseconds since the epoch. */
    public static final String CHECKED = "checked";
    /** The entry holding the time between the last two successful checks, in milliseconds. */
    public static final String INTERVAL = "interval";

    /** The agent's default interval of the Unpromoted monitor, taken until two checks have shown theirs. */
    private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    /** A check vouches for what it remembered this many intervals after it. */
    private static final int INTERVALS_VOUCHED = 3;
    /** However long the interval, a check older than this vouches for nothing. */
    private static final Duration LONGEST_VOUCHED = Duration.ofMinutes(10);

    private RecentCheck() {}

    /**
     * The entries of a check that succeeded at {@code now}: the time, and the interval since the check
     * {@code previous} (the record as it was) tells of, when it tells one before {@code now}.
     */
    public static Map<String, String> checkedAt(Optional<Map<String, String>> previous, Instant now) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(CHECKED, Long.toString(now.toEpochMilli()));
        previous.flatMap(record -> millis(record.get(CHECKED)))
                .map(checked -> now.toEpochMilli() - checked)
                .filter(interval -> interval > 0)
                .ifPresent(interval -> values.put(INTERVAL, Long.toString(interval)));
        return values;
    }

    /**
     * Whether the last successful readiness check, as {@code record} tells it, is recent enough at
     * {@code now} for a promotion to act on what it remembered without reading it first: within 3
     * intervals of the Unpromoted monitor (the time between the last two checks, or 30 s, the agent's
     * default, when that is shorter or unknown: the first monitor follows the start's check at once),
     * and never more than 10 minutes.
     *
     * <p>Why a bound, and why this one: a promotion that writes at once reads back what it wrote and
     * falls back to reading first at any surprise, so an old picture never makes a wrong result, only a
     * slower one (a write by an id that is gone costs the round the direct write was to save). While the
     * monitor runs, every check sees what a promotion would change, so the picture is at most a few
     * intervals old and the direct write pays. One late or failed check (a loaded node, a short cloud
     * outage) must not make the promotion cold, hence 3 intervals, not 1; a check older than that means
     * the monitor stopped or kept failing (maintenance, an outage), and nothing vouches for the ids any
     * more. A record without the time (written by an older version) vouches for nothing, nor does one
     * ahead of the clock.
     */
    public static boolean vouches(Optional<Map<String, String>> record, Instant now) {
        Optional<Instant> checked =
                record.flatMap(values -> millis(values.get(CHECKED))).map(Instant::ofEpochMilli);
        if (checked.isEmpty()) {
            return false;
        }
        Duration interval = record.flatMap(values -> millis(values.get(INTERVAL)))
                .map(Duration::ofMillis)
                .filter(observed -> observed.compareTo(DEFAULT_INTERVAL) > 0)
                .orElse(DEFAULT_INTERVAL);
        Duration vouched = interval.multipliedBy(INTERVALS_VOUCHED);
        if (vouched.compareTo(LONGEST_VOUCHED) > 0) {
            vouched = LONGEST_VOUCHED;
        }
        Duration age = Duration.between(checked.get(), now);
        return !age.isNegative() && age.compareTo(vouched) <= 0;
    }

    private static Optional<Long> millis(String text) {
        try {
            return text == null ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (NumberFormatException damaged) {
            return Optional.empty();
        }
    }
}
