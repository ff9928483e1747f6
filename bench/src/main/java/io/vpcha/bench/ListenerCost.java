package io.vpcha.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * What the load-balancer strategy's health-check listener (socat) costs apart from the agent's
 * actions: its resident size while the resource runs, and its own start.
 */
final class ListenerCost {
    private ListenerCost() {}

    /** The resident size of the listener the strategy started on {@code port}. */
    static String size(int port) throws IOException {
        ProcessHandle listener = ProcessHandle.allProcesses()
                .filter(process -> process.info().command().orElse("").endsWith("/socat"))
                .filter(process -> process.info()
                        .arguments()
                        .map(arguments ->
                                List.of(arguments).stream().anyMatch(a -> a.startsWith("TCP4-LISTEN:" + port + ",")))
                        .orElse(false))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no listener on port " + port));
        String rss = Files.readAllLines(Path.of("/proc", Long.toString(listener.pid()), "status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .findFirst()
                .orElse("VmRSS: ?")
                .replaceAll("\\s+", " ");
        return "load-balancer health listener (socat, while the resource runs): " + rss;
    }

    /** socat alone, as the strategy starts it: from spawn until it accepts a connection, median of {@code runs}. */
    static String start(Path scratch, int runs) throws IOException, InterruptedException {
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            int port;
            try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = free.getLocalPort();
            }
            long began = System.nanoTime();
            Process socat = new ProcessBuilder(
                            "setsid",
                            "socat",
                            "-T",
                            "10",
                            "TCP4-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr,fork",
                            "/dev/null")
                    .directory(scratch.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try {
                long deadline = began + 5_000_000_000L;
                while (true) {
                    try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                        if (probe.isConnected()) {
                            micros.add((System.nanoTime() - began) / 1_000);
                            break;
                        }
                    } catch (IOException notYet) {
                        if (System.nanoTime() > deadline || !socat.isAlive()) {
                            throw new IllegalStateException("socat did not listen on port " + port, notYet);
                        }
                        // polls as a client would, every 0.1 ms (leaving the CPU to socat); the measured interval
                        // ends with the first accepted connect
                        LockSupport.parkNanos(100_000);
                    }
                }
            } finally {
                socat.destroy();
                socat.waitFor();
            }
        }
        return String.format(
                "socat alone, spawn until it accepts: median %.1f ms of %d", Measured.median(micros) / 1000.0, runs);
    }
}
