package io.vpcha.host.cloud.http;

import java.io.Closeable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The connections of one action. An idle connection waits here for the next request to its origin,
 * so requests made one after the other share one connection, and requests made at the same time use
 * as many as run at once. Closing the pool closes every connection it handed out, idle or not.
 */
final class ConnectionPool implements Closeable {
    private final Map<Origin, Deque<HttpConnection>> idle = new HashMap<>();
    private final Set<HttpConnection> open = new HashSet<>();
    private boolean closed;

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
        synchronized (this) {
            closed = true;
            toClose = new ArrayList<>(open);
            open.clear();
            idle.clear();
        }
        for (HttpConnection connection : toClose) {
            connection.close();
        }
    }
}
