package io.vpcha.simulator.wire;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback in front of one of the simulator's listeners (or any TCP service) that
 * counts what clients cost on the wire (connections, request/answer turns, bytes) and can make the
 * path as slow as a real network: a round-trip time (RTT) charged at the transport level, so that
 * TCP and TLS handshakes pay it as they would against IBM Cloud's endpoints. The kernel here has no
 * {@code sch_netem}, so {@code tc netem} cannot do this.
 *
 * <p>How the RTT is charged: every byte is held for RTT/2 in each direction, and a new connection's
 * first bytes for one more RTT, counted from when the client sent them. The client's {@code
 * connect()} itself returns at once (the kernel completes the handshake with the listening socket),
 * but every protocol here speaks first from the client (HTTP, TLS), and what a client computes
 * between {@code connect()} and its first bytes (a TLS key share) would come after the handshake's
 * round trip on a real network: so its first answer arrives as over a real network, one RTT for the
 * TCP handshake plus one for the exchange after those first bytes. {@link RttProbe} checks that.
 *
 * <p>What it counts: {@link WireCounts#connections()} accepted, and {@link WireCounts#turns()}: each
 * time the server answers after the client spoke on a connection (a request and its answer, a TLS
 * handshake flight and its answer). Round trips on the wire are connections plus turns.
 *
 * <pre>{@code
 * try (TcpProxy vpc = TcpProxy.start(simulator.vpcUrl(), Duration.ofMillis(40))) {
 *     URI slowVpc = vpc.url(simulator.vpcUrl());          // same URL, through the proxy
 *     WireCounts before = vpc.counts();
 *     ... run an action against slowVpc ...
 *     WireCounts cost = vpc.counts().minus(before);
 * }
 * }</pre>
 */
public final class TcpProxy implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;

    private final InetSocketAddress target;
    private final long rttNanos;
    private final ServerSocket listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong turns = new AtomicLong();
    private final AtomicLong bytesToServer = new AtomicLong();
    private final AtomicLong bytesToClient = new AtomicLong();
    private final AtomicInteger threadCount = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    private TcpProxy(InetAddress bind, InetSocketAddress target, Duration rtt) throws IOException {
        this.target = requireNonNull(target, "target is null");
        requireNonNull(rtt, "rtt is null");
        if (rtt.isNegative()) {
            throw new IllegalArgumentException("rtt is negative");
        }
        this.rttNanos = rtt.toNanos();
        this.listener = new ServerSocket(0, 256, requireNonNull(bind, "bind is null"));
        thread("accept", this::acceptLoop).start();
    }

    /** A proxy on a free loopback port forwarding to {@code target}, adding {@code rtt} (zero: counting only). */
    public static TcpProxy start(InetSocketAddress target, Duration rtt) {
        return start(InetAddress.getLoopbackAddress(), target, rtt);
    }

    /** A proxy listening on a free port of {@code bind} (e.g. 127.0.0.2, a name a certificate does not cover). */
    public static TcpProxy start(InetAddress bind, InetSocketAddress target, Duration rtt) {
        try {
            return new TcpProxy(bind, target, rtt);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the proxy", e);
        }
    }

    /** A proxy in front of the host and port of {@code url} (the scheme's default port if none). */
    public static TcpProxy start(URI url, Duration rtt) {
        int port = url.getPort() != -1 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        return start(new InetSocketAddress(url.getHost(), port), rtt);
    }

    /** {@code url} with the proxy's address in place of its host and port: the same service, through the proxy. */
    public URI url(URI url) {
        try {
            return new URI(
                    url.getScheme(),
                    url.getUserInfo(),
                    listener.getInetAddress().getHostAddress(),
                    listener.getLocalPort(),
                    url.getPath(),
                    url.getQuery(),
                    url.getFragment());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    public Duration rtt() {
        return Duration.ofNanos(rttNanos);
    }

    /** What went through so far; subtract an earlier snapshot to get what one action cost. */
    public WireCounts counts() {
        return new WireCounts(connections.get(), turns.get(), bytesToServer.get(), bytesToClient.get());
    }

    /**
     * Cuts every open connection and goes on listening: as a server whose idle timeout passed, or a
     * middlebox that dropped them, would leave a client's kept-alive connections.
     */
    public void cutConnections() {
        sockets.forEach(TcpProxy::closeQuietly);
    }

    /** Stops listening and cuts every connection. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(listener);
        sockets.forEach(TcpProxy::closeQuietly);
    }

    private void acceptLoop() {
        while (!closed.get()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            long acceptedNanos = System.nanoTime();
            connections.incrementAndGet();
            thread("connect", () -> link(client, acceptedNanos)).start();
        }
    }

    /** Connects to the target and starts the two directions of one client's connection. */
    private void link(Socket client, long acceptedNanos) {
        sockets.add(client);
        Socket server = new Socket();
        sockets.add(server);
        try {
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            server.connect(target, 10_000);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(server);
            sockets.remove(client);
            sockets.remove(server);
            return;
        }
        Conversation conversation = new Conversation(client, server);
        start(new Direction(conversation, client, server, true, acceptedNanos));
        start(new Direction(conversation, server, client, false, acceptedNanos));
    }

    private void start(Direction direction) {
        if (rttNanos == 0) {
            thread("pipe", direction::copyDirectly).start();
            return;
        }
        thread("read", direction::readIntoQueue).start();
        thread("deliver", direction::deliverFromQueue).start();
    }

    private Thread thread(String role, Runnable body) {
        Thread thread = new Thread(
                body, "tcp-proxy-" + listener.getLocalPort() + "-" + role + "-" + threadCount.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing is all that was wanted
        }
    }

    /** One client's connection: both sockets, and whether the client spoke since the server last answered. */
    private final class Conversation {
        final Socket client;
        final Socket server;
        final AtomicBoolean clientSpoke = new AtomicBoolean();
        final AtomicInteger directionsDone = new AtomicInteger();

        Conversation(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        /** Called before the bytes are written, so that an answer cannot overtake the note that the client spoke. */
        void delivering(boolean toServer, int bytes) {
            if (toServer) {
                bytesToServer.addAndGet(bytes);
                clientSpoke.set(true);
            } else {
                bytesToClient.addAndGet(bytes);
                if (clientSpoke.compareAndSet(true, false)) {
                    turns.incrementAndGet();
                }
            }
        }

        /** One direction ended cleanly: pass the end on; close both sockets once both directions ended. */
        void ended(Socket to) {
            try {
                to.shutdownOutput();
            } catch (IOException ignored) {
                // the other side is gone already
            }
            if (directionsDone.incrementAndGet() == 2) {
                abort();
            }
        }

        void abort() {
            closeQuietly(client);
            closeQuietly(server);
            sockets.remove(client);
            sockets.remove(server);
        }
    }

    /**
     * Bytes read at a time, due for delivery at a time: {@code bytes} empty marks the end of the
     * stream, null a connection reset.
     */
    private static final class Chunk {
        final byte[] bytes;
        final long dueNanos;

        Chunk(byte[] bytes, long dueNanos) {
            this.bytes = bytes;
            this.dueNanos = dueNanos;
        }
    }

    /** One direction of a conversation: reads from one socket, delivers to the other, late by RTT/2. */
    private final class Direction {
        private final Conversation conversation;
        private final Socket from;
        private final Socket to;
        private final boolean toServer;
        private final long acceptedNanos;
        /** No byte goes before this: for the client's bytes, one RTT after its first (the TCP handshake). */
        private long notBeforeNanos = -1;
        /** Whether the client's first bytes were there before this direction started reading (when is unknown). */
        private boolean firstBytesWaited;

        private final BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();

        Direction(Conversation conversation, Socket from, Socket to, boolean toServer, long acceptedNanos) {
            this.conversation = conversation;
            this.acceptedNanos = acceptedNanos;
            this.from = from;
            this.to = to;
            this.toServer = toServer;
        }

        void copyDirectly() {
            byte[] buffer = new byte[CHUNK];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int count;
                while ((count = in.read(buffer)) != -1) {
                    conversation.delivering(toServer, count);
                    out.write(buffer, 0, count);
                    out.flush();
                }
                conversation.ended(to);
            } catch (IOException e) {
                conversation.abort();
            }
        }

        void readIntoQueue() {
            byte[] buffer = new byte[CHUNK];
            try {
                InputStream in = from.getInputStream();
                firstBytesWaited = in.available() > 0;
                int count;
                while ((count = in.read(buffer)) != -1) {
                    queue.add(new Chunk(Arrays.copyOf(buffer, count), due(System.nanoTime())));
                }
                queue.add(new Chunk(new byte[0], due(System.nanoTime())));
            } catch (IOException e) {
                // a reset reaches the other side after the delay too
                queue.add(new Chunk(null, due(System.nanoTime())));
            }
        }

        void deliverFromQueue() {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk chunk = queue.take();
                    long wait;
                    while ((wait = chunk.dueNanos - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    if (chunk.bytes == null) {
                        conversation.abort();
                        return;
                    }
                    if (chunk.bytes.length == 0) {
                        conversation.ended(to);
                        return;
                    }
                    conversation.delivering(toServer, chunk.bytes.length);
                    out.write(chunk.bytes);
                    out.flush();
                }
            } catch (IOException e) {
                conversation.abort();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                conversation.abort();
            }
        }

        private long due(long readNanos) {
            if (notBeforeNanos == -1) {
                // when the client sent its first bytes: when they were read, unless they were waiting
                // already (sent right after connect(), before this thread ran), then at the accept
                long sentNanos = firstBytesWaited ? acceptedNanos : readNanos;
                notBeforeNanos = toServer ? sentNanos + rttNanos : 0;
            }
            return Math.max(readNanos, notBeforeNanos) + rttNanos / 2;
        }
    }
}
