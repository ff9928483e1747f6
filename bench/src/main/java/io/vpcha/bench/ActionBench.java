package io.vpcha.bench;

import io.vpcha.host.ComparisonSwitch;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.journal.JournalEntry;
import io.vpcha.simulator.wire.ProxiedEndpoints;
import io.vpcha.simulator.wire.WireCounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Every OCF action of one strategy through the installed agent, exactly as Pacemaker runs it (a fresh
 * process, OCF environment, no stdin), against the simulator over TLS, reached through proxies that
 * add a round-trip time to the VPC API and IAM and count each endpoint's connections.
 */
final class ActionBench {
    static final String HA_KEY_NAME = "ha-key";
    /** The host's switch for the plugin index, off for the "before" rows. */
    private static final String INDEX_SWITCH = ComparisonSwitch.PLUGIN_INDEX.variable();
    /** The host's switch for connections opened ahead, off for a "before" row. */
    private static final String CONNECT_AHEAD_SWITCH = ComparisonSwitch.CONNECT_AHEAD.variable();
    /**
     * custom-route's switch for writes in place, off for a "before" row (the toolkit's ComparisonSwitch, which
     * this module does not see: the plugins bundle the toolkit).
     */
    private static final String IN_PLACE_SWITCH = "VPC_HA_ROUTES_IN_PLACE";
    /** floating-ip's switch for the bind with no read first (the toolkit's ComparisonSwitch), off for a "before" row. */
    private static final String FLOATING_IP_DIRECT_SWITCH = "VPC_HA_FLOATING_IP_DIRECT";
    /** custom-route on the three-zone layout's egress table only: a promotion that moves no ingress route. */
    private static final Map<String, String> EGRESS_ONLY = Map.of("OCF_RESKEY_routing_tables", "vip-egress");

    private final Path home;
    private final Path scratch;
    private final int runs;
    private final String javaOpts;
    private final String java;

    ActionBench(Path home, Path scratch, int runs, String javaOpts, String java) {
        this.home = home;
        this.scratch = scratch;
        this.runs = runs;
        this.javaOpts = javaOpts;
        this.java = java;
    }

    /**
     * The measurements of each action at each RTT (outer list: RTTs, in order; inner: actions, always
     * meta-data, probe without and with the plugin index, start, monitor without and with the plugin
     * index, validate-all, failover, stop). Each RTT has a simulator of its own, and every round runs
     * the action once at each RTT, so that the machine's changing load falls on all RTTs alike.
     */
    List<List<Measured>> run(String scenario, String strategy, Map<String, String> parameters, List<Duration> rtts)
            throws IOException {
        return run(scenario, strategy, parameters, List.of("node-a", "node-b"), simulator -> {}, rtts);
    }

