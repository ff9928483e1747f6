package io.vpcha.host.cloud.http;

import java.io.Closeable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The connections of one action. An idle connection waits here for the next request to its origin,
 * so requests made one after the other share one connection, and requests made at the same time use
 * as many as run at once. Closing the pool closes every connection it handed out, idle or not; in a
 * long-lived JVM ({@link KeptConnections}) it hands the idle ones on to the next action instead, and
 * closes only those still busy (a request the action gave up on).
 *
 * <p>Connections may also be opened ahead of the requests that will need them ({@link #planAhead}): a
 * request that finds no idle connection then waits for one of those rather than opening its own, so
 * the action never holds more connections than the larger of what was planned and what runs at once.
 */
final class ConnectionPool implements Closeable {
    private final Map<Origin, Deque<HttpConnection>> idle = new HashMap<>();
    private final Set<HttpConnection> open = new HashSet<>();
    /** Connections being opened ahead of the requests that will use them, not yet claimed by one. */
    private final Map<Origin, Deque<CompletableFuture<Optional<HttpConnection>>>> ahead = new HashMap<>();
    /** How many connections to each origin are being opened now, ahead or for a request. */
    private final Map<Origin, Integer> connecting = new HashMap<>();

    private final Optional<KeptConnections> kept;
    private final String trust;
    private boolean closed;

    /** The connections of a cold action: they end with it. */
    ConnectionPool() {
        this(Optional.empty(), "");
    }

    /**
     * @param kept where idle connections go when the action ends, and come from for its idempotent requests
     * @param trust what checked this action's servers' certificates ({@link KeptConnections})
     */
    ConnectionPool(Optional<KeptConnections> kept, String trust) {
        this.kept = Objects.requireNonNull(kept, "kept is null");
        this.trust = Objects.requireNonNull(trust, "trust is null");
    }

    /** The most recently used idle connection to {@code origin} still worth reusing; expired ones are closed. */
    synchronized Optional<HttpConnection> takeIdle(Origin origin) {
        Deque<HttpConnection> waiting = idle.get(origin);
        long now = System.nanoTime();
        while (waiting != null && !waiting.isEmpty()) {
            HttpConnection connection = waiting.pollFirst();
            if (!connection.expired(now)) {
                return Optional.of(connection);
            }
            discard(connection);
        }
        return Optional.empty();
    }

    /** A connection an earlier action left to {@code origin}, now this action's; empty in a cold action. */
    Optional<HttpConnection> takeKept(Origin origin) {
        if (kept.isEmpty()) {
            return Optional.empty();
        }
        Optional<HttpConnection> connection = kept.get().take(origin, trust);
        if (connection.isPresent() && !opened(connection.get())) {
            return Optional.empty();
        }
        return connection;
    }

    /** A kept connection failed: the others kept for its origin likely did too. */
    void forgetKept(Origin origin) {
        kept.ifPresent(connections -> connections.forget(origin, trust));
    }

    /**
     * Plans the connections to {@code origin} that {@code count} requests at the same time need beyond
     * those the action has or is opening: each is to be opened (by the caller) and handed to
     * {@link #openedAhead}. None once the pool is closed.
     */
    synchronized List<CompletableFuture<Optional<HttpConnection>>> planAhead(Origin origin, int count) {
        if (closed) {
            return List.of();
        }
        long have = open.stream()
                        .filter(connection -> connection.origin().equals(origin))
                        .count()
                + connecting.getOrDefault(origin, 0);
        List<CompletableFuture<Optional<HttpConnection>>> planned = new ArrayList<>();
        for (long missing = count - have; missing > 0; missing--) {
            CompletableFuture<Optional<HttpConnection>> future = new CompletableFuture<>();
            ahead.computeIfAbsent(origin, key -> new ArrayDeque<>()).addLast(future);
            planned.add(future);
        }
        connecting.merge(origin, planned.size(), Integer::sum);
        return planned;
    }

    /**
     * A connection opened ahead (empty: it could not be opened): to the request that claimed it
     * meanwhile, else idle for the next one. Closed if the pool was closed meanwhile.
     */
    void openedAhead(
            Origin origin, CompletableFuture<Optional<HttpConnection>> future, Optional<HttpConnection> connection) {
        Optional<HttpConnection> handed = Optional.empty();
        synchronized (this) {
            connecting.merge(origin, -1, Integer::sum);
            Deque<CompletableFuture<Optional<HttpConnection>>> waiting = ahead.get(origin);
            // by identity: the future is this opening's own
            boolean claimed = waiting == null || !waiting.removeIf(planned -> planned == future);
            if (connection.isPresent() && closed) {
                connection.get().close();
            } else if (connection.isPresent()) {
                open.add(connection.get());
                if (claimed) {
                    handed = connection;
                } else {
                    release(connection.get());
                }
            }
        }
        future.complete(handed);
    }

    /** A connection being opened ahead to {@code origin} that no request has claimed yet, now the caller's. */
    synchronized Optional<CompletableFuture<Optional<HttpConnection>>> claimAhead(Origin origin) {
        Deque<CompletableFuture<Optional<HttpConnection>>> waiting = ahead.get(origin);
        return Optional.ofNullable(waiting == null ? null : waiting.pollFirst());
    }

    /** A request begins to open a connection of its own to {@code origin}. */
    synchronized void connecting(Origin origin) {
        connecting.merge(origin, 1, Integer::sum);
    }

    /** A request's connection to {@code origin} is open (then {@link #opened}) or could not be opened. */
    synchronized void connected(Origin origin) {
        connecting.merge(origin, -1, Integer::sum);
    }

    /** Takes a newly opened connection into account; refused (and closed) once the pool is closed. */
    synchronized boolean opened(HttpConnection connection) {
        if (closed) {
            connection.close();
            return false;
        }
        open.add(connection);
        return true;
    }

    /** A connection whose exchange completed and that can carry another request. */
    synchronized void release(HttpConnection connection) {
        if (closed) {
            discard(connection);
            return;
        }
        Deque<HttpConnection> waiting = idle.get(connection.origin());
        if (waiting == null) {
            waiting = new ArrayDeque<>();
            idle.put(connection.origin(), waiting);
        }
        waiting.addFirst(connection);
    }

    /** A connection that must not be used again. */
    synchronized void discard(HttpConnection connection) {
        open.remove(connection);
        connection.close();
    }

    @Override
    public void close() {
        List<HttpConnection> toClose;
        List<HttpConnection> toKeep = new ArrayList<>();
        synchronized (this) {
            closed = true;
            if (kept.isPresent()) {
                idle.values().forEach(toKeep::addAll);
                open.removeAll(toKeep);
            }
            toClose = new ArrayList<>(open);
            open.clear();
            idle.clear();
        }
        for (HttpConnection connection : toClose) {
            connection.close();
        }
        for (HttpConnection connection : toKeep) {
            kept.get().keep(trust, connection);
        }
    }
}
