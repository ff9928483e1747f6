package io.vpcha.bench;

import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.process.ParentBound;
import io.vpcha.simulator.process.ParentBound.Signal;
import io.vpcha.simulator.scenario.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The cold path of a monitor, one change at a time, in one run: each variant runs the custom-route
 * monitor (two tables) and the floating-ip monitor through the installed agent, at 0 ms RTT over TLS,
 * rounds interleaved so that the machine's load falls on every variant alike.
 *
 * <p>The system trust store is this JDK's store with the simulator's CA added (as a private CA would
 * be), given to the JVM as {@code javax.net.ssl.trustStore}: the same 145 CAs the agent loads on a
 * real node without {@code ca_file}.
 */
final class ColdPath {
    /** The options bin/vpc-ha gives an action (they must be repeated to add one). */
    private static final String AGENT_OPTIONS =
            "-XX:TieredStopAtLevel=1 -Xss512k -Xmx96m -XX:-UsePerfData -Xlog:disable -Xlog:all=warning:stderr";

    private final Path home;
    private final Path scratch;
    private final int runs;
    private final Optional<String> otherJava;
    /** Other builds to measure beside this one (e.g. before a change), by name: their tarballs. */
    private final Map<String, Path> compared;

    ColdPath(Path home, Path scratch, int runs, Optional<String> otherJava, Map<String, Path> compared) {
        this.home = home;
        this.scratch = scratch;
        this.runs = runs;
        this.otherJava = otherJava;
        this.compared = Collections.unmodifiableMap(new LinkedHashMap<>(compared));
    }

    /** A way of running the agent: its environment on top of the node's, and its cache before each run. */
    private record Variant(String name, Map<String, String> environment, boolean caFile, boolean forgetAnchors) {}

    void run() throws Exception {
        Path work = Files.createDirectories(scratch.resolve("cold-path"));
        try (VpcSimulator routes = simulator("three-zone", work.resolve("routes-ca.pem"));
                VpcSimulator fip = simulator("same-zone", work.resolve("fip-ca.pem"))) {
            Path store = systemStore(work, routes.caCertificate(), fip.caCertificate());
            String systemStore = " -Djavax.net.ssl.trustStore=" + store;
            // this build with its archive and the system store: the production setup, and the base of the variants
            String after = AGENT_OPTIONS + archive(home) + systemStore;
            List<Variant> variants = new ArrayList<>();
            // other builds first (before a change, step by step, in the command line's order), each with its
            // own CDS archive, as "after" runs
            int built = 0;
            for (Map.Entry<String, Path> other : compared.entrySet()) {
                Path otherHome = unpackWithArchive(other.getValue(), scratch.resolve("compared-" + built++));
                variants.add(elsewhere(
                        other.getKey() + " (system store, the CA remembered)",
                        otherHome,
                        Optional.empty(),
                        AGENT_OPTIONS + archive(otherHome) + systemStore));
            }
            variants.add(new Variant("ca_file (one CA): the default of the earlier tables", Map.of(), true, false));
            variants.add(
                    new Variant("system store, loaded whole (before)", Map.of("VPC_HA_JAVA_OPTS", after), false, true));
            variants.add(new Variant(
                    "system store, the CA remembered (after)", Map.of("VPC_HA_JAVA_OPTS", after), false, false));
            variants.add(new Variant(
                    "same, -XX:+UseSerialGC -Xms8m -Xmn2m",
                    Map.of("VPC_HA_JAVA_OPTS", after + " -XX:+UseSerialGC -Xms8m -Xmn2m"),
                    false,
                    false));
            variants.add(new Variant(
                    "same, -Xms8m -Xmn4m (G1)", Map.of("VPC_HA_JAVA_OPTS", after + " -Xms8m -Xmn4m"), false, false));
            variants.add(new Variant(
                    "same, without the CDS archive",
                    Map.of("VPC_HA_JAVA_OPTS", AGENT_OPTIONS + systemStore),
                    false,
                    false));
            if (otherJava.isPresent()) {
                Path otherHome = copyWithArchive(otherJava.get());
                variants.add(elsewhere(
                        "system store, the CA remembered, " + otherJava.get() + " with its own CDS archive",
                        otherHome,
                        otherJava,
                        AGENT_OPTIONS + archive(otherHome) + systemStore));
                Path aot = otherHome.resolve("lib/vpc-ha.aot");
                if (trainAotCache(otherHome, otherJava.get(), aot)) {
                    variants.add(elsewhere(
                            "system store, the CA remembered, " + otherJava.get() + " with an AOT cache (JEP 483)",
                            otherHome,
                            otherJava,
                            AGENT_OPTIONS + " -XX:AOTCache=" + aot + systemStore));
                }
            }
            // the resident accelerator (docs/accelerator.md): the same monitor, asked of a warm JVM by the
            // launcher; ca_file, since the service's trust store is its own JVM's, not the action's
            Path socket = work.resolve("agent.sock");
            variants.add(new Variant(
                    "ca_file, resident accelerator (warm JVM; sh + socat per action)",
                    Map.of("VPC_HA_ACCELERATOR", socket.toString()),
                    true,
                    false));
            Process accelerator = startAccelerator(socket);
            try {
                measure(variants, work, routes, fip, after);
            } finally {
                accelerator.destroy();
            }
        }
    }