    /**
     * {@link #run(String, String, Map, List)} on other nodes of the scenario.
     *
     * @param nodes the scenario's two instances: the first starts the resource, the second takes it over
     * @param setUp changes to each simulator's behaviour for this strategy
     */
    List<List<Measured>> run(
            String scenario,
            String strategy,
            Map<String, String> parameters,
            List<String> nodes,
            Consumer<VpcSimulator> setUp,
            List<Duration> rtts)
            throws IOException {
        List<World> worlds = new ArrayList<>();
        try {
            for (Duration rtt : rtts) {
                World world = new World(strategy, scenario, strategy, parameters, rtt, nodes);
                worlds.add(world);
                setUp.accept(world.simulator);
            }
            List<List<Measured>> results = new ArrayList<>();
            worlds.forEach(world -> results.add(new ArrayList<>()));
            add(results, measure(worlds, "meta-data", world -> world.a.run("meta-data", false)));
            // before and after the plugin index, in turn in every round so that both see the same load
            addEach(
                    results,
                    inTurn(
                            worlds,
                            "probe, every plugin loaded (no index)",
                            world -> world.b.run("monitor", false, Map.of(INDEX_SWITCH, "off")),
                            "probe (not started here)",
                            world -> world.b.run("monitor", false)));
            worlds.forEach(world -> world.a.run("start", false));
            add(results, measure(worlds, "start (already here)", world -> world.a.run("start", false)));
            addEach(
                    results,
                    inTurn(
                            worlds,
                            "monitor, every plugin loaded (no index)",
                            world -> world.a.run("monitor", true, Map.of(INDEX_SWITCH, "off")),
                            "monitor (10 s interval)",
                            world -> world.a.run("monitor", true)));
            add(
                    results,
                    measure(worlds, "validate-all (OCF_CHECK_LEVEL=10)", world -> world.a.run("validate-all", false)));
            // start on the node that does not hold it: a, b, a, ... alternately
            add(
                    results,
                    measure(
                            worlds,
                            "failover (start on the other node)",
                            world -> (world.starts++ % 2 == 0 ? world.b : world.a).run("start", false)));
            add(
                    results,
                    measure(worlds, "stop", world -> (world.starts % 2 == 1 ? world.b : world.a).run("stop", false)));
            // custom-route: its promote compared with no connection opened ahead, and written in place or read
            // first; floating-ip: its promote binding with no read first or reading first
            addEach(results, coldAndWarmFailovers(worlds, strategy));
            return results;
        } finally {
            worlds.forEach(World::close);
        }
    }

    /**
     * The load-balancer strategy's health-check mode at each RTT (same shape as {@link #run}; actions:
     * probe, start, monitor, stop). It makes no cloud call, so what its actions cost is the JVM and the
     * listener, and the proxies show that no connection is made at any RTT. Start and stop alternate
     * (each start opens the listener, each stop ends it); {@code notes} gets the listener's resident
     * size while the resource runs.
     */
    List<List<Measured>> runHealthCheckMode(String loadBalancer, String pool, List<Duration> rtts, List<String> notes)
            throws IOException {
        List<World> worlds = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try {
            for (Duration rtt : rtts) {
                int port = freePort();
                ports.add(port);
                Map<String, String> parameters = Map.of(
                        "load_balancer",
                        loadBalancer,
                        "pool",
                        pool,
                        "health_port",
                        Integer.toString(port),
                        "health_address",
                        "127.0.0.1");
                // a state directory of its own: the pool-member rows' nodes recorded a pool member
                worlds.add(new World("load-balancer-health-check", "three-zone", "load-balancer", parameters, rtt));
            }
            List<List<Measured>> results = new ArrayList<>();
            worlds.forEach(world -> results.add(new ArrayList<>()));
            add(results, measure(worlds, "probe (not started here)", world -> world.a.run("monitor", false)));
            List<List<Measured>> startStop = inTurn(
                    worlds,
                    "start (opens the listener)",
                    world -> world.a.run("start", false),
                    "stop (ends it)",
                    world -> world.a.run("stop", false));
            add(results, startStop.get(0));
            worlds.forEach(world -> world.a.run("start", false));
            add(results, measure(worlds, "monitor (10 s interval)", world -> world.a.run("monitor", true)));
            notes.add(ListenerCost.size(ports.get(0)));
            worlds.forEach(world -> world.a.run("stop", false));
            add(results, startStop.get(1));
            return results;
        } finally {
            worlds.forEach(World::close);
        }
    }

