package io.vpcha.host.testing;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.doctor.Check;
import io.vpcha.host.doctor.Doctor;
import io.vpcha.host.doctor.PacemakerSettings;
import io.vpcha.host.ocf.OcfAgent;
import io.vpcha.host.ocf.OcfEnvironment;
import io.vpcha.host.plugin.InstalledStrategy;
import io.vpcha.host.plugin.PluginRegistry;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.journal.JournalEntry;
import io.vpcha.simulator.wire.ProxiedEndpoints;
import io.vpcha.spi.StrategyProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs OCF actions of a strategy the way Pacemaker does (an environment of OCF_RESKEY_* values, a
 * timeout, an interval for recurring monitors, nothing for probes), on simulated nodes: each node is a
 * simulator instance with its own metadata listener, its own state directory and its own token cache.
 * Counts the API and IAM requests each action made from the simulator's journal. Every action must keep
 * secrets out of its output and give at most one exit reason, of at most the 128 bytes Pacemaker keeps.
 */
public final class AgentHarness {
    private static final String EXIT_REASON = "ocf-exit-reason:";
    /** What Pacemaker keeps of an exit reason. */
    private static final int MAX_EXIT_REASON = 128;

    private final VpcSimulator simulator;
    private final PluginRegistry registry;
    private final Path work;
    private final List<String> secrets;
    private final TestClock clock = new TestClock();
    private ProxiedEndpoints endpoints;

    /** The outcome of one action. */
    public record Result(
            int code,
            String stdout,
            String stderr,
            long vpcRequests,
            long iamRequests,
            long metadataRequests,
            Duration elapsed,
            Optional<ProxiedEndpoints.Counts> wire) {
        /**
         * The exit reason in full, or empty: the line Pacemaker sees ({@link #shownReason()}), or the whole
         * reason the log has when that line had to be cut.
         */
        public String reason() {
            String full = "the exit reason in full: ";
            return stderr.lines()
                    .filter(line -> line.contains(": INFO: " + full))
                    .map(line -> line.substring(line.indexOf(full) + full.length()))
                    .findFirst()
                    .orElseGet(this::shownReason);
        }

        /** The exit reason as Pacemaker sees it (at most 128 bytes), or empty. */
        public String shownReason() {
            return stderr.lines()
                    .filter(line -> line.startsWith(EXIT_REASON))
                    .map(line -> line.substring(EXIT_REASON.length()))
                    .findFirst()
                    .orElse("");
        }

        @Override
        public String toString() {
            return "exit " + code + " (" + vpcRequests + " VPC, " + iamRequests + " IAM, " + metadataRequests
                    + " metadata requests" + wire.map(counts -> "; " + counts).orElse("") + ", " + elapsed.toMillis()
                    + " ms)\n" + stderr;
        }
    }

    /**
     * @param secrets values that must never appear in an action's output; checked on every action
     */
    public AgentHarness(VpcSimulator simulator, Path work, List<String> secrets, StrategyProvider... providers) {
        this.simulator = requireNonNull(simulator, "simulator is null");
        this.work = requireNonNull(work, "work is null");
        this.secrets = List.copyOf(secrets);
        List<InstalledStrategy> strategies = Arrays.stream(providers)
                .map(provider -> new InstalledStrategy(
                        provider.name(),
                        provider.version(),
                        provider.description(),
                        provider.longDescription(),
                        provider.parameters(),
                        Path.of(provider.name() + ".jar"),
                        provider,
                        provider.getClass().getClassLoader()))
                .toList();
        this.registry = new PluginRegistry(work.resolve("plugins"), strategies, List.of());
    }

    /** The time every action of this harness sees: advance it to let a grace window run out. */
    public TestClock clock() {
        return clock;
    }

    /**
     * Sends the requests of the nodes created from now on through {@code endpoints} (proxies in front of
     * the VPC API, IAM and each node's metadata service) and notes what each action cost there in
     * {@link Result#wire()}: connections and round trips per endpoint.
     */
    public AgentHarness through(ProxiedEndpoints endpoints) {
        this.endpoints = requireNonNull(endpoints, "endpoints is null");
        return this;
    }

    /** A cluster node played by the simulator instance {@code instance} (name or id). */
    public Node node(String instance) {
        return new Node(instance);
    }

    /** One simulated node: its metadata listener, state directory and token cache. */
    public final class Node {
        private final String name;
        private final Map<String, String> base = new HashMap<>();

        private Node(String name) {
            this.name = name;
            base.put("OCF_RESKEY_CRM_meta_on_node", name);
            base.put("HA_RSCTMP", work.resolve(name).resolve("run").toString());
            base.put("OCF_RESKEY_vpc_url", (endpoints == null ? simulator.vpcUrl() : endpoints.vpcUrl()).toString());
            base.put("OCF_RESKEY_iam_url", (endpoints == null ? simulator.iamUrl() : endpoints.iamUrl()).toString());
            base.put(
                    "OCF_RESKEY_metadata_url",
                    (endpoints == null ? simulator.metadataUrlFor(name) : endpoints.metadataUrlFor(name)).toString());
            if (simulator.caCertificate() != null) {
                base.put("OCF_RESKEY_ca_file", simulator.caCertificate().toString());
            }
            base.put(
                    "OCF_RESKEY_token_cache_dir",
                    work.resolve(name).resolve("tokens").toString());
            base.put("OCF_RESKEY_CRM_meta_timeout", "20000");
            // never into the machine's node_exporter directory; a test that reads metrics creates this one
            base.put(
                    "OCF_RESKEY_metrics_dir",
                    work.resolve(name).resolve("metrics").toString());
        }

