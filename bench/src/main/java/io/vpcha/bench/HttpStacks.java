package io.vpcha.bench;

import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.scenario.Scenario;
import io.vpcha.simulator.wire.TcpProxy;
import io.vpcha.simulator.wire.WireCounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each candidate HTTP client costs a cold JVM, as every OCF action is: {@link HttpStackClient}
 * makes the same three requests over TLS with each, in a fresh JVM with the agent's options, with an
 * application CDS archive trained on that very program (as the installation trains one on the agent)
 * and without. Rounds interleave the clients so that load falls on all alike. Connections are counted
 * by a proxy in front of the simulator.
 */
final class HttpStacks {
    private static final List<String> CLIENTS = List.of(
            "vpc-ha",
            "url-connection",
            "url-connection+java.net.http",
            "java.net.http",
            "java.net.http, selector left running");
    private static final List<String> AGENT_OPTIONS = List.of(
            "-XX:TieredStopAtLevel=1",
            "-Xss512k",
            "-Xmx96m",
            "-XX:-UsePerfData",
            "-Xlog:disable",
            "-Xlog:all=warning:stderr");

    private final Path home;
    private final Path scratch;
    private final int runs;
    private final String java;

    HttpStacks(Path home, Path scratch, int runs, String java) {
        this.home = home;
        this.scratch = scratch;
        this.runs = runs;
        this.java = java != null
                ? java
                : Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    void run() throws IOException {
        Path ca = scratch.resolve("stacks-ca.pem");
        String classPath = home.resolve("lib").resolve("vpc-ha-host.jar") + ":"
                + Path.of(HttpStackClient.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .getPath());
        try (VpcSimulator simulator = VpcSimulator.builder()
                        .scenario(Scenario.threeZone())
                        .https(true)
                        .caCertificateFile(ca)
                        .start();
                TcpProxy proxy = TcpProxy.start(simulator.vpcUrl(), Duration.ZERO)) {
            String base = proxy.url(simulator.vpcUrl()).toString();
            Map<String, Measured> withArchive = new LinkedHashMap<>();
            Map<String, Measured> withoutArchive = new LinkedHashMap<>();
            Map<String, Long> classes = new LinkedHashMap<>();
            Map<String, Long> connections = new LinkedHashMap<>();
            for (String client : CLIENTS) {
                Path archive = archive(client);
                command(client, classPath, base, ca, List.of("-XX:ArchiveClassesAtExit=" + archive));
                Path log = scratch.resolve(archive.getFileName() + ".classes");
                WireCounts before = proxy.counts();
                ProcessRun counted = command(
                        client,
                        classPath,
                        base,
                        ca,
                        List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:class+load:file=" + log));
                connections.put(client, proxy.counts().minus(before).connections());
                try (var lines = Files.lines(log)) {
                    classes.put(client, lines.count());
                }
                if (counted.exitCode() != 0) {
                    throw new IllegalStateException(client + " failed: " + counted.stderr());
                }
                withArchive.put(client, new Measured(client));
                withoutArchive.put(client, new Measured(client));
            }
            for (int round = 0; round < runs; round++) {
                for (String client : CLIENTS) {
                    add(
                            withArchive.get(client),
                            command(
                                    client,
                                    classPath,
                                    base,
                                    ca,
                                    List.of("-XX:SharedArchiveFile=" + archive(client), "-Xshare:auto")));
                    add(withoutArchive.get(client), command(client, classPath, base, ca, List.of()));
                }
            }
            System.out.println("| HTTP client (GET, PATCH, GET over TLS) | connections | median ms, AppCDS | min–max"
                    + " | median ms, no archive | classes loaded | peak RSS MB |");
            System.out.println("|---|---|---|---|---|---|---|");
            for (String client : CLIENTS) {
                Measured with = withArchive.get(client);
                Measured without = withoutArchive.get(client);
                System.out.printf(
                        "| %s | %d | %d | %d–%d | %d | %d | %.0f |%n",
                        client.equals("url-connection") ? "url-connection (GET x3: it cannot PATCH)" : client,
                        connections.get(client),
                        with.medianMillis(),
                        with.min(),
                        with.max(),
                        without.medianMillis(),
                        classes.get(client),
                        with.medianRssMb());
            }
            System.out.printf(
                    "%n%d interleaved rounds; agent JVM options %s; %s%n", runs, String.join(" ", AGENT_OPTIONS), java);
        }
    }

    private Path archive(String client) {
        return scratch.resolve(client.replaceAll("[^a-z.+-]", "_") + ".jsa");
    }

    private ProcessRun command(String client, String classPath, String base, Path ca, List<String> extra) {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(AGENT_OPTIONS);
        command.addAll(extra);
        command.addAll(List.of("-cp", classPath, HttpStackClient.class.getName(), client, base, ca.toString()));
        return ProcessRun.run(command, Map.of(), scratch);
    }

    private static void add(Measured measured, ProcessRun run) {
        measured.millis.add(run.millis());
        measured.rssKb.add(run.rssKb());
        if (run.exitCode() != 0) {
            measured.failures++;
        }
    }
}
