package io.vpcha.host.cloud.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how patiently to retry: exponential backoff with jitter (each wait is random between
 * half and all of the exponential bound, so nodes retrying together spread out), capped, and a
 * maximum number of attempts. The action's deadline bounds everything in the end.
 *
 * @param requestTimeout the longest one attempt may take
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration requestTimeout) {
    /** The least time worth starting an attempt with. */
    public static final Duration MIN_ATTEMPT = Duration.ofMillis(200);

    public RetryPolicy {
        requireNonNull(baseDelay, "baseDelay is null");
        requireNonNull(maxDelay, "maxDelay is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts is less than 1");
        }
    }

    public static RetryPolicy defaults(int maxAttempts, Duration requestTimeout) {
        return new RetryPolicy(maxAttempts, Duration.ofMillis(250), Duration.ofSeconds(8), requestTimeout);
    }

    /** The wait before attempt {@code attempt + 1}, after {@code attempt} failed (1-based). */
    public Duration backoff(int attempt) {
        long bound = baseDelay.toMillis() << Math.min(attempt - 1, 20);
        bound = Math.min(bound, maxDelay.toMillis());
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(bound / 2, bound + 1));
    }
}
