package io.vpcha.host.cloud.http;

import static java.util.Objects.requireNonNull;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * One open connection to an origin, TCP or TLS over TCP, carrying one request at a time. Every read
 * waits only until the exchange's deadline, however slowly the answer trickles in.
 */
final class HttpConnection implements Closeable {
    /**
     * How long an idle connection is reused when the server does not say (Keep-Alive: timeout): the
     * JDK's HttpURLConnection default, shorter than common server idle timeouts.
     */
    static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(5);

    private final Origin origin;
    private final Socket tcp;
    private final DeadlineInput input;
    private final InputStream in;
    private final OutputStream out;
    private int exchanges;
    private long idleSinceNanos;
    private Duration keepAlive = DEFAULT_KEEP_ALIVE;
    /** What the server said it keeps an idle connection open for (Keep-Alive: timeout), if it did. */
    private Duration announcedKeepAlive;

    private long answerBytesAtStart;

    /**
     * @param tcp the TCP socket
     * @param socket {@code tcp}, or the TLS socket over it (handshake done)
     */
    HttpConnection(Origin origin, Socket tcp, Socket socket) throws IOException {
        this.origin = requireNonNull(origin, "origin is null");
        this.tcp = requireNonNull(tcp, "tcp is null");
        this.input = new DeadlineInput(socket);
        this.in = new BufferedInputStream(input, 16 * 1024);
        this.out = socket.getOutputStream();
        // idle since it was opened: one opened ahead of its request waits in the pool before its first exchange
        this.idleSinceNanos = System.nanoTime();
    }

    Origin origin() {
        return origin;
    }

    /** Sends {@code call} and reads its answer, all before {@code deadlineNanos} ({@link System#nanoTime()}). */
    Http1Codec.Answer exchange(HttpCall call, long deadlineNanos, String userAgent) throws IOException {
        input.deadlineNanos = deadlineNanos;
        answerBytesAtStart = input.bytes;
        input.arm();
        Http1Codec.writeRequest(out, call, origin, userAgent);
        Http1Codec.Answer answer = Http1Codec.readAnswer(in, call.method());
        exchanges++;
        if (answer.keepAlive().isPresent()) {
            announcedKeepAlive = answer.keepAlive().get();
            if (announcedKeepAlive.compareTo(DEFAULT_KEEP_ALIVE) < 0) {
                keepAlive = announcedKeepAlive;
            }
        }
        idleSinceNanos = System.nanoTime();
        return answer;
    }

    /** Whether this connection carried an earlier exchange (and so may have been closed by the server since). */
    boolean reused() {
        return exchanges > 0;
    }

    /** Whether any byte of an answer arrived in the current (or last) exchange. */
    boolean answerStarted() {
        return input.bytes > answerBytesAtStart;
    }

    /** Whether it has been idle too long to be trusted with another request. */
    boolean expired(long nowNanos) {
        return nowNanos - idleSinceNanos >= keepAlive.toNanos();
    }

    /**
     * Whether it has been idle for {@code bound}, or for what the server said it keeps idle connections
     * (a connection kept across actions: {@link KeptConnections}).
     */
    boolean idleFor(Duration bound, long nowNanos) {
        Duration limit =
                announcedKeepAlive != null && announcedKeepAlive.compareTo(bound) < 0 ? announcedKeepAlive : bound;
        return nowNanos - idleSinceNanos >= limit.toNanos();
    }

    /**
     * Closes the TCP socket under any TLS: no close_notify exchange, which would only cost time (every
     * answer read was complete by its framing).
     */
    @Override
    public void close() {
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing is all that was wanted
        }
    }

    @Override
    public String toString() {
        return "connection to " + origin;
    }

    /** The whole milliseconds left until {@code deadlineNanos}, at least 1 (0 would mean wait forever). */
    static int millisLeft(long deadlineNanos, String timeoutMessage) throws SocketTimeoutException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException(timeoutMessage);
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (left + 999_999) / 1_000_000));
    }

    /** The socket's input, each read bounded by what is left until the deadline; counts the bytes read. */
    private static final class DeadlineInput extends InputStream {
        private final Socket socket;
        private final InputStream raw;
        private long deadlineNanos;
        private long bytes;

        DeadlineInput(Socket socket) throws IOException {
            this.socket = socket;
            this.raw = socket.getInputStream();
        }

        void arm() throws IOException {
            socket.setSoTimeout(millisLeft(deadlineNanos, "no answer within the request timeout"));
        }

        @Override
        public int read() throws IOException {
            arm();
            int b = raw.read();
            if (b >= 0) {
                bytes++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            arm();
            int count = raw.read(buffer, offset, length);
            if (count > 0) {
                bytes += count;
            }
            return count;
        }
    }
}
