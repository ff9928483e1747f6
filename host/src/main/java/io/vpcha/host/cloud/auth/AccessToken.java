package io.vpcha.host.cloud.auth;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * A bearer token and its lifetime. {@link #toString()} never shows the token.
 *
 * @param issuedAt when it was obtained, to refresh it after most of its life has passed
 */
public record AccessToken(String value, Instant issuedAt, Instant expiration) {
    /** IBM's SDKs stop using a token this long before it expires. */
    static final Duration EXPIRY_MARGIN = Duration.ofSeconds(10);
    /** ... and refresh it once this share of its life has passed. */
    private static final double REFRESH_AFTER = 0.8;

    public AccessToken {
        requireNonNull(value, "value is null");
        requireNonNull(issuedAt, "issuedAt is null");
        requireNonNull(expiration, "expiration is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("token is blank");
        }
    }

    /** Still usable at {@code now}. */
    public boolean isValidAt(Instant now) {
        return now.isBefore(expiration.minus(EXPIRY_MARGIN));
    }

    /** Usable, and young enough not to need a refresh yet. */
    public boolean isFreshAt(Instant now) {
        if (!isValidAt(now)) {
            return false;
        }
        long life = Duration.between(issuedAt, expiration).toMillis();
        return now.isBefore(issuedAt.plusMillis((long) (life * REFRESH_AFTER)));
    }

    @Override
    public String toString() {
        return "AccessToken[***, issuedAt=" + issuedAt + ", expiration=" + expiration + "]";
    }
}
