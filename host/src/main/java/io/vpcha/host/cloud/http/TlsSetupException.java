package io.vpcha.host.cloud.http;

import java.io.IOException;

/** HTTPS cannot be set up as configured (an unreadable or empty ca_file): no retry will help. */
public final class TlsSetupException extends IOException {
    private static final long serialVersionUID = 1L;

    public TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
