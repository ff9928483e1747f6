package io.vpcha.host.cloud.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
 * <p>Connections can be opened ahead of a round of requests ({@link #prepare}), in the background
 * while the requests before it run: the round's requests then find them open instead of each waiting
 * for a TCP and a TLS handshake (two round trips). A request that finds no idle connection waits for
 * one being opened ahead rather than opening one more.
 *
 * <p>In a long-lived JVM, connections outlive the action ({@link KeptConnections}): its idempotent
 * requests first try a connection an earlier action left open.
 */
public final class SocketTransport implements HttpTransport {
    private static final String USER_AGENT = userAgent();
    /** The methods that may be sent twice (RFC 9110 9.2.2), so also on a connection that waited between actions. */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");
    /** The most connections to one origin opened ahead of requests: a hint never opens a crowd. */
    static final int MAX_AHEAD = 16;

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
        if (idle.isEmpty()) {
            Optional<CompletableFuture<Optional<HttpConnection>>> ahead = pool.claimAhead(origin);
            if (ahead.isPresent()) {
                Optional<HttpConnection> opened = await(ahead.get(), deadlineNanos);
                if (opened.isPresent()) {
                    // new, like one opened here: what fails on it fails the request
                    return exchange(opened.get(), call, deadlineNanos);
                }
                // it could not be opened (nothing was sent on it): this request opens its own
            }
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
        pool.connecting(origin);
        HttpConnection connection;
        boolean accepted;
        try {
            connection = connector.open(origin, deadlineNanos);
            accepted = pool.opened(connection);
        } finally {
            pool.connected(origin);
        }
        if (!accepted) {
            throw new SocketException("the action's connections are closed");
        }
        return exchange(connection, call, deadlineNanos);
    }

    /**
     * Opens, each on a thread of its own, the connections to {@code uri}'s origin that {@code count}
     * requests at the same time will need beyond those the action has or is opening (at most
     * {@link #MAX_AHEAD}); returns at once. One that cannot be opened is forgotten: the request that
     * would have used it opens its own and reports what fails.
     */
    @Override
    public void prepare(URI uri, int count, Duration timeout) {
        long deadlineNanos = System.nanoTime() + timeout.toNanos();
        Origin origin = Origin.of(uri);
        for (CompletableFuture<Optional<HttpConnection>> planned : pool.planAhead(origin, Math.min(count, MAX_AHEAD))) {
            Thread opener = new Thread(() -> openAhead(origin, planned, deadlineNanos), "vpc-ha-connect-ahead");
            opener.setDaemon(true);
            opener.start();
        }
    }

    private void openAhead(Origin origin, CompletableFuture<Optional<HttpConnection>> planned, long deadlineNanos) {
        Optional<HttpConnection> connection = Optional.empty();
        try {
            connection = Optional.of(connector.open(origin, deadlineNanos));
        } catch (IOException | RuntimeException e) {
            // nothing was sent: the request that claims this opens a connection itself and reports the failure
        } finally {
            pool.openedAhead(origin, planned, connection);
        }
    }

    /** The connection being opened ahead, once open (empty: it could not be), waiting at most until the deadline. */
    private static Optional<HttpConnection> await(CompletableFuture<Optional<HttpConnection>> ahead, long deadlineNanos)
            throws IOException {
        try {
            return ahead.get(
                    HttpConnection.millisLeft(deadlineNanos, "no time left to connect"), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while a connection was opened");
        } catch (TimeoutException e) {
            throw new SocketTimeoutException("no time left to connect");
        } catch (ExecutionException e) {
            throw new IllegalStateException("a connection opened ahead never fails its future", e);
        }
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
