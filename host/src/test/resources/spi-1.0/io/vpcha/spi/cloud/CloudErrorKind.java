package io.vpcha.spi.cloud;

import io.vpcha.spi.ErrorKind;

/** What a failed cloud call means for the strategy that made it. */
public enum CloudErrorKind {
    /** Worth retrying later: rate limits, server errors, timeouts, connection failures, conflicts. */
    TRANSIENT(ErrorKind.GENERIC),
    /** The credentials are refused or lack a permission (401 after a fresh token, 403). */
    PERMISSION(ErrorKind.INSUFFICIENT_PRIVILEGES),
    /** The resource named does not exist (404). */
    NOT_FOUND(ErrorKind.NOT_CONFIGURED),
    /** The request is wrong for this configuration (400, 409, 412, 422): retrying will not help. */
    CONFIGURATION(ErrorKind.NOT_CONFIGURED);

    private final ErrorKind errorKind;

    CloudErrorKind(ErrorKind errorKind) {
        this.errorKind = errorKind;
    }

    /** The OCF-facing kind a strategy reports when it does not decide otherwise. */
    public ErrorKind errorKind() {
        return errorKind;
    }
}
