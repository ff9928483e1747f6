package io.vpcha.host.cloud.http;

import java.io.IOException;
import java.time.Duration;

/** Sends one HTTP request, once, within a time limit. Retrying is the caller's business. */
public interface HttpTransport extends AutoCloseable {
    HttpResult execute(HttpCall call, Duration timeout) throws IOException;

    /** Releases what the transport holds open (connections); further requests may fail. */
    @Override
    default void close() {}
}
