package io.vpcha.host.cloud.http;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * Sends a request and retries it while that is safe and there is time: on 429, on 5xx other than 501
 * and on connection failures, with backoff and jitter, honouring Retry-After, and never past the
 * action's deadline. A request that may have taken effect (a POST that got no answer, or a 5xx) is not
 * retried here: the caller knows how to check whether it took effect.
 */
public final class CallExecutor {
    private final HttpTransport transport;
    private final RetryPolicy policy;
    private final Supplier<Instant> deadline;
    private final System.Logger log;
    private final Sleeper sleeper;
    private final CallObserver observer;

    /** Waits; replaceable so tests can count waits instead of taking them. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    public CallExecutor(HttpTransport transport, RetryPolicy policy, Supplier<Instant> deadline, System.Logger log) {
        this(transport, policy, deadline, log, duration -> Thread.sleep(duration.toMillis()));
    }

    CallExecutor(
            HttpTransport transport,
            RetryPolicy policy,
            Supplier<Instant> deadline,
            System.Logger log,
            Sleeper sleeper) {
        this(transport, policy, deadline, log, sleeper, CallObserver.NONE);
    }

    private CallExecutor(
            HttpTransport transport,
            RetryPolicy policy,
            Supplier<Instant> deadline,
            System.Logger log,
            Sleeper sleeper,
            CallObserver observer) {
        this.observer = requireNonNull(observer, "observer is null");
        this.transport = requireNonNull(transport, "transport is null");
        this.policy = requireNonNull(policy, "policy is null");
        this.deadline = requireNonNull(deadline, "deadline is null");
        this.log = requireNonNull(log, "log is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
    }

    /** This executor, telling {@code observer} of every request and retry. */
    public CallExecutor observedBy(CallObserver observer) {
        return new CallExecutor(transport, policy, deadline, log, sleeper, observer);
    }

    /**
     * Lets the transport open, ahead of time, the connections {@code count} requests to {@code uri}'s
     * origin at the same time will need ({@link HttpTransport#prepare}); nothing when the action has no
     * time left.
     */
    public void prepare(URI uri, int count) {
        Duration remaining = Duration.between(Instant.now(), deadline.get());
        if (remaining.compareTo(RetryPolicy.MIN_ATTEMPT) >= 0) {
            transport.prepare(uri, count, min(policy.requestTimeout(), remaining));
        }
    }

    /**
     * Sends {@code call} until it is answered with something not worth retrying, or retrying is no
     * longer safe or possible. Returns the last answer, successful or not.
     *
     * @param idempotent whether sending it twice does no harm (GET, PUT, PATCH, DELETE)
     * @param what the operation, for messages; never contains a secret
     * @throws CloudException when no answer came at all
     */
    public HttpResult execute(HttpCall call, boolean idempotent, String what) throws CloudException {
        int attempt = 0;
        while (true) {
            attempt++;
            Duration remaining = Duration.between(Instant.now(), deadline.get());
            if (remaining.compareTo(RetryPolicy.MIN_ATTEMPT) < 0) {
                throw new CloudException(
                        CloudErrorKind.TRANSIENT,
                        0,
                        null,
                        what + ": no time left before the action's " + "deadline"
                                + (attempt > 1 ? " after " + (attempt - 1) + " attempts" : ""),
                        null,
                        null);
            }
            Duration timeout = min(policy.requestTimeout(), remaining);
            HttpResult result;
            try {
                result = transport.execute(call, timeout);
                observer.answered(call, result.status());
            } catch (TlsSetupException e) {
                throw new CloudException(CloudErrorKind.CONFIGURATION, 0, null, what + ": " + e.getMessage(), null, e);
            } catch (IOException e) {
                observer.unanswered(call);
                boolean notSent = e instanceof ConnectException
                        || e instanceof NoRouteToHostException
                        || e instanceof UnknownHostException;
                String failure = describe(e);
                if (e instanceof SSLException
                        || !(idempotent || notSent)
                        || !waitBeforeRetry(attempt, Optional.empty(), what, failure, call)) {
                    throw new CloudException(
                            CloudErrorKind.TRANSIENT,
                            0,
                            null,
                            what + ": " + failure + (attempt > 1 ? " (after " + attempt + " attempts)" : ""),
                            null,
                            e);
                }
                continue;
            }
            boolean retryable = ApiErrors.isRetryable(result.status()) && (idempotent || result.status() == 429);
            if (!retryable || !waitBeforeRetry(attempt, retryAfter(result), what, "HTTP " + result.status(), call)) {
                return result;
            }
        }
    }

    /** Waits before the next attempt, or says there is no point: attempts used up, or no time for one more. */
    private boolean waitBeforeRetry(
            int attempt, Optional<Duration> retryAfter, String what, String failure, HttpCall call) {
        if (attempt >= policy.maxAttempts()) {
            return false;
        }
        Duration wait = retryAfter.orElseGet(() -> policy.backoff(attempt));
        Instant next = Instant.now().plus(wait).plus(RetryPolicy.MIN_ATTEMPT);
        if (next.isAfter(deadline.get())) {
            log.log(
                    Level.DEBUG,
                    () -> what + ": " + failure + "; no time to wait " + wait.toMillis() + " ms and retry");
            return false;
        }
        log.log(
                Level.INFO,
                () -> what + ": " + failure + "; retrying in " + wait.toMillis() + " ms (attempt " + (attempt + 1)
                        + " of " + policy.maxAttempts() + ")");
        try {
            sleeper.sleep(wait);
            observer.retrying(call);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Retry-After in seconds or as an HTTP date; absent or unreadable means use the backoff. */
    static Optional<Duration> retryAfter(HttpResult result) {
        return result.header("retry-after").flatMap(value -> {
            String text = value.trim();
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(text))));
            } catch (NumberFormatException notSeconds) {
                try {
                    Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME)
                            .toInstant();
                    Duration wait = Duration.between(Instant.now(), at);
                    return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
                } catch (DateTimeParseException notDate) {
                    return Optional.empty();
                }
            }
        });
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
