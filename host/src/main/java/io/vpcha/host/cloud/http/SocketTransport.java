package io.vpcha.host.cloud.http;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

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
 *
 * <p>In a long-lived JVM, connections outlive the action ({@link KeptConnections}): its idempotent
 * requests first try a connection an earlier action left open.
 */
public final class SocketTransport implements HttpTransport {
    private static final String USER_AGENT = userAgent();
    /** The methods that may be sent twice (RFC 9110 9.2.2), so also on a connection that waited between actions. */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");

    private final Connector connector;
    private final ConnectionPool pool;

    /**
     * @param caFile certificates to trust besides the system trust store ({@link TlsTrust})
     * @param systemTrust the system trust store, usually {@link SystemTrust#cachedIn}
     */
    public SocketTransport(Optional<Path> caFile, SystemTrust systemTrust) {
        this.connector = new Connector(caFile, systemTrust);
        this.pool = new ConnectionPool();
    }

    /**
     * An action of a long-lived JVM: its connections come from and go back to {@code kept}.
     *
     * @param caFile certificates to trust besides the system trust store ({@link TlsTrust})
     * @param systemTrust the system trust store, usually {@link SystemTrust#cachedIn}
     */
    public SocketTransport(Optional<Path> caFile, SystemTrust systemTrust, KeptConnections kept) {
        this.connector = new Connector(caFile, systemTrust);
        this.pool = new ConnectionPool(Optional.of(kept), trustOf(caFile));
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
        boolean fromEarlierAction = false;
        if (idle.isEmpty() && IDEMPOTENT.contains(call.method())) {
            idle = pool.takeKept(origin);
            fromEarlierAction = idle.isPresent();
        }
        if (idle.isPresent()) {
            HttpConnection connection = idle.get();
            try {
                return exchange(connection, call, deadlineNanos);
            } catch (IOException e) {
                if (fromEarlierAction) {
                    pool.forgetKept(origin);
                }
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

    /**
     * What checks this action's server certificates, as a key of {@link KeptConnections}: the system
     * trust store alone, or with {@code ca_file} as it is now (path, size, modification time), so that
     * a changed file is never bypassed by a connection its old content checked.
     */
    static String trustOf(Optional<Path> caFile) {
        if (caFile.isEmpty()) {
            return "system";
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(caFile.get(), BasicFileAttributes.class);
            return caFile.get() + "|" + attributes.size() + "|"
                    + attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS) + "|" + attributes.fileKey();
        } catch (IOException e) {
            // the connection's handshake will say what is wrong with it; no kept connection meanwhile
            return caFile.get() + "|unreadable|" + System.nanoTime();
        }
    }

    private static String userAgent() {
        String version = SocketTransport.class.getPackage().getImplementationVersion();
        return version == null ? "vpc-ha" : "vpc-ha/".concat(version);
    }
}
