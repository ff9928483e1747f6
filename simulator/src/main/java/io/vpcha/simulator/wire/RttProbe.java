package io.vpcha.simulator.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Checks the round-trip time a {@link TcpProxy} produces, with TCP connects through it to a one-byte
 * echo service: connecting and getting the first answer must take two RTTs (the TCP handshake, then
 * the exchange), one more exchange on the open connection one RTT.
 *
 * @param connectAndFirstAnswer median time from {@code connect()} to the first echoed byte
 * @param answerOnOpenConnection median time of one more echo on the same connection
 */
public record RttProbe(Duration rtt, Duration connectAndFirstAnswer, Duration answerOnOpenConnection, int samples) {
    /** Measures {@code samples} connections through a proxy adding {@code rtt}, built like those in front of the simulator. */
    public static RttProbe measure(Duration rtt, int samples) {
        if (samples < 1) {
            throw new IllegalArgumentException("samples is less than 1");
        }
        try (ServerSocket echo = new ServerSocket(0, 16, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> serveEcho(echo), "rtt-probe-echo");
            server.setDaemon(true);
            server.start();
            List<Long> first = new ArrayList<>();
            List<Long> again = new ArrayList<>();
            try (TcpProxy proxy =
                    TcpProxy.start(new InetSocketAddress(echo.getInetAddress(), echo.getLocalPort()), rtt)) {
                for (int i = 0; i < samples; i++) {
                    long start = System.nanoTime();
                    try (Socket socket = new Socket()) {
                        socket.setTcpNoDelay(true);
                        socket.setSoTimeout(10_000);
                        socket.connect(proxy.address(), 10_000);
                        OutputStream out = socket.getOutputStream();
                        InputStream in = socket.getInputStream();
                        exchange(out, in);
                        long answered = System.nanoTime();
                        exchange(out, in);
                        first.add(answered - start);
                        again.add(System.nanoTime() - answered);
                    }
                }
            }
            return new RttProbe(rtt, Duration.ofNanos(median(first)), Duration.ofNanos(median(again)), samples);
        } catch (IOException e) {
            throw new UncheckedIOException("the RTT probe failed", e);
        }
    }

    /**
     * Whether the measured times are those of the RTT: within {@code tolerance} (scheduling, the JVM)
     * of two RTTs and one RTT.
     */
    public boolean matches(Duration tolerance) {
        return within(connectAndFirstAnswer, rtt.multipliedBy(2), tolerance)
                && within(answerOnOpenConnection, rtt, tolerance);
    }

    @Override
    public String toString() {
        return String.format(
                "RTT %d ms: connect + first answer %.1f ms (2 RTT expected), answer on an open connection %.1f ms"
                        + " (1 RTT expected), median of %d",
                rtt.toMillis(), connectAndFirstAnswer.toNanos() / 1e6, answerOnOpenConnection.toNanos() / 1e6, samples);
    }

    private static boolean within(Duration measured, Duration expected, Duration tolerance) {
        return measured.minus(expected).abs().compareTo(tolerance) <= 0;
    }

    private static void exchange(OutputStream out, InputStream in) throws IOException {
        out.write('x');
        out.flush();
        if (in.read() != 'x') {
            throw new IOException("the echo service did not answer");
        }
    }

    private static void serveEcho(ServerSocket echo) {
        while (!echo.isClosed()) {
            try {
                Socket socket = echo.accept();
                Thread connection = new Thread(
                        () -> {
                            try (socket) {
                                socket.setTcpNoDelay(true);
                                InputStream in = socket.getInputStream();
                                OutputStream out = socket.getOutputStream();
                                int b;
                                while ((b = in.read()) != -1) {
                                    out.write(b);
                                    out.flush();
                                }
                            } catch (IOException ignored) {
                                // the probe hung up
                            }
                        },
                        "rtt-probe-echo-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