        /** Where this node's actions write their metrics, when the directory exists. */
        public Path metricsDirectory() {
            return work.resolve(name).resolve("metrics");
        }

        public String name() {
            return name;
        }

        /** Adds {@code name=value} to the environment of every later action on this node. */
        public Node with(String variable, String value) {
            base.put(variable, value);
            return this;
        }

        /** Runs an action with the resource's parameters (name, value pairs); a monitor here is a probe. */
        public Result run(String action, Map<String, String> parameters) {
            return run(action, parameters, Duration.ZERO, Map.of());
        }

        /** A recurring monitor. */
        public Result monitor(Map<String, String> parameters) {
            return run("monitor", parameters, Duration.ofSeconds(10), Map.of());
        }

        /**
         * Runs one action of the installed agent.
         *
         * @param interval the monitor interval; zero for anything but a recurring monitor
         * @param extraEnvironment more environment, e.g. OCF_CHECK_LEVEL or a shorter timeout
         */
        public Result run(
                String action,
                Map<String, String> parameters,
                Duration interval,
                Map<String, String> extraEnvironment) {
            Map<String, String> environment = new HashMap<>(base);
            environment.put("OCF_RESOURCE_INSTANCE", parameters.getOrDefault("#instance", "vip"));
            parameters.forEach((key, value) -> {
                if (!key.startsWith("#")) {
                    environment.put("OCF_RESKEY_" + key, value);
                }
            });
            if (!interval.isZero()) {
                environment.put("OCF_RESKEY_CRM_meta_interval", Long.toString(interval.toMillis()));
            }
            environment.putAll(extraEnvironment);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            long before = simulator.journal().lastSequence();
            Optional<ProxiedEndpoints.Counts> wireBefore =
                    Optional.ofNullable(endpoints).map(ProxiedEndpoints::counts);
            Instant start = Instant.now();
            int code = OcfAgent.onClock(
                            registry,
                            new OcfEnvironment(environment),
                            new PrintStream(out, true, StandardCharsets.UTF_8),
                            new PrintStream(err, true, StandardCharsets.UTF_8),
                            clock)
                    .run(action);
            Duration elapsed = Duration.between(start, Instant.now());
            List<JournalEntry> entries = simulator.journal().entriesAfter(before);
            Result result = new Result(
                    code,
                    out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8),
                    count(entries, "vpc"),
                    count(entries, "iam"),
                    count(entries, "metadata"),
                    elapsed,
                    wireBefore.map(earlier -> endpoints.counts().minus(earlier)));
            for (String secret : secrets) {
                if (result.stdout().contains(secret) || result.stderr().contains(secret)) {
                    throw new AssertionError(action + " on " + name + " wrote a secret to its output");
                }
            }
            if (result.stderr()
                                    .lines()
                                    .filter(line -> line.startsWith(EXIT_REASON))
                                    .count()
                            > 1
                    || result.shownReason().getBytes(StandardCharsets.UTF_8).length > MAX_EXIT_REASON) {
                throw new AssertionError(action + " on " + name + " gave more than one exit reason of at most "
                        + MAX_EXIT_REASON + " bytes: " + result.stderr());
            }
            return result;
        }

        /**
         * Runs {@code vpc-ha doctor} on this node with the resource's parameters (this node's endpoints,
         * token cache and metrics directory added, as an action gets them), its log lines written to
         * {@code log}; Pacemaker's checks find no cluster here and are skipped. The report's lines must keep
         * the secrets out, as an action's output does.
         */
        public List<Check> doctor(Map<String, String> parameters, ByteArrayOutputStream log) {
            Map<String, String> resource = new HashMap<>();
            base.forEach((variable, value) -> {
                if (variable.startsWith("OCF_RESKEY_") && !variable.startsWith("OCF_RESKEY_CRM_meta_")) {
                    resource.put(variable.substring("OCF_RESKEY_".length()), value);
                }
            });
            parameters.forEach((key, value) -> {
                if (!key.startsWith("#")) {
                    resource.put(key, value);
                }
            });
            List<Check> checks = new Doctor(
                            registry,
                            new PacemakerSettings(Optional.empty(), Map.of()),
                            name,
                            work.resolve(name).resolve("doctor"),
                            Optional.empty())
                    .examine(resource, new PrintStream(log, true, StandardCharsets.UTF_8));
            String report = log.toString(StandardCharsets.UTF_8)
                    + checks.stream().map(Check::line).toList();
            for (String secret : secrets) {
                if (report.contains(secret)) {
                    throw new AssertionError("doctor on " + name + " wrote a secret to its report or log");
                }
            }
            return checks;
        }

        private long count(List<JournalEntry> entries, String service) {
            return entries.stream()
                    .filter(entry -> entry.service().equals(service))
                    .count();
        }
    }
}
