package io.vpcha.simulator.time;

import java.time.Instant;

/**
 * The simulator's notion of time: every delay it simulates (a load balancer's {@code update_pending},
 * an instance stopping, a public address range moving, a PATCH that takes effect later), every token
 * expiry and every health-check interval is measured on it. The default is the system clock; tests use a
 * {@link ManualClock} and advance it instead of sleeping.
 */
public interface SimulatorClock {
    /** A monotonic reading in nanoseconds, for intervals (like {@link System#nanoTime()}). */
    long nanoTime();

    /** The current instant, for timestamps and expiry. */
    Instant instant();

    /** Whether time moves by itself (the system clock) or only when a test advances it. */
    default boolean isManual() {
        return false;
    }

    /** The wall clock. */
    static SimulatorClock system() {
        return SystemClock.INSTANCE;
    }

    /** The system clock. */
    enum SystemClock implements SimulatorClock {
        INSTANCE;

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Instant instant() {
            return Instant.now();
        }
    }
}