    /** {@code vpc-ha agent-serve}, as systemd would start it, once its socket is there. */
    private Process startAccelerator(Path socket) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(ParentBound.command(
                        Signal.KILL, List.of(home.resolve("bin/vpc-ha").toString(), "agent-serve", socket.toString())))
                .redirectErrorStream(true)
                .redirectOutput(scratch.resolve("accelerator.log").toFile());
        builder.environment().put("VPC_HA_HOME", home.toString());
        Process process = builder.start();
        // a bench may wait for a process it started; a missing socket only makes its row cold
        for (int i = 0; i < 300 && !Files.exists(socket) && process.isAlive(); i++) {
            Thread.sleep(100);
        }
        System.out.println("accelerator: " + (Files.exists(socket) ? "listening on " + socket : "did not start"));
        return process;
    }

    private void measure(List<Variant> variants, Path work, VpcSimulator routes, VpcSimulator fip, String after)
            throws Exception {
        Node routeNode = new Node(
                work.resolve("routes"),
                routes,
                "custom-route",
                Map.of("vip", "10.0.0.100", "manage_local_ip", "false"));
        Node fipNode = new Node(work.resolve("fip"), fip, "floating-ip", Map.of("floating_ip", "vip-fip"));
        requireSuccess(routeNode.run("start", Map.of(), true, false));
        requireSuccess(fipNode.run("start", Map.of(), true, false));
        // one monitor each with the system store first, which remembers the CA that verified the endpoint:
        // the class count below is of a monitor in the steady state, as the rows measure it
        requireSuccess(routeNode.run("monitor", Map.of("VPC_HA_JAVA_OPTS", after), false, false));
        requireSuccess(fipNode.run("monitor", Map.of("VPC_HA_JAVA_OPTS", after), false, false));
        System.out.println("classes loaded by one custom-route monitor, system store, CA remembered: "
                + classes(routeNode, after));

        List<Measured> routeMonitors = new ArrayList<>();
        List<Measured> fipMonitors = new ArrayList<>();
        for (Variant variant : variants) {
            routeMonitors.add(new Measured(variant.name()));
            fipMonitors.add(new Measured(variant.name()));
        }
        for (int round = 0; round < runs; round++) {
            for (int i = 0; i < variants.size(); i++) {
                Variant variant = variants.get(i);
                record(routeMonitors.get(i), routeNode.run("monitor", variant));
                record(fipMonitors.get(i), fipNode.run("monitor", variant));
            }
        }
        System.out.println(
                "| variant | custom-route monitor ms | min–max | CPU ms | peak RSS MB | floating-ip monitor ms | min–max | CPU ms | peak RSS MB |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (int i = 0; i < variants.size(); i++) {
            Measured r = routeMonitors.get(i);
            Measured f = fipMonitors.get(i);
            System.out.printf(
                    "| %s | %d | %d–%d | %d | %.1f | %d | %d–%d | %d | %.1f |%s%n",
                    r.name,
                    r.medianMillis(),
                    r.min(),
                    r.max(),
                    r.medianCpuMillis(),
                    r.medianRssMb(),
                    f.medianMillis(),
                    f.min(),
                    f.max(),
                    f.medianCpuMillis(),
                    f.medianRssMb(),
                    r.failures + f.failures > 0 ? " " + (r.failures + f.failures) + " run(s) failed" : "");
        }
    }

    private static void record(Measured measured, ProcessRun run) {
        measured.millis.add(run.millis());
        measured.rssKb.add(run.rssKb());
        if (run.cpuMillis() >= 0) {
            measured.cpuMillis.add(run.cpuMillis());
        }
        if (run.exitCode() != 0) {
            measured.failures++;
            System.err.println(measured.name + ": exit " + run.exitCode() + ": "
                    + run.stderr().strip());
        }
    }

    private static void requireSuccess(ProcessRun run) {
        if (run.exitCode() != 0) {
            throw new IllegalStateException(
                    "exit " + run.exitCode() + ": " + run.stderr().strip());
        }
    }

    /** How many classes one monitor loads, and how many of them come from a class-data-sharing archive. */
    private String classes(Node node, String options) throws IOException {
        Path log = scratch.resolve("class-load.log");
        Files.deleteIfExists(log);
        ProcessRun run = node.run(
                "monitor", Map.of("VPC_HA_JAVA_OPTS", options + " -Xlog:class+load=info:file=" + log), false, false);
        requireSuccess(run);
        List<String> lines = Files.readAllLines(log);
        long shared = lines.stream()
                .filter(line -> line.contains("shared objects file"))
                .count();
        long generated = lines.stream()
                .filter(line -> !line.contains("shared objects file"))
                .filter(line -> line.contains("__") || line.contains("$$Lambda"))
                .count();
        return lines.size() + " (" + shared + " from the CDS archives, " + (lines.size() - shared)
                + " loaded and verified at run time, " + generated + " of those generated at run time)";
    }

    private static VpcSimulator simulator(String scenario, Path ca) {
        return VpcSimulator.builder()
                .scenario(Scenario.builtIn(scenario))
                .https(true)
                .caCertificateFile(ca)
                .perInstanceMetadata(true)
                .start();
    }

    /** This JDK's CAs plus the simulators', as a JKS file like Debian's /etc/ssl/certs/java/cacerts. */
    private static Path systemStore(Path work, Path... cas) throws Exception {
        KeyStore jdk = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib/security/cacerts"))) {
            jdk.load(in, null);
        }
        KeyStore store = KeyStore.getInstance("JKS");
        store.load(null, null);
        for (String alias : Collections.list(jdk.aliases())) {
            store.setCertificateEntry(alias, jdk.getCertificate(alias));
        }
        int index = 0;
        for (Path ca : cas) {
            try (InputStream in = Files.newInputStream(ca)) {
                for (Certificate certificate :
                        CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("simulator-" + index++, certificate);
                }
            }
        }
        Path file = work.resolve("cacerts");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, "changeit".toCharArray());
        }
        System.out.println("system trust store: " + store.size() + " CAs, " + Files.size(file) + " bytes");
        return file;
    }

    /** The options that map the CDS archive of the installation at {@code home}. */
    private static String archive(Path home) {
        return " -XX:SharedArchiveFile=" + home.resolve("lib/vpc-ha.jsa") + " -Xshare:auto";
    }

    /**
     * A variant that runs another installation (another build, or this one with its archive made by another
     * java), given the whole of its options: nothing of this installation's archive applies to it.
     */
    private static Variant elsewhere(String name, Path otherHome, Optional<String> java, String javaOptions) {
        Map<String, String> environment = new LinkedHashMap<>();
        java.ifPresent(path -> environment.put("VPC_HA_JAVA", path));
        environment.put("VPC_HA_HOME", otherHome.toString());
        environment.put("VPC_HA_JAVA_OPTS", javaOptions);
        return new Variant(name, environment, false, false);
    }

    /** Another build's tarball, unpacked into {@code target} with the CDS archive its own vpc-ha-cds makes. */
    private static Path unpackWithArchive(Path tarball, Path target) throws IOException, InterruptedException {
        Path unpacked = unpack(tarball, target);
        ProcessBuilder builder =
                new ProcessBuilder(unpacked.resolve("bin/vpc-ha-cds").toString()).inheritIO();
        builder.environment().put("VPC_HA_HOME", unpacked.toString());
        builder.environment().remove("VPC_HA_JAVA_OPTS");
        if (builder.start().waitFor() != 0) {
            throw new IOException("bin/vpc-ha-cds of " + tarball + " failed");
        }
        return unpacked;
    }

    /** A distribution's tarball unpacked into target: its installation folder. */
    static Path unpack(Path tarball, Path target) throws IOException, InterruptedException {
        Files.createDirectories(target);
        if (new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", target.toString())
                        .inheritIO()
                        .start()
                        .waitFor()
                != 0) {
            throw new IOException("cannot unpack " + tarball);
        }
        Path unpacked;
        try (Stream<Path> entries = Files.list(target)) {
            unpacked = entries.filter(Files::isDirectory)
                    .findFirst()
                    .orElseThrow(() -> new IOException(tarball + " holds no installation folder"));
        }
        return unpacked;
    }

    /** A copy of the installation with a CDS archive that {@code java} made, as bin/vpc-ha-cds makes it. */
    private Path copyWithArchive(String java) throws IOException, InterruptedException {
        Path copy =
                scratch.resolve("home-" + Path.of(java).getParent().getParent().getFileName());
        try (Stream<Path> files = Files.walk(home)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(home.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else if (!file.getFileName().toString().equals("vpc-ha.jsa")) {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        ProcessBuilder builder =
                new ProcessBuilder(copy.resolve("bin/vpc-ha-cds").toString()).inheritIO();
        builder.environment().put("VPC_HA_HOME", copy.toString());
        builder.environment().put("VPC_HA_JAVA", java);
        builder.environment().remove("VPC_HA_JAVA_OPTS");
        if (builder.start().waitFor() != 0) {
            throw new IOException("bin/vpc-ha-cds failed with " + java);
        }
        return copy;
    }

    /**
     * An AOT cache (JDK 24 and later) trained on the same action mix as the CDS archive: bin/vpc-ha-cds
     * with the agent's options plus {@code -XX:AOTCacheOutput}, which replace the archive's own (the
     * script then finds no CDS archive and says so; the AOT cache is what counts). False when this
     * Java cannot make one.
     */
    private static boolean trainAotCache(Path otherHome, String java, Path aot)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(
                        otherHome.resolve("bin/vpc-ha-cds").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("VPC_HA_HOME", otherHome.toString());
        builder.environment().put("VPC_HA_JAVA", java);
        builder.environment().put("VPC_HA_JAVA_OPTS", AGENT_OPTIONS + " -XX:AOTCacheOutput=" + aot);
        builder.start().waitFor();
        boolean made = Files.isRegularFile(aot) && Files.size(aot) > 0;
        System.out.println(
                made
                        ? "AOT cache: " + aot + " (" + Files.size(aot) / 1024 + " kB)"
                        : "no AOT cache from " + java + ": its row is left out");
        return made;
    }

    /** node-a of one simulated cloud, running the installed agent directly against the simulator. */
    private final class Node {
        private final Path work;
        private final Map<String, String> environment = new HashMap<>();
        private final Path anchors;
        private final Path ca;

        Node(Path work, VpcSimulator simulator, String strategy, Map<String, String> parameters) throws IOException {
            this.work = Files.createDirectories(work);
            Path keyFile = SimulatedCloud.keyFile(work, simulator);
            Path tokens = work.resolve("tokens");
            anchors = tokens.resolve("system-trust-anchors.pem");
            ca = simulator.caCertificate();
            environment.put("VPC_HA_HOME", home.toString());
            // cold unless a variant names a socket: never the default one of whatever is installed here
            environment.put("VPC_HA_ACCELERATOR", "");
            environment.put("OCF_RESOURCE_INSTANCE", "cold-" + strategy);
            environment.put("OCF_RESKEY_CRM_meta_on_node", "node-a");
            environment.put("OCF_RESKEY_CRM_meta_timeout", "30000");
            environment.put("OCF_RESKEY_CRM_meta_interval", "10000");
            environment.put("HA_RSCTMP", work.resolve("run").toString());
            environment.put("OCF_RESKEY_strategy", strategy);
            environment.put("OCF_RESKEY_vpc_url", simulator.vpcUrl().toString());
            environment.put("OCF_RESKEY_iam_url", simulator.iamUrl().toString());
            environment.put("OCF_RESKEY_api_key_file", keyFile.toString());
            environment.put(
                    "OCF_RESKEY_metadata_url",
                    simulator.metadataUrlFor("node-a").toString());
            environment.put("OCF_RESKEY_token_cache_dir", tokens.toString());
            parameters.forEach((key, value) -> environment.put("OCF_RESKEY_" + key, value));
        }

        ProcessRun run(String action, Variant variant) throws IOException {
            return run(action, variant.environment(), variant.caFile(), variant.forgetAnchors());
        }

        ProcessRun run(String action, Map<String, String> extra, boolean caFile, boolean forgetAnchors)
                throws IOException {
            Map<String, String> run = new HashMap<>(environment);
            run.putAll(extra);
            if (caFile) {
                run.put("OCF_RESKEY_ca_file", ca.toString());
            }
            if (forgetAnchors) {
                Files.deleteIfExists(anchors);
            }
            Path agent = Path.of(run.get("VPC_HA_HOME")).resolve("ocf").resolve("vpc-ha");
            return ProcessRun.run(List.of(agent.toString(), action), run, work);
        }
    }
}
