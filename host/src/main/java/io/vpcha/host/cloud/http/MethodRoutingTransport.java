package io.vpcha.host.cloud.http;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Duration;

/** PATCH through the client that can send it, everything else through the cheap one. */
public final class MethodRoutingTransport implements HttpTransport {
    private final HttpTransport cheap;
    private final HttpTransport patchCapable;

    public MethodRoutingTransport(HttpTransport cheap, HttpTransport patchCapable) {
        this.cheap = requireNonNull(cheap, "cheap is null");
        this.patchCapable = requireNonNull(patchCapable, "patchCapable is null");
    }

    @Override
    public HttpResult execute(HttpCall call, Duration timeout) throws IOException {
        return (call.method().equals("PATCH") ? patchCapable : cheap).execute(call, timeout);
    }
}
