package io.vpcha.host.cloud.http;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/** Sends one HTTP request, once, within a time limit. Retrying is the caller's business. */
public interface HttpTransport extends AutoCloseable {
    HttpResult execute(HttpCall call, Duration timeout) throws IOException;

    /**
     * Begins to open, in the background, the connections to {@code uri}'s origin that {@code count}
     * requests at the same time will need, besides those the action has or is opening; returns at once.
     * A hint: nothing is sent and nothing fails. The default opens nothing.
     */
    default void prepare(URI uri, int count, Duration timeout) {}

    /** Releases what the transport holds open (connections); further requests may fail. */
    @Override
    default void close() {}
}
