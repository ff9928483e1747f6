package io.vpcha.bench;

import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.journal.JournalEntry;
import io.vpcha.simulator.process.ParentBound;
import io.vpcha.simulator.process.ParentBound.Signal;
import io.vpcha.simulator.wire.ProxiedEndpoints;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Warm monitors of the resident accelerator (docs/accelerator.md): custom-route (two tables) and
 * floating-ip at each RTT, against the simulator over TLS behind the RTT proxies, each asked of one
 * or more services ({@code vpc-ha agent-serve}) that differ only in their JVM options, rounds
 * interleaved so that the machine's load falls on all alike. Each service serves every resource, as a
 * node's service serves all of its resources.
 *
 * <p>Two ways of asking: through the launcher exactly as Pacemaker runs it ({@code ocf/vpc-ha monitor}:
 * sh, socat and the service), and straight over the socket from this JVM (the service's own time:
 * what the launcher's processes add is the difference). Before measuring, every service runs
 * {@code warmup} monitors of each resource at 0 ms RTT (its JIT compiles the monitor path; the code is
 * the same at every RTT) and a few at each other RTT (its connections and tokens). Cold monitors of
 * the same resources are the reference. Per service: its resident set after the warm-up and at the
 * end, with the number of actions it ran.
 */
final class AcceleratedBench {
    private static final String MAGIC = "vpc-ha-accelerator/1";
    /** What bin/vpc-ha gives every JVM; VPC_HA_JAVA_OPTS replaces it, so each variant repeats it. */
    private static final String BASE = "-XX:-UsePerfData -Xlog:disable -Xlog:all=warning:stderr";

    /** The services measured unless --service names others: the installed one, and the JVM's defaults. */
    static final Map<String, Optional<String>> DEFAULT_SERVICES = defaultServices();

    private final Path home;
    private final Path scratch;
    private final int runs;
    private final int warmup;
    private final List<Duration> rtts;
    private final Map<String, Optional<String>> services;
    /** Other builds whose launchers ask the same services (e.g. before a change to the launcher), by name. */
    private final Map<String, Path> compared;

    /**
     * @param services the services to start, by name: JVM options, or empty for the launcher's defaults
     * @param compared other builds' tarballs, by name: their launchers are measured against the same services
     */
    AcceleratedBench(
            Path home,
            Path scratch,
            int runs,
            int warmup,
            List<Duration> rtts,
            Map<String, Optional<String>> services,
            Map<String, Path> compared) {
        this.home = home;
        this.scratch = scratch;
        this.runs = runs;
        this.warmup = warmup;
        this.rtts = List.copyOf(rtts);
        this.services = new LinkedHashMap<>(services);
        this.compared = new LinkedHashMap<>(compared);
    }

    void run() throws Exception {
        List<World> worlds = new ArrayList<>();
        List<Service> started = new ArrayList<>();
        // the launchers measured: this build's, then the others' in the command line's order; each as
        // installed, with its installation directory written in its agent, as Pacemaker runs it
        Map<String, Path> launchers = new LinkedHashMap<>();
        launchers.put("launcher", installed(home));
        int unpacked = 0;
        for (Map.Entry<String, Path> other : compared.entrySet()) {
            Path otherHome = ColdPath.unpack(other.getValue(), scratch.resolve("compared-" + unpacked++));
            launchers.put(other.getKey() + "'s launcher", installed(otherHome));
        }
        try {
            for (Duration rtt : rtts) {
                worlds.add(new World(
                        "custom-route", "three-zone", Map.of("vip", "10.0.0.100", "manage_local_ip", "false"), rtt));
                worlds.add(new World("floating-ip", "same-zone", Map.of("floating_ip", "vip-fip"), rtt));
            }
            for (World world : worlds) {
                world.requireSuccess(world.launch(home, "start", Optional.empty()));
            }
            for (Map.Entry<String, Optional<String>> service : services.entrySet()) {
                started.add(new Service(service.getKey(), service.getValue()));
            }
            for (Service service : started) {
                for (World world : worlds) {
                    int count = world.rtt.isZero() ? warmup : Math.min(warmup, 10);
                    for (int i = 0; i < count; i++) {
                        world.requireSuccess(world.ask(service));
                    }
                }
                service.afterWarmup = service.memory();
            }

            Map<String, Measured> measured = new LinkedHashMap<>();
            for (World world : worlds) {
                measured.put(key(world, "cold"), new Measured(world.label() + ", cold JVM"));
                for (Service service : started) {
                    for (String launcher : launchers.keySet()) {
                        measured.put(
                                key(world, service.name + " " + launcher),
                                new Measured(world.label() + ", " + service.name + ": " + launcher + " (sh + socat)"));
                    }
                    measured.put(
                            key(world, service.name + " socket"),
                            new Measured(world.label() + ", " + service.name + ": socket only"));
                }
            }
            // what starting any process costs this benchmark (the JVM's spawn, setpriv, GNU time): part of
            // every launcher row, not of the launcher
            Measured floor = new Measured("a process that does nothing (/bin/true), started as the agent is");
            for (int round = 0; round < runs; round++) {
                long floorStart = System.nanoTime();
                ProcessRun.run(List.of("/bin/true"), Map.of(), scratch);
                floor.micros.add((System.nanoTime() - floorStart) / 1000);
                for (World world : worlds) {
                    world.record(
                            measured.get(key(world, "cold")), () -> world.launch(home, "monitor", Optional.empty()));
                    for (Service service : started) {
                        for (Map.Entry<String, Path> launcher : launchers.entrySet()) {
                            world.record(
                                    measured.get(key(world, service.name + " " + launcher.getKey())),
                                    () -> world.launch(launcher.getValue(), "monitor", Optional.of(service)));
                        }
                        // the stand-in launcher first: its start is no part of the time measured
                        long pid = world.recentLauncher();
                        world.record(measured.get(key(world, service.name + " socket")), () -> world.ask(service, pid));
                    }
                }
            }

            System.out.println(
                    "| monitor | RTT | median ms | min–max | VPC connections per action | IAM connections per action | round trips on the wire | IAM requests |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            for (World world : worlds) {
                for (Measured m : measured.values()) {
                    if (m.name.startsWith(world.label() + ",")) {
                        System.out.printf(
                                "| %s | %d ms | %.1f | %.1f–%.1f | %s | %s | %s | %d |%s%n",
                                m.name.substring(world.label().length() + 2) + " — " + world.strategy,
                                world.rtt.toMillis(),
                                Measured.median(m.micros) / 1000.0,
                                Collections.min(m.micros) / 1000.0,
                                Collections.max(m.micros) / 1000.0,
                                BenchMain.format(Measured.average(m.vpcConnections)),
                                BenchMain.format(Measured.average(m.iamConnections)),
                                BenchMain.format(Measured.average(m.cloudRoundTrips)),
                                m.iamRequests.stream()
                                        .mapToLong(Long::longValue)
                                        .sum(),
                                m.failures > 0 ? " " + m.failures + " failed" : "");
                    }
                }
            }
            System.out.printf(
                    "%n%s: %.1f ms median (%.1f–%.1f), in every launcher and cold row (Pacemaker's own fork and"
                            + " exec of an agent cost about what /bin/true's exec does here)%n",
                    floor.name,
                    Measured.median(floor.micros) / 1000.0,
                    Collections.min(floor.micros) / 1000.0,
                    Collections.max(floor.micros) / 1000.0);
            System.out.println();
            for (Service service : started) {
                Memory end = service.memory();
                System.out.printf(
                        "service %s (%s): %d actions; RSS after the warm-up %.1f MB, at the end %.1f MB (peak %.1f MB)%n",
                        service.name,
                        service.javaOptions.orElse("the launcher's defaults"),
                        service.actions,
                        service.afterWarmup.rssKb() / 1024.0,
                        end.rssKb() / 1024.0,
                        end.peakKb() / 1024.0);
            }
        } finally {
            started.forEach(Service::close);
            worlds.forEach(World::close);
        }
    }

    private static Map<String, Optional<String>> defaultServices() {
        Map<String, Optional<String>> services = new LinkedHashMap<>();
        // bin/vpc-ha's options for agent-serve: Serial, 64 MB heap, C1 only
        services.put("installed", Optional.empty());
        services.put("JVM defaults (G1, C2)", Optional.of(BASE));
        return services;
    }

    private static String key(World world, String what) {
        return world.label() + "|" + what;
    }

    /** Resident and peak resident set of a process, from /proc. */
    private record Memory(long rssKb, long peakKb) {}

    /** One {@code vpc-ha agent-serve}, started as systemd would start it. */
    private final class Service implements AutoCloseable {
        final String name;
        final Optional<String> javaOptions;
        final Path socket;
        final Process process;
        long actions;
        Memory afterWarmup;

        Service(String name, Optional<String> javaOptions) throws IOException, InterruptedException {
            this.name = name;
            this.javaOptions = javaOptions;
            Path directory = Files.createDirectories(scratch.resolve("service-" + actionsSafe(name)));
            this.socket = directory.resolve("agent.sock");
            ProcessBuilder builder = new ProcessBuilder(ParentBound.command(
                            Signal.KILL,
                            List.of(home.resolve("bin/vpc-ha").toString(), "agent-serve", socket.toString())))
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("service.log").toFile());
            builder.environment().put("VPC_HA_HOME", home.toString());
            javaOptions.ifPresent(options -> builder.environment().put("VPC_HA_JAVA_OPTS", options));
            this.process = builder.start();
            // a bench may wait for a process it started
            for (int i = 0; i < 300 && !Files.exists(socket) && process.isAlive(); i++) {
                Thread.sleep(100);
            }
            if (!Files.exists(socket)) {
                throw new IOException("service " + name + " did not start; see " + directory.resolve("service.log"));
            }
        }

        Memory memory() throws IOException {
            long rss = -1;
            long peak = -1;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kilobytes(line);
                } else if (line.startsWith("VmHWM:")) {
                    peak = kilobytes(line);
                }
            }
            return new Memory(rss, peak);
        }

        @Override
        public void close() {
            process.destroy();
        }
    }

    /**
     * The installation with its directory written in its agent, as install.sh writes it (the line
     * {@code vpc_ha_home=}, single-quoted), so that the agent runs as an installed one does.
     */
    static Path installed(Path installation) throws IOException {
        Path agent = installation.resolve("ocf/vpc-ha");
        String quoted = "'" + installation.toString().replace("'", "'\\''") + "'";
        List<String> lines = new ArrayList<>();
        boolean written = false;
        for (String line : Files.readAllLines(agent, StandardCharsets.UTF_8)) {
            if (line.startsWith("vpc_ha_home=")) {
                lines.add("vpc_ha_home=" + quoted);
                written = true;
            } else {
                lines.add(line);
            }
        }
        if (!written) {
            throw new IOException(agent + " has no line vpc_ha_home= to write the directory in");
        }
        Files.write(agent, lines, StandardCharsets.UTF_8);
        return installation;
    }

    private static String actionsSafe(String name) {
        return name.replaceAll("[^A-Za-z0-9-]", "_");
    }

    private static long kilobytes(String statusLine) {
        String[] words = statusLine.trim().split("\\s+", -1);
        return Long.parseLong(words[1]);
    }

    /** One strategy at one RTT: its simulator over TLS behind the RTT proxies, and node-a's resource. */
    private final class World implements AutoCloseable {
        final String strategy;
        final Duration rtt;
        final SimulatedCloud cloud;
        final VpcSimulator simulator;
        final ProxiedEndpoints endpoints;
        final Path work;
        final Map<String, String> environment = new HashMap<>();
        /** Stands for the launcher of a socket-only action: a process started recently, whose start is the action's. */
        private Process launcher;

        private long launcherStart;

        World(String strategy, String scenario, Map<String, String> parameters, Duration rtt) throws IOException {
            this.strategy = strategy;
            this.rtt = rtt;
            this.work =
                    Files.createDirectories(scratch.resolve("accelerated-" + strategy + "-" + rtt.toMillis() + "ms"));
            cloud = new SimulatedCloud(work, scenario, rtt);
            simulator = cloud.simulator;
            endpoints = cloud.endpoints;
            environment.put("VPC_HA_HOME", home.toString());
            environment.put("OCF_RESOURCE_INSTANCE", "warm-" + strategy + "-" + rtt.toMillis());
            environment.put("OCF_RESKEY_CRM_meta_on_node", "node-a");
            environment.put("OCF_RESKEY_CRM_meta_timeout", "30000");
            environment.put("OCF_RESKEY_CRM_meta_interval", "10000");
            environment.put("HA_RSCTMP", work.resolve("run").toString());
            environment.put("OCF_RESKEY_strategy", strategy);
            environment.putAll(cloud.agentEnvironment("node-a"));
            environment.put("OCF_RESKEY_token_cache_dir", work.resolve("tokens").toString());
            environment.put("OCF_RESKEY_metrics_dir", "");
            parameters.forEach((key, value) -> environment.put("OCF_RESKEY_" + key, value));
        }

        String label() {
            return strategy + " @" + rtt.toMillis();
        }

        /**
         * The agent of this build's installation as Pacemaker runs it (no VPC_HA_HOME: the agent names its
         * installation): through the given service's socket, or cold (never the default socket of
         * whatever is installed on this machine). Another build's launcher runs as this installation's
         * (its bin/vpc-ha with VPC_HA_HOME this one): a service answers only its own installation's
         * launchers, and run as its own it would be refused and measure the cold path.
         */
        ProcessRun launch(Path installation, String action, Optional<Service> service) {
            Map<String, String> run = new HashMap<>(environment);
            run.remove("VPC_HA_HOME");
            service.ifPresentOrElse(
                    s -> {
                        run.put("VPC_HA_ACCELERATOR", s.socket.toString());
                        s.actions++;
                    },
                    () -> run.put("VPC_HA_ACCELERATOR", ""));
            if (installation.equals(home)) {
                return ProcessRun.run(List.of(installation.resolve("ocf/vpc-ha").toString(), action), run, work);
            }
            run.put("VPC_HA_HOME", home.toString());
            return ProcessRun.run(List.of(installation.resolve("bin/vpc-ha").toString(), "ocf", action), run, work);
        }

        /** A monitor asked straight over the service's socket, timed from the request to the last line. */
        ProcessRun ask(Service service) {
            try {
                return ask(service, recentLauncher());
            } catch (IOException e) {
                return new ProcessRun(255, -1, -1, e.toString());
            }
        }

        /** A monitor asked straight over the service's socket for the given launcher's pid. */
        ProcessRun ask(Service service, long pid) {
            try {
                Map<String, String> request = new HashMap<>(environment);
                request.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
                StringBuilder text = new StringBuilder(MAGIC)
                        .append('\0')
                        .append(pid)
                        .append('\0')
                        .append("monitor")
                        .append('\0');
                request.forEach((name, value) ->
                        text.append(name).append('=').append(value).append('\0'));
                long start = System.nanoTime();
                String last = "";
                StringBuilder err = new StringBuilder();
                try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    channel.connect(UnixDomainSocketAddress.of(service.socket));
                    channel.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
                    channel.shutdownOutput();
                    BufferedReader reader = new BufferedReader(
                            new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        if (line.startsWith("2 ")) {
                            err.append(line.substring(2)).append('\n');
                        }
                        last = line;
                    }
                }
                long millis = (System.nanoTime() - start) / 1_000_000;
                service.actions++;
                int code = last.startsWith("end ") ? Integer.parseInt(last.substring(4)) : 255;
                if (code == 255) {
                    err.append("no end line: ").append(last);
                }
                return new ProcessRun(code, millis, -1, err.toString());
            } catch (IOException e) {
                return new ProcessRun(255, -1, -1, e.toString());
            }
        }

        /** The pid of a process started less than 5 s ago (the action's deadline counts from its start). */
        long recentLauncher() throws IOException {
            if (launcher == null
                    || System.nanoTime() - launcherStart > Duration.ofSeconds(5).toNanos()) {
                if (launcher != null) {
                    launcher.destroy();
                }
                launcher = new ProcessBuilder(ParentBound.command(Signal.KILL, List.of("sleep", "60"))).start();
                launcherStart = System.nanoTime();
            }
            return launcher.pid();
        }

        void record(Measured measured, Supplier<ProcessRun> action) {
            long before = simulator.journal().lastSequence();
            ProxiedEndpoints.Counts wireBefore = endpoints.counts();
            long started = System.nanoTime();
            ProcessRun run = action.get();
            measured.micros.add((System.nanoTime() - started) / 1000);
            ProxiedEndpoints.Counts wire = endpoints.counts().minus(wireBefore);
            List<JournalEntry> entries = simulator.journal().entriesAfter(before);
            measured.millis.add(run.millis());
            measured.rssKb.add(run.rssKb());
            measured.vpcRequests.add(
                    entries.stream().filter(e -> e.service().equals("vpc")).count());
            measured.iamRequests.add(
                    entries.stream().filter(e -> e.service().equals("iam")).count());
            measured.vpcConnections.add(wire.vpc().connections());
            measured.iamConnections.add(wire.iam().connections());
            measured.cloudRoundTrips.add(wire.vpc().plus(wire.iam()).roundTrips());
            if (run.exitCode() != 0) {
                measured.failures++;
                System.err.println(measured.name + ": exit " + run.exitCode() + ": "
                        + run.stderr().strip());
            }
        }

        void requireSuccess(ProcessRun run) {
            if (run.exitCode() != 0) {
                throw new IllegalStateException(label() + ": exit " + run.exitCode() + ": "
                        + run.stderr().strip());
            }
        }

        @Override
        public void close() {
            if (launcher != null) {
                launcher.destroy();
            }
            cloud.close();
        }
    }
}
