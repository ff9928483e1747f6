package io.vpcha.simulator.time;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock that moves only when {@link #advance} is called, so that tests of time windows (token
 * expiry, lifecycle delays, health-check intervals, delayed PATCHes) advance time instead of sleeping.
 * The simulator registers itself as a listener: after each advance, every change that has come due is
 * applied and every health check that has come due has run before {@code advance} returns.
 */
public final class ManualClock implements SimulatorClock {
    private final Object lock = new Object();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private long nanos;
    private Instant instant;

    /** Starts at the current wall-clock instant. */
    public ManualClock() {
        this(Instant.now());
    }

    public ManualClock(Instant start) {
        this.instant = Objects.requireNonNull(start, "start is null");
    }

    @Override
    public long nanoTime() {
        synchronized (lock) {
            return nanos;
        }
    }

    @Override
    public Instant instant() {
        synchronized (lock) {
            return instant;
        }
    }

    @Override
    public boolean isManual() {
        return true;
    }

    /** Moves time forward, then runs the listeners (due changes, due health checks) in this thread. */
    public void advance(Duration duration) {
        Objects.requireNonNull(duration, "duration is null");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time cannot go back: " + duration);
        }
        synchronized (lock) {
            nanos += duration.toNanos();
            instant = instant.plus(duration);
        }
        listeners.forEach(Runnable::run);
    }

    /** Runs {@code listener} after every {@link #advance}. */
    public void onAdvance(Runnable listener) {
        listeners.add(Objects.requireNonNull(listener, "listener is null"));
    }

    /** Stops running {@code listener} after advances. */
    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }
}
