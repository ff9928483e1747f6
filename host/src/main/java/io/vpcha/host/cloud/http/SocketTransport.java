package io.vpcha.host.cloud.http;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * HTTP/1.1 for one action, over JDK sockets: every method (PATCH included) on one kept-alive
 * connection per origin, more only for requests that run at the same time.
 *
 * <p>Why not a JDK client: every OCF action is a cold JVM. Measured in cold JVMs with the CDS
 * archive (docs/performance.md, "Choosing the HTTP client"), {@code HttpURLConnection} costs about
 * 15 ms more than this and cannot send PATCH, and {@code java.net.http} costs about 115 ms more (its
 * selector thread, asynchronous TLS engine and some 500 more classes), and about 400 ms more unless
 * its selector thread is stopped before exit.
 *
 * <p>A request on a reused connection that fails before any byte of its answer arrives met a
 * connection the server had closed meanwhile: it is sent once more on a new connection, unless it
 * is a POST (which may have taken effect; the caller decides, RFC 9110 9.2.2).
 */
public final class SocketTransport implements HttpTransport {
    private static final String USER_AGENT = userAgent();

    private final Connector connector;
    private final ConnectionPool pool = new ConnectionPool();

    /**
     * @param caFile certificates to trust besides the system trust store ({@link TlsTrust})
     * @param systemTrust the system trust store, usually {@link SystemTrust#cachedIn}
     */
    public SocketTransport(Optional<Path> caFile, SystemTrust systemTrust) {
        this.connector = new Connector(caFile, systemTrust);
    }

    /** With the system trust store loaded whole when it is needed (no cache of its CAs). */
    public SocketTransport(Optional<Path> caFile) {
        this(caFile, SystemTrust.uncached());
    }

    @Override
    public HttpResult execute(HttpCall call, Duration timeout) throws IOException {
        long deadlineNanos = System.nanoTime() + timeout.toNanos();
        Origin origin = Origin.of(call.uri());
        Optional<HttpConnection> idle = pool.takeIdle(origin);
        if (idle.isPresent()) {
            HttpConnection connection = idle.get();
            try {
                return exchange(connection, call, deadlineNanos);
            } catch (IOException e) {
                if (connection.answerStarted()
                        || e instanceof SocketTimeoutException
                        || call.method().equals("POST")) {
                    throw e;
                }
                // the server closed the idle connection: a new one
            }
        }
        HttpConnection connection = connector.open(origin, deadlineNanos);
        if (!pool.opened(connection)) {
            throw new SocketException("the action's connections are closed");
        }
        return exchange(connection, call, deadlineNanos);
    }

    private HttpResult exchange(HttpConnection connection, HttpCall call, long deadlineNanos) throws IOException {
        Http1Codec.Answer answer;
        try {
            answer = connection.exchange(call, deadlineNanos, USER_AGENT);
        } catch (IOException | RuntimeException e) {
            pool.discard(connection);
            throw e;
        }
        if (answer.reusable()) {
            pool.release(connection);
        } else {
            pool.discard(connection);
        }
        return answer.result();
    }

    /** Closes every connection of the action. */
    @Override
    public void close() {
        pool.close();
    }

    private static String userAgent() {
        String version = SocketTransport.class.getPackage().getImplementationVersion();
        return version == null ? "vpc-ha" : "vpc-ha/".concat(version);
    }
}
