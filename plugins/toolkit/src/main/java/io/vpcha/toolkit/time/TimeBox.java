package io.vpcha.toolkit.time;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs cloud calls so that the action still has time to answer when they hang. The host retries each
 * call until the action's deadline, and the host gives up on the action at that same deadline; an
 * action waiting for a call that long would be reported as timed out (a failed monitor, a failover)
 * instead of saying what happened. So every call here ends by the "answer by" time, a little before
 * the deadline, and a call still running then counts as a transient failure.
 *
 * <p>Time is the action's clock ({@link StrategyContext#clock()}); waiting takes real time.
 */
public final class TimeBox {
    private static final Duration LARGEST_MARGIN = Duration.ofSeconds(1);

    private final Clock clock;
    private final Instant answerBy;

    /** A cloud call, as the SPI declares them. */
    @FunctionalInterface
    public interface CloudCall<T> {
        T call() throws StrategyException;
    }

    /**
     * @param deadline when the action must have returned
     * @param clock the action's clock, by which the deadline counts
     */
    public TimeBox(Instant deadline, Clock clock) {
        requireNonNull(deadline, "deadline is null");
        this.clock = requireNonNull(clock, "clock is null");
        Duration remaining = Duration.between(clock.instant(), deadline);
        // a second to answer in, or a quarter of what is left when that is little
        Duration quarter = remaining.dividedBy(4);
        Duration margin = quarter.compareTo(LARGEST_MARGIN) < 0 ? quarter : LARGEST_MARGIN;
        this.answerBy = deadline.minus(margin.isNegative() ? Duration.ZERO : margin);
    }

    /** The time box of an action: its deadline, by its clock. */
    public static TimeBox of(StrategyContext context) {
        return new TimeBox(context.deadline(), context.clock());
    }

    /** When the action must have its answer ready. */
    public Instant answerBy() {
        return answerBy;
    }

    /** The action's clock. */
    public Clock clock() {
        return clock;
    }

    /** Time left until {@link #answerBy()}; negative when it has passed. */
    public Duration remaining() {
        return Duration.between(clock.instant(), answerBy);
    }

    /**
     * Runs {@code call}, giving up at the answer-by time.
     *
     * @param what the operation, for the reason; no secret
     * @throws CloudException a transient one when the call did not end in time
     */
    public <T> T call(String what, CloudCall<T> call) throws StrategyException {
        Duration remaining = remaining();
        if (remaining.isNegative() || remaining.isZero()) {
            throw noTimeLeft(what);
        }
        FutureTask<T> task = new FutureTask<>(call::call);
        Thread worker = new Thread(task, "vpc-ha-call");
        // the process ends after the action; a call left behind must not keep it alive
        worker.setDaemon(true);
        worker.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        worker.start();
        try {
            return task.get(remaining.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw noTimeLeft(what);
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new CloudException(CloudErrorKind.TRANSIENT, 0, null, what + ": interrupted", null, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StrategyException failure) {
                throw failure;
            }
            if (cause instanceof RuntimeException failure) {
                throw failure;
            }
            if (cause instanceof Error failure) {
                throw failure;
            }
            throw new IllegalStateException(what + ": " + cause, cause);
        }
    }

    /** Waits {@code duration}, or less when the answer-by time comes first; false when no time is left after. */
    public boolean pause(Duration duration) {
        Duration wait = remaining().compareTo(duration) < 0 ? remaining() : duration;
        if (wait.isNegative() || wait.isZero()) {
            return false;
        }
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return remaining().compareTo(Duration.ZERO) > 0;
    }

    private static CloudException noTimeLeft(String what) {
        return new CloudException(
                CloudErrorKind.TRANSIENT, 0, null, what + ": no answer in the time this action has", null, null);
    }
}
