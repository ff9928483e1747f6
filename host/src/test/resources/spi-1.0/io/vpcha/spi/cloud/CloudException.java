package io.vpcha.spi.cloud;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.StrategyException;
import java.util.Optional;

/**
 * A cloud call that failed, with what the API said: the HTTP status (0 when no answer came), the
 * API's error code and message, and its trace id for IBM support. Never carries a secret.
 */
public class CloudException extends StrategyException {
    private static final long serialVersionUID = 1L;

    private final CloudErrorKind cloudErrorKind;
    private final int status;
    private final String code;
    private final String trace;

    public CloudException(
            CloudErrorKind cloudErrorKind, int status, String code, String reason, String trace, Throwable cause) {
        super(requireNonNull(cloudErrorKind, "cloudErrorKind is null").errorKind(), reason, cause);
        this.cloudErrorKind = cloudErrorKind;
        this.status = status;
        this.code = code;
        this.trace = trace;
    }

    public CloudErrorKind cloudErrorKind() {
        return cloudErrorKind;
    }

    /** The HTTP status, or 0 when no answer came (timeout, connection refused). */
    public int status() {
        return status;
    }

    /** The API's error code, e.g. {@code not_found} or {@code BXNIM0415E}. */
    public Optional<String> code() {
        return Optional.ofNullable(code);
    }

    /** The API's trace or request id, for IBM support. */
    public Optional<String> trace() {
        return Optional.ofNullable(trace);
    }

    public boolean isTransient() {
        return cloudErrorKind == CloudErrorKind.TRANSIENT;
    }
}
