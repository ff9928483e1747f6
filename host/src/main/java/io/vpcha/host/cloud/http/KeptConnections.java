package io.vpcha.host.cloud.http;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Connections kept across the actions of a long-lived JVM (the resident accelerator): when an action
 * ends, the connections it left idle wait here, per origin and trust, for the next action's requests.
 * A cold action never has one: its connections end with it.
 *
 * <p>Why it is safe:
 *
 * <ul>
 *   <li>A connection waits at most {@link #DEFAULT_IDLE_BOUND} (or what the server announced, if less),
 *       well below the idle timeouts of HTTP servers and load balancers (60 s and more), so the server
 *       rarely closes one first; a sweep closes the expired ones, so none lingers half-closed.
 *   <li>Only idempotent requests (GET, HEAD, PUT, DELETE, OPTIONS: RFC 9110 9.2.2) are sent on a kept
 *       connection; one that fails before any byte of its answer arrives is sent once more on a new
 *       connection ({@link SocketTransport}), and the other connections kept for that origin are closed
 *       (what closed one likely closed them all). A POST or PATCH never rides a connection that waited
 *       between actions: whether the server took it before the connection broke cannot be known.
 *   <li>Connections are kept per trust ({@code ca_file}, by path, size and modification time): a
 *       connection whose server certificate was checked against one resource's trust is never handed to
 *       a resource that trusts something else, nor after the file changed.
 *   <li>Each request still waits only until its own action's deadline: a kept connection's timeouts are
 *       set anew by every exchange.
 * </ul>
 */
public final class KeptConnections implements Closeable {
    /** How long an idle connection is kept: a monitor every 10 to 30 s finds it open. */
    public static final Duration DEFAULT_IDLE_BOUND = Duration.ofSeconds(30);

    private final Duration idleBound;
    private final LongSupplier nanoTime;
    private final Map<Key, Deque<HttpConnection>> idle = new HashMap<>();
    private final ScheduledExecutorService sweeper;
    private final ScheduledFuture<?> sweeping;
    private final AtomicLong reused = new AtomicLong();
    private boolean closed;

    /** Where kept connections go: an origin, as checked against one trust. */
    private record Key(Origin origin, String trust) {}

    public KeptConnections() {
        this(DEFAULT_IDLE_BOUND);
    }

    public KeptConnections(Duration idleBound) {
        this(idleBound, System::nanoTime);
    }

    /** @param nanoTime the clock of idle times, {@link System#nanoTime()} but in tests */
    KeptConnections(Duration idleBound, LongSupplier nanoTime) {
        this.idleBound = requireNonNull(idleBound, "idleBound is null");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        if (idleBound.isNegative() || idleBound.isZero()) {
            throw new IllegalArgumentException("idleBound is not positive");
        }
        this.sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "vpc-ha-kept-connections");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(1, idleBound.toMillis() / 4);
        this.sweeping = sweeper.scheduleWithFixedDelay(this::closeExpired, period, period, TimeUnit.MILLISECONDS);
    }

    /** The most recently used connection kept for {@code origin} under {@code trust}, unless expired. */
    synchronized Optional<HttpConnection> take(Origin origin, String trust) {
        Deque<HttpConnection> waiting = idle.get(new Key(origin, trust));
        long now = nanoTime.getAsLong();
        while (waiting != null && !waiting.isEmpty()) {
            HttpConnection connection = waiting.pollFirst();
            if (!connection.idleFor(idleBound, now)) {
                reused.incrementAndGet();
                return Optional.of(connection);
            }
            connection.close();
        }
        return Optional.empty();
    }

    /** Keeps an idle connection that {@code trust} checked; closes it if expired or if this is closed. */
    synchronized void keep(String trust, HttpConnection connection) {
        if (closed || connection.idleFor(idleBound, nanoTime.getAsLong())) {
            connection.close();
            return;
        }
        idle.computeIfAbsent(new Key(connection.origin(), trust), key -> new ArrayDeque<>())
                .addFirst(connection);
    }

    /** Closes every connection kept for {@code origin} under {@code trust}: one of them just failed. */
    void forget(Origin origin, String trust) {
        List<HttpConnection> toClose;
        synchronized (this) {
            Deque<HttpConnection> waiting = idle.remove(new Key(origin, trust));
            toClose = waiting == null ? List.of() : new ArrayList<>(waiting);
        }
        toClose.forEach(HttpConnection::close);
    }

    /** How many connections wait here now. */
    public synchronized int idleCount() {
        return idle.values().stream().mapToInt(Deque::size).sum();
    }

    /** How many requests went out on a kept connection so far. */
    public long reusedCount() {
        return reused.get();
    }

    /** Closes the connections idle for longer than the bound. */
    void closeExpired() {
        List<HttpConnection> toClose = new ArrayList<>();
        synchronized (this) {
            long now = nanoTime.getAsLong();
            for (Iterator<Deque<HttpConnection>> queues = idle.values().iterator(); queues.hasNext(); ) {
                Deque<HttpConnection> waiting = queues.next();
                waiting.removeIf(connection -> connection.idleFor(idleBound, now) && toClose.add(connection));
                if (waiting.isEmpty()) {
                    queues.remove();
                }
            }
        }
        toClose.forEach(HttpConnection::close);
    }

    /** Closes every kept connection; later ones are closed as they come. */
    @Override
    public void close() {
        List<HttpConnection> toClose = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.values().forEach(toClose::addAll);
            idle.clear();
        }
        sweeping.cancel(false);
        sweeper.shutdownNow();
        toClose.forEach(HttpConnection::close);
    }
}