    /**
     * A failover to node b as a primitive does it (a cold start: b has no token and knows no ids) and as
     * a promotable clone does it (the promote of a warm standby, whose readiness monitor ran once),
     * in turn in every round so that both see the same load. Only the start or the promote is
     * measured; node a takes the VIP back before each.
     *
     * @param strategy custom-route adds its comparisons, in turn with the others: the promote with no
     *     connection opened ahead of its writes ({@link #CONNECT_AHEAD_SWITCH}{@code =off}: each write
     *     round's new connection opened by its request), and on the egress table only (no ingress
     *     route moves) the promote that writes the remembered routes in place against the one that
     *     reads them first ({@link #IN_PLACE_SWITCH}{@code =off}); floating-ip's: the promote that binds
     *     the floating IP with no read first against the one that reads it first ({@link
     *     #FLOATING_IP_DIRECT_SWITCH}{@code =off})
     */
    private List<List<Measured>> coldAndWarmFailovers(List<World> worlds, String strategy) {
        boolean customRoute = strategy.equals("custom-route");
        boolean floatingIp = strategy.equals("floating-ip");
        Map<String, String> promotable = Map.of("OCF_RESKEY_CRM_meta_promotable", "true");
        Map<String, String> promotableNotAhead =
                Map.of("OCF_RESKEY_CRM_meta_promotable", "true", CONNECT_AHEAD_SWITCH, "off");
        List<Measured> cold = new ArrayList<>();
        List<Measured> warm = new ArrayList<>();
        List<Measured> notAhead = new ArrayList<>();
        List<Measured> inPlace = new ArrayList<>();
        List<Measured> readFirst = new ArrayList<>();
        List<Measured> fipReadFirst = new ArrayList<>();
        worlds.forEach(world -> {
            cold.add(new Measured("failover, cold start (primitive: no token, no ids known)"));
            fipReadFirst.add(new Measured(
                    "failover, promote of a warm standby, read first (" + FLOATING_IP_DIRECT_SWITCH + "=off)"));
            warm.add(new Measured("failover, promote of a warm standby (promotable)"));
            notAhead.add(new Measured("failover, promote of a warm standby, no connection opened ahead ("
                    + CONNECT_AHEAD_SWITCH + "=off)"));
            inPlace.add(new Measured(
                    "failover, promote of a warm standby, egress table only (routing_tables=vip-egress): in place"));
            readFirst.add(new Measured("failover, promote of a warm standby, egress table only, read first ("
                    + IN_PLACE_SWITCH + "=off)"));
        });
        for (int round = 0; round < runs; round++) {
            for (int i = 0; i < worlds.size(); i++) {
                World world = worlds.get(i);
                world.a.run("start", false);
                world.b.forget();
                world.probe.record(cold.get(i), () -> world.b.run("start", false));
                world.b.run("stop", false);

                warmPromote(world, warm.get(i), Map.of(), promotable);
                if (customRoute) {
                    warmPromote(world, notAhead.get(i), Map.of(), promotableNotAhead);
                    warmPromote(world, inPlace.get(i), EGRESS_ONLY, promotable);
                    Map<String, String> readFirstPromote = new HashMap<>(promotable);
                    readFirstPromote.put(IN_PLACE_SWITCH, "off");
                    warmPromote(world, readFirst.get(i), EGRESS_ONLY, readFirstPromote);
                }
                if (floatingIp) {
                    Map<String, String> readFirstPromote = new HashMap<>(promotable);
                    readFirstPromote.put(FLOATING_IP_DIRECT_SWITCH, "off");
                    warmPromote(world, fipReadFirst.get(i), Map.of(), readFirstPromote);
                }
            }
        }
        if (customRoute) {
            return List.of(cold, warm, notAhead, inPlace, readFirst);
        }
        return floatingIp ? List.of(cold, warm, fipReadFirst) : List.of(cold, warm);
    }

    /**
     * Node b, a promotable instance whose readiness monitor ran once, is promoted (with {@code promote}
     * in its environment) and measured, then demoted and stopped; node a takes the VIP first. Every
     * action of node b's has {@code resource} in its environment too (parameters of its own).
     */
    private static void warmPromote(
            World world, Measured measured, Map<String, String> resource, Map<String, String> promote) {
        Map<String, String> promotable = new HashMap<>(resource);
        promotable.put("OCF_RESKEY_CRM_meta_promotable", "true");
        Map<String, String> promoted = new HashMap<>(resource);
        promoted.putAll(promote);
        world.a.run("start", false);
        world.b.forget();
        world.b.run("start", false, promotable);
        world.b.run("monitor", true, promotable);
        world.probe.record(measured, () -> world.b.run("promote", false, promoted));
        world.b.run("demote", false, promotable);
        world.b.run("stop", false, promotable);
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }

    private static void add(List<List<Measured>> results, List<Measured> atEachRtt) {
        for (int i = 0; i < results.size(); i++) {
            results.get(i).add(atEachRtt.get(i));
        }
    }

    private static void addEach(List<List<Measured>> results, List<List<Measured>> actions) {
        actions.forEach(atEachRtt -> add(results, atEachRtt));
    }

    /**
     * Two ways of one action, {@code runs} rounds at every RTT, the two in turn in each round; the
     * first's measurements at each RTT, then the second's.
     */
    private List<List<Measured>> inTurn(
            List<World> worlds,
            String firstName,
            Function<World, ProcessRun> first,
            String secondName,
            Function<World, ProcessRun> second) {
        List<Measured> one = new ArrayList<>();
        List<Measured> two = new ArrayList<>();
        worlds.forEach(world -> {
            one.add(new Measured(firstName));
            two.add(new Measured(secondName));
        });
        for (int round = 0; round < runs; round++) {
            for (int i = 0; i < worlds.size(); i++) {
                World world = worlds.get(i);
                world.probe.record(one.get(i), () -> first.apply(world));
                world.probe.record(two.get(i), () -> second.apply(world));
            }
        }
        return List.of(one, two);
    }

    /** {@code runs} rounds of the action at every RTT. */
    private List<Measured> measure(List<World> worlds, String name, Function<World, ProcessRun> action) {
        List<Measured> measured = new ArrayList<>();
        worlds.forEach(world -> measured.add(new Measured(name)));
        for (int round = 0; round < runs; round++) {
            for (int i = 0; i < worlds.size(); i++) {
                World world = worlds.get(i);
                world.probe.record(measured.get(i), () -> action.apply(world));
            }
        }
        return measured;
    }

    /** One RTT's simulated cloud: the simulator over TLS behind its proxies, and two nodes. */
    private final class World implements AutoCloseable {
        final SimulatedCloud cloud;
        final VpcSimulator simulator;
        final ProxiedEndpoints endpoints;
        final Node a;
        final Node b;
        final Probe probe;
        int starts;

        World(String name, String scenario, String strategy, Map<String, String> parameters, Duration rtt)
                throws IOException {
            this(name, scenario, strategy, parameters, rtt, List.of("node-a", "node-b"));
        }

        World(
                String name,
                String scenario,
                String strategy,
                Map<String, String> parameters,
                Duration rtt,
                List<String> nodes)
                throws IOException {
            Path work = Files.createDirectories(scratch.resolve(name + "-" + rtt.toMillis() + "ms"));
            cloud = new SimulatedCloud(work, scenario, rtt);
            simulator = cloud.simulator;
            endpoints = cloud.endpoints;
            a = new Node(work, cloud, nodes.get(0), strategy, parameters);
            b = new Node(work, cloud, nodes.get(1), strategy, parameters);
            probe = new Probe(simulator, endpoints);
        }

        @Override
        public void close() {
            cloud.close();
        }
    }

    /** What an action cost: journal entries and proxy counts around one run. */
    private static final class Probe {
        private final VpcSimulator simulator;
        private final ProxiedEndpoints endpoints;

        Probe(VpcSimulator simulator, ProxiedEndpoints endpoints) {
            this.simulator = simulator;
            this.endpoints = endpoints;
        }

