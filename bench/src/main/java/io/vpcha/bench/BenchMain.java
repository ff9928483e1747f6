package io.vpcha.bench;

import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.fault.FaultRule;
import io.vpcha.simulator.journal.JournalEntry;
import io.vpcha.simulator.scenario.Scenario;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.tools.ToolProvider;

/**
 * Measures each OCF action of each shipped strategy through the installed agent, exactly as Pacemaker
 * runs it (a fresh process, OCF environment, no stdin), against the simulator with TLS on, and the
 * baselines of the same run: a Java hello world, bash + curl making one HTTPS request (the practical
 * floor of any agent), and python3 -c pass.
 */
public final class BenchMain {
    private static final String HA_KEY_NAME = "ha-key";
    /** The host's switch for the plugin index (IndexedPlugins.SWITCH), off for the "before" rows. */
    private static final String INDEX_SWITCH = "VPC_HA_PLUGIN_INDEX";

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        Path home = null;
        int runs = 20;
        long latency = 0;
        String javaOpts = null;
        String java = null;
        boolean failoverOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--home" -> home = Path.of(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--latency-ms" -> latency = Long.parseLong(args[++i]);
                case "--java-opts" -> javaOpts = args[++i];
                case "--java" -> java = args[++i];
                case "--failover-only" -> failoverOnly = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (home == null) {
            throw new IllegalArgumentException("--home INSTALLATION is needed");
        }
        Path scratch = Files.createTempDirectory("vpc-ha-bench");
        List<Measured> results = new ArrayList<>();
        if (!failoverOnly) {
            results.addAll(baselines(scratch, runs));
        }
        results.addAll(strategy(
                failoverOnly,
                home,
                scratch,
                runs,
                latency,
                javaOpts,
                java,
                "three-zone",
                "custom-route",
                Map.of("vip", "10.0.0.100", "manage_local_ip", "false")));
        results.addAll(strategy(
                failoverOnly,
                home,
                scratch,
                runs,
                latency,
                javaOpts,
                java,
                "same-zone",
                "floating-ip",
                Map.of("floating_ip", "vip-fip")));
        results.addAll(strategy(
                home,
                scratch,
                runs,
                latency,
                javaOpts,
                java,
                "three-zone",
                "load-balancer",
                Map.of("mode", "pool-member", "load_balancer", "app-lb", "pool", "app-pool")));
        List<String> notes = new ArrayList<>();
        results.addAll(healthCheckMode(home, scratch, runs, javaOpts, java, notes));

