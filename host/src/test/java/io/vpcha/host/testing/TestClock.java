package io.vpcha.host.testing;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that runs in step with real time, ahead of it by what a test has {@link #advance advanced}
 * it: a grace window runs out without the test sleeping through it, while waits and timeouts inside
 * an action still take their real time.
 */
public final class TestClock extends Clock {
    private final AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);

    /** Moves this clock {@code duration} further ahead of real time. */
    public void advance(Duration duration) {
        requireNonNull(duration, "duration is null");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time does not run backwards: " + duration);
        }
        ahead.accumulateAndGet(duration, Duration::plus);
    }

    /** How far ahead of real time this clock is. */
    public Duration ahead() {
        return ahead.get();
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(ahead.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (!zone.equals(ZoneOffset.UTC)) {
            throw new UnsupportedOperationException("a test clock is in UTC");
        }
        return this;
    }
}