        void record(Measured measured, Supplier<ProcessRun> action) {
            long before = simulator.journal().lastSequence();
            ProxiedEndpoints.Counts wireBefore = endpoints.counts();
            ProcessRun run = action.get();
            ProxiedEndpoints.Counts wire = endpoints.counts().minus(wireBefore);
            List<JournalEntry> entries = simulator.journal().entriesAfter(before);
            measured.millis.add(run.millis());
            measured.rssKb.add(run.rssKb());
            measured.vpcRequests.add(count(entries, "vpc"));
            measured.iamRequests.add(count(entries, "iam"));
            measured.metadataRequests.add(count(entries, "metadata"));
            measured.vpcConnections.add(wire.vpc().connections());
            measured.iamConnections.add(wire.iam().connections());
            measured.metadataConnections.add(wire.metadata().connections());
            WireCounts cloud = wire.vpc().plus(wire.iam());
            measured.cloudRoundTrips.add(cloud.roundTrips());
            if (run.exitCode() != 0 && run.exitCode() != 7) {
                measured.failures++;
                System.err.println(measured.name + ": exit " + run.exitCode() + ": "
                        + run.stderr().strip());
            }
        }

        private long count(List<JournalEntry> entries, String service) {
            return entries.stream().filter(e -> e.service().equals(service)).count();
        }
    }

    static String apiKey(VpcSimulator simulator) {
        return simulator
                .state()
                .read(state -> state.principals.values().stream()
                        .filter(p -> HA_KEY_NAME.equals(p.name))
                        .findFirst()
                        .orElseThrow()
                        .secret);
    }

    /** A simulated node running the installed agent, with its own state, token cache and metadata service. */
    private final class Node {
        private final Path work;
        private final String name;
        private final Map<String, String> environment = new HashMap<>();

        Node(Path work, SimulatedCloud cloud, String name, String strategy, Map<String, String> parameters) {
            this.work = work;
            this.name = name;
            environment.put("VPC_HA_HOME", home.toString());
            // the cold path measured: never the accelerator's default socket of whatever is installed here
            environment.put("VPC_HA_ACCELERATOR", "");
            if (javaOpts != null) {
                environment.put("VPC_HA_JAVA_OPTS", javaOpts);
            }
            if (java != null) {
                environment.put("VPC_HA_JAVA", java);
            }
            environment.put("OCF_RESOURCE_INSTANCE", "bench-" + strategy);
            environment.put("OCF_RESKEY_CRM_meta_on_node", name);
            environment.put("OCF_RESKEY_CRM_meta_timeout", "30000");
            environment.put("HA_RSCTMP", work.resolve(name).resolve("run").toString());
            environment.put("OCF_RESKEY_strategy", strategy);
            environment.putAll(cloud.agentEnvironment(name));
            environment.put(
                    "OCF_RESKEY_token_cache_dir",
                    work.resolve(name).resolve("tokens").toString());
            // metrics are written as in production, into the node's own directory, never this machine's
            environment.put("OCF_RESKEY_metrics_dir", metrics().toString());
            parameters.forEach((key, value) -> environment.put("OCF_RESKEY_" + key, value));
            if (cloud.simulator.caCertificate() == null) {
                throw new IllegalStateException("the benchmark runs over TLS");
            }
        }

        ProcessRun run(String action, boolean recurring) {
            return run(action, recurring, Map.of());
        }

        private Path metrics() {
            Path metrics = work.resolve(name).resolve("metrics");
            try {
                return Files.createDirectories(metrics);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Forgets what the node keeps between actions: its state directories, token cache and metrics. */
        void forget() {
            try (Stream<Path> walk = Files.walk(work.resolve(name))) {
                for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            } catch (NoSuchFileException gone) {
                // nothing kept yet
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            metrics();
        }

        ProcessRun run(String action, boolean recurring, Map<String, String> extra) {
            Map<String, String> run = new HashMap<>(environment);
            run.putAll(extra);
            if (recurring) {
                run.put("OCF_RESKEY_CRM_meta_interval", "10000");
            }
            if (action.equals("validate-all")) {
                run.put("OCF_CHECK_LEVEL", "10");
            }
            return ProcessRun.run(List.of(home.resolve("ocf").resolve("vpc-ha").toString(), action), run, work);
        }
    }
}