        System.out.println("| what | median ms | min | max | peak RSS MB | VPC requests | IAM requests |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Measured measured : results) {
            System.out.println(measured.row(!measured.vpcRequests.isEmpty()));
        }
        System.out.printf(
                "%n%d runs each; simulator latency %d ms per request; TLS on for VPC and IAM; agent JVM %s%s%n",
                runs,
                latency,
                java == null ? "java on the PATH" : java,
                javaOpts == null ? "" : ", options " + javaOpts);
        notes.forEach(System.out::println);
    }

    /**
     * The load-balancer strategy's health-check mode: no cloud call, so what its actions cost is the JVM
     * and the listener. Start and stop alternate (each start opens the listener, each stop ends it); the
     * listener's own start (socat until it accepts) and resident size are measured apart.
     */
    private static List<Measured> healthCheckMode(
            Path home, Path scratch, int runs, String javaOpts, String java, List<String> notes) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path ca = scratch.resolve("health-check-ca.pem");
        try (VpcSimulator simulator = VpcSimulator.builder()
                .scenario(Scenario.threeZone())
                .https(true)
                .caCertificateFile(ca)
                .perInstanceMetadata(true)
                .start()) {
            Map<String, String> parameters = Map.of(
                    "load_balancer", "app-lb",
                    "pool", "app-pool",
                    "health_port", Integer.toString(port),
                    "health_address", "127.0.0.1");
            Path noKey = scratch.resolve("health-check.key");
            Files.writeString(noKey, "unused-in-health-check-mode");
            Files.setPosixFilePermissions(noKey, PosixFilePermissions.fromString("rw-------"));
            // a state directory of its own: the pool-member rows' node-a recorded a pool member, which a stop undoes
            Path own = Files.createDirectories(scratch.resolve("health-check"));
            Node a = new Node(home, own, simulator, "node-a", "load-balancer", parameters, ca, noKey, javaOpts, java);
            String label = "load-balancer health-check: ";
            Measured probe =
                    measure(label + "probe (not started here)", runs, simulator, () -> a.run("monitor", false));
            List<Measured> startStop = alternate(
                    runs,
                    simulator,
                    label + "start (opens the listener)",
                    () -> a.run("start", false),
                    label + "stop (ends it)",
                    () -> a.run("stop", false));
            a.run("start", false);
            Measured monitor =
                    measure(label + "monitor (10 s interval)", runs, simulator, () -> a.run("monitor", true));
            notes.add(listenerSize(port));
            a.run("stop", false);
            notes.add(listenerStart(scratch, runs));
            return List.of(probe, startStop.get(0), monitor, startStop.get(1));
        }
    }

    /** The resident size of the listener the strategy started on {@code port}. */
    private static String listenerSize(int port) throws IOException {
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
    private static String listenerStart(Path scratch, int runs) throws Exception {
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
                        java.util.concurrent.locks.LockSupport.parkNanos(100_000);
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

    private static List<Measured> strategy(
            boolean failoverOnly,
            Path home,
            Path scratch,
            int runs,
            long latency,
            String javaOpts,
            String java,
            String scenario,
            String strategy,
            Map<String, String> parameters)
            throws IOException {
        Path ca = scratch.resolve(scenario + "-ca.pem");
        try (VpcSimulator simulator = VpcSimulator.builder()
                .scenario(Scenario.builtIn(scenario))
                .https(true)
                .caCertificateFile(ca)
                .perInstanceMetadata(true)
                .start()) {
            if (latency > 0) {
                simulator.faults().add(FaultRule.latency(latency, 0).service("vpc"));
                simulator.faults().add(FaultRule.latency(latency, 0).service("iam"));
            }
            Path keyFile = scratch.resolve(scenario + ".key");
            String key = simulator
                    .state()
                    .read(state -> state.principals.values().stream()
                            .filter(p -> HA_KEY_NAME.equals(p.name))
                            .findFirst()
                            .orElseThrow()
                            .secret);
            Files.writeString(keyFile, key);
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            Node a = new Node(home, scratch, simulator, "node-a", strategy, parameters, ca, keyFile, javaOpts, java);
            Node b = new Node(home, scratch, simulator, "node-b", strategy, parameters, ca, keyFile, javaOpts, java);
            String label = strategy + ": ";
            List<Measured> failovers = coldAndWarmFailovers(label, runs, simulator, a, b, scratch);
            if (failoverOnly) {
                return failovers;
            }
            Measured metaData = measure(label + "meta-data", runs, simulator, () -> a.run("meta-data", false));
            // before and after the plugin index, alternated run by run so that both see the same load
            List<Measured> probes = alternate(
                    runs,
                    simulator,
                    label + "probe, every plugin loaded (no index)",
                    () -> b.run("monitor", false, Map.of(INDEX_SWITCH, "off")),
                    label + "probe (not started here)",
                    () -> b.run("monitor", false));
            a.run("start", false);
            Measured start = measure(label + "start (already here)", runs, simulator, () -> a.run("start", false));
            List<Measured> monitors = alternate(
                    runs,
                    simulator,
                    label + "monitor, every plugin loaded (no index)",
                    () -> a.run("monitor", true, Map.of(INDEX_SWITCH, "off")),
                    label + "monitor (10 s interval)",
                    () -> a.run("monitor", true));
            Measured failover = new Measured(label + "failover (start on the other node)");
            for (int i = 0; i < runs; i++) {
                record(failover, simulator, () -> (failover.millis.size() % 2 == 0 ? b : a).run("start", false));
            }
            Measured stop = measure(label + "stop", runs, simulator, () -> a.run("stop", false));
            List<Measured> all = new ArrayList<>(List.of(
                    metaData, probes.get(0), probes.get(1), start, monitors.get(0), monitors.get(1), failover, stop));
            all.addAll(failovers);
            return all;
        }
    }

    /**
     * A failover to node b as a primitive does it today (a cold start: b has no token and knows no ids)
     * and as a promotable clone does it (the promote of a warm standby: b's readiness monitor ran
     * before), alternated run by run so that both see the same load. Only the start or the promote is
     * measured; the VIP is moved back to node a between runs.
     */
    private static List<Measured> coldAndWarmFailovers(
            String label, int runs, VpcSimulator simulator, Node a, Node b, Path scratch) throws IOException {
        Map<String, String> promotable = Map.of("OCF_RESKEY_CRM_meta_promotable", "true");
        Measured cold = new Measured(label + "failover, cold start (primitive: no token, no ids known)");
        Measured warm = new Measured(label + "failover, promote of a warm standby (promotable)");
        for (int i = 0; i < runs; i++) {
            a.run("start", false);
            forget(scratch, b);
            record(cold, simulator, () -> b.run("start", false));
            b.run("stop", false);

            a.run("start", false);
            forget(scratch, b);
            b.run("start", false, promotable);
            b.run("monitor", true, promotable);
            record(warm, simulator, () -> b.run("promote", false, promotable));
            b.run("demote", false, promotable);
            b.run("stop", false, promotable);
        }
        return List.of(cold, warm);
    }

    /** Removes what a node keeps between actions: its state directories and token cache. */
    private static void forget(Path scratch, Node node) throws IOException {
        Path root = scratch.resolve(node.name());
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Two ways of one action, run in turn, so that a change of the machine's load touches both alike. */
    private static List<Measured> alternate(
            int runs,
            VpcSimulator simulator,
            String firstName,
            Supplier<ProcessRun> first,
            String secondName,
            Supplier<ProcessRun> second) {
        Measured one = new Measured(firstName);
        Measured two = new Measured(secondName);
        for (int i = 0; i < runs; i++) {
            record(one, simulator, first);
            record(two, simulator, second);
        }
        return List.of(one, two);
    }

    private static Measured measure(String name, int runs, VpcSimulator simulator, Supplier<ProcessRun> action) {
        Measured measured = new Measured(name);
        for (int i = 0; i < runs; i++) {
            record(measured, simulator, action);
        }
        return measured;
    }

    private static void record(Measured measured, VpcSimulator simulator, Supplier<ProcessRun> action) {
        long before = simulator.journal().lastSequence();
        ProcessRun run = action.get();
        List<JournalEntry> entries = simulator.journal().entriesAfter(before);
        measured.millis.add(run.millis());
        measured.rssKb.add(run.rssKb());
        measured.vpcRequests.add(
                entries.stream().filter(e -> e.service().equals("vpc")).count());
        measured.iamRequests.add(
                entries.stream().filter(e -> e.service().equals("iam")).count());
        if (run.exitCode() != 0 && run.exitCode() != 7) {
            measured.failures++;
            System.err.println(measured.name + ": exit " + run.exitCode() + ": "
                    + run.stderr().strip());
        }
    }

    /** The floors every action is compared with, measured in the same run. */
    private static List<Measured> baselines(Path scratch, int runs) throws Exception {
        Path classes = Files.createDirectories(scratch.resolve("hello"));
        Path source = classes.resolve("Hello.java");
        Files.writeString(
                source, "public class Hello { public static void main(String[] a) { System.out.println(\"hi\"); } }");
        ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), source.toString());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Measured> baselines = new ArrayList<>();
        baselines.add(measure(
                "baseline: java hello world",
                runs,
                () -> ProcessRun.run(List.of(java, "-cp", classes.toString(), "Hello"), Map.of(), scratch)));
        baselines.add(measure(
                "baseline: python3 -c pass",
                runs,
                () -> ProcessRun.run(List.of("python3", "-c", "pass"), Map.of(), scratch)));
        Path ca = scratch.resolve("curl-ca.pem");
        try (VpcSimulator simulator = VpcSimulator.builder()
                .scenario(Scenario.threeZone())
                .https(true)
                .caCertificateFile(ca)
                .start()) {
            String token = iamToken(simulator, ca);
            String vpcId = simulator
                    .state()
                    .read(state -> state.vpcs.keySet().iterator().next());
            String url = simulator.vpcUrl() + "/vpcs/" + vpcId + "/routing_tables?version=2026-03-24&generation=2";
            Path header = scratch.resolve("curl-header");
            Files.writeString(header, "Authorization: Bearer " + token + "\n");
            Files.setPosixFilePermissions(header, PosixFilePermissions.fromString("rw-------"));
            baselines.add(measure(
                    "baseline: bash + curl, one HTTPS GET",
                    runs,
                    () -> ProcessRun.run(
                            List.of(
                                    "bash",
                                    "-c",
                                    "curl -sf --cacert \"$1\" -H @\"$2\" \"$3\" >/dev/null",
                                    "bash",
                                    ca.toString(),
                                    header.toString(),
                                    url),
                            Map.of(),
                            scratch)));
        }
        return baselines;
    }

    private static Measured measure(String name, int runs, Supplier<ProcessRun> action) {
        Measured measured = new Measured(name);
        for (int i = 0; i < runs; i++) {
            ProcessRun run = action.get();
            measured.millis.add(run.millis());
            measured.rssKb.add(run.rssKb());
            if (run.exitCode() != 0) {
                measured.failures++;
            }
        }
        return measured;
    }

    private static String iamToken(VpcSimulator simulator, Path ca) throws Exception {
        String key = simulator
                .state()
                .read(state -> state.principals.values().stream()
                        .filter(p -> HA_KEY_NAME.equals(p.name))
                        .findFirst()
                        .orElseThrow()
                        .secret);
        var trust = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
        trust.load(null, null);
        try (var in = Files.newInputStream(ca)) {
            trust.setCertificateEntry(
                    "ca",
                    java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        var factory =
                javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        var context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(context).build();
        String form =
                "grant_type=" + URLEncoder.encode("urn:ibm:params:oauth:grant-type:apikey", StandardCharsets.UTF_8)
                        + "&apikey=" + URLEncoder.encode(key, StandardCharsets.UTF_8);
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create(simulator.iamUrl() + "/identity/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return com.google.gson.JsonParser.parseString(response.body())
                .getAsJsonObject()
                .get("access_token")
                .getAsString();
    }

    /** A simulated node running the installed agent, with its own state, token cache and metadata identity. */
    private record Node(
            Path home,
            Path scratch,
            VpcSimulator simulator,
            String name,
            String strategy,
            Map<String, String> parameters,
            Path ca,
            Path keyFile,
            String javaOpts,
            String java) {
        ProcessRun run(String action, boolean recurring) {
            return run(action, recurring, Map.of());
        }

        ProcessRun run(String action, boolean recurring, Map<String, String> extra) {
            Map<String, String> environment = new HashMap<>(extra);
            environment.put("VPC_HA_HOME", home.toString());
            if (javaOpts != null) {
                environment.put("VPC_HA_JAVA_OPTS", javaOpts);
            }
            if (java != null) {
                environment.put("VPC_HA_JAVA", java);
            }
            environment.put("OCF_RESOURCE_INSTANCE", "bench-" + strategy);
            environment.put("OCF_RESKEY_CRM_meta_on_node", name);
            environment.put("OCF_RESKEY_CRM_meta_timeout", "30000");
            if (recurring) {
                environment.put("OCF_RESKEY_CRM_meta_interval", "10000");
            }
            environment.put("HA_RSCTMP", scratch.resolve(name).resolve("run").toString());
            // metrics are written as in production, into the node's own directory, never this machine's
            Path metrics = scratch.resolve(name).resolve("metrics");
            try {
                Files.createDirectories(metrics);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            environment.put("OCF_RESKEY_metrics_dir", metrics.toString());
            environment.put("OCF_RESKEY_strategy", strategy);
            environment.put("OCF_RESKEY_vpc_url", simulator.vpcUrl().toString());
            environment.put("OCF_RESKEY_iam_url", simulator.iamUrl().toString());
            environment.put("OCF_RESKEY_ca_file", ca.toString());
            environment.put("OCF_RESKEY_api_key_file", keyFile.toString());
            environment.put(
                    "OCF_RESKEY_metadata_url", simulator.metadataUrlFor(name).toString());
            environment.put(
                    "OCF_RESKEY_token_cache_dir",
                    scratch.resolve(name).resolve("tokens").toString());
            parameters.forEach((key, value) -> environment.put("OCF_RESKEY_" + key, value));
            return ProcessRun.run(
                    List.of(home.resolve("ocf").resolve("vpc-ha").toString(), action), environment, scratch);
        }
    }
}
