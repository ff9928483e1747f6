package io.vpcha.simulator.time;

import java.util.function.LongSupplier;

/**
 * Makes simulated time pass by itself on the system clock: one daemon thread runs {@code work} (apply
 * the changes that have come due, start the health checks that have come due) as soon as the next one
 * is due, so that a delayed change happens at its time even when nobody reads the state (an instance
 * reports {@code stopped} and a harness waiting for that event learns it at once). With a
 * {@link ManualClock} no ticker runs: each advance does the work in the caller's thread.
 */
public final class Ticker implements AutoCloseable {
    private static final long IDLE_NANOS = 1_000_000_000L;

    private final LongSupplier nanosUntilNextDue;
    private final Runnable work;
    private final Thread thread;
    private boolean woken;
    private volatile boolean closed;

    /**
     * @param nanosUntilNextDue nanoseconds until the next due work (0 = now), or negative when none
     * @param work what to run when something is due; must not throw
     */
    public Ticker(String name, LongSupplier nanosUntilNextDue, Runnable work) {
        this.nanosUntilNextDue = nanosUntilNextDue;
        this.work = work;
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Something new was scheduled: look again at what is due next. */
    public void wake() {
        synchronized (this) {
            woken = true;
            notifyAll();
        }
    }

    private void loop() {
        while (!closed) {
            try {
                work.run();
            } catch (RuntimeException e) {
                // keep ticking: one failing change must not stop time
            }
            long wait = nanosUntilNextDue.getAsLong();
            wait = wait < 0 ? IDLE_NANOS : Math.min(wait, IDLE_NANOS);
            synchronized (this) {
                try {
                    if (!woken && wait > 0) {
                        wait(Math.max(1, wait / 1_000_000), (int) (wait % 1_000_000));
                    }
                } catch (InterruptedException e) {
                    return;
                }
                woken = false;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
