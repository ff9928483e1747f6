package io.vpcha.host.testing;

import static java.util.Objects.requireNonNull;

import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.journal.JournalEntry;
import io.vpcha.simulator.scenario.Scenario;
import io.vpcha.spi.StrategyProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A strategy's test cluster: its actions run on simulated nodes through the real OCF agent ({@link
 * AgentHarness}), each with a Pacemaker timeout that leaves it a chosen time, and each answered with
 * the simulator's journal of the requests it made. What every strategy's tests share; a strategy's
 * own cluster extends it with its scenario, parameters and the oracle's answers.
 */
public class SimulatedCluster {
    /** The key of the HA service ID that every strategy's scenario declares ({@code ha-key}). */
    public static final String API_KEY = "sim-test-apikey-ha-0000000000000001";

    /** The key every strategy's scenario declares read-only ({@code readonly-key}): each write is denied. */
    public static final String READONLY_KEY = "sim-test-apikey-readonly-000000002";

    public final VpcSimulator simulator;
    public final AgentHarness harness;

    protected SimulatedCluster(VpcSimulator simulator, AgentHarness harness) {
        this.simulator = requireNonNull(simulator, "simulator is null");
        this.harness = requireNonNull(harness, "harness is null");
    }

    /**
     * Nodes that run {@code provider}'s strategy, with the scenario's two keys known to the IAM token
     * service.
     */
    protected SimulatedCluster(VpcSimulator simulator, Path work, StrategyProvider provider) {
        this(simulator, new AgentHarness(simulator, work, List.of(API_KEY, READONLY_KEY), provider));
    }

    /** The simulator of {@code scenario}, its metadata service answering each node for its own instance. */
    public static VpcSimulator startSimulator(Scenario scenario) {
        return VpcSimulator.builder()
                .scenario(scenario)
                .perInstanceMetadata(true)
                .start();
    }

    /** A scenario kept as a test resource of {@code owner}'s package ({@code file}, e.g. one-zone-pair.json). */
    protected static Scenario scenario(Class<?> owner, String file) {
        return scenario(owner, file, Map.of());
    }

    /**
     * A scenario kept as a test resource of {@code owner}'s package, each placeholder in its text replaced
     * (e.g. HEALTH_PORT by a port free now).
     */
    protected static Scenario scenario(Class<?> owner, String file, Map<String, String> placeholders) {
        try (InputStream in = owner.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalArgumentException("no scenario " + file + " beside " + owner.getName());
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
                text = text.replace(placeholder.getKey(), placeholder.getValue());
            }
            return Scenario.fromJson(file.replaceFirst("\\.json$", ""), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A resource's parameters: {@code base}, then name/value pairs that set or (with a null value)
     * remove one.
     */
    public static Map<String, String> parameters(Map<String, String> base, String... nameValuePairs) {
        if (nameValuePairs.length % 2 != 0) {
            throw new IllegalArgumentException("name/value pairs expected: " + List.of(nameValuePairs));
        }
        Map<String, String> parameters = new HashMap<>(base);
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            if (nameValuePairs[i + 1] == null) {
                parameters.remove(nameValuePairs[i]);
            } else {
                parameters.put(nameValuePairs[i], nameValuePairs[i + 1]);
            }
        }
        return parameters;
    }

    /** One action's outcome, and the requests it made. */
    public record Outcome(AgentHarness.Result result, List<JournalEntry> entries) {
        public Outcome {
            requireNonNull(result, "result is null");
            entries = List.copyOf(entries);
        }

        public int code() {
            return result.code();
        }

        public String reason() {
            return result.reason();
        }

        /** Requests to the cloud of any kind: VPC, IAM and metadata. */
        public long cloudRequests() {
            return result.vpcRequests() + result.iamRequests() + result.metadataRequests();
        }

        /** VPC requests other than GET: what the action changed. */
        public long vpcWrites() {
            return entries.stream()
                    .filter(entry ->
                            entry.service().equals("vpc") && !entry.method().equals("GET"))
                    .count();
        }

        /** The VPC requests other than GET, in order, as "METHOD endpoint-template": what changed, and when. */
        public List<String> vpcWriteRequests() {
            return entries.stream()
                    .filter(entry ->
                            entry.service().equals("vpc") && !entry.method().equals("GET"))
                    .map(entry -> entry.method() + " " + entry.endpoint())
                    .toList();
        }

        /** Writes by one instance (known to the simulator when it authenticates with a trusted profile). */
        public long vpcWritesBy(String node) {
            return entries.stream()
                    .filter(entry -> entry.service().equals("vpc")
                            && !entry.method().equals("GET")
                            && node.equals(entry.callerInstanceName()))
                    .count();
        }

        /**
         * The rounds of VPC requests the action waited for, each as "METHOD endpoint-template" ({@link
         * RequestRounds}: needs a latency on every VPC request far above the time a round takes to send).
         */
        public List<List<String>> vpcRounds() {
            return RequestRounds.of(entries.stream()
                    .filter(entry -> entry.service().equals("vpc"))
                    .toList());
        }

        public long vpcRequests(String method, String endpointFragment) {
            return entries.stream()
                    .filter(entry -> entry.service().equals("vpc")
                            && entry.method().equals(method)
                            && entry.endpoint().contains(endpointFragment))
                    .count();
        }

        @Override
        public String toString() {
            return result.toString();
        }
    }

    public Outcome start(String node, Map<String, String> parameters) {
        return run(node, "start", parameters, Duration.ZERO, Duration.ofSeconds(20), Map.of());
    }

    public Outcome stop(String node, Map<String, String> parameters) {
        return run(node, "stop", parameters, Duration.ZERO, Duration.ofSeconds(20), Map.of());
    }

    public Outcome probe(String node, Map<String, String> parameters) {
        return run(node, "monitor", parameters, Duration.ZERO, Duration.ofSeconds(20), Map.of());
    }

    public Outcome monitor(String node, Map<String, String> parameters) {
        return run(node, "monitor", parameters, Duration.ofSeconds(10), Duration.ofSeconds(20), Map.of());
    }

    public Outcome validate(String node, Map<String, String> parameters, int checkLevel) {
        return run(
                node,
                "validate-all",
                parameters,
                Duration.ZERO,
                Duration.ofSeconds(20),
                Map.of("OCF_CHECK_LEVEL", Integer.toString(checkLevel)));
    }

    /**
     * Runs an action with {@code timeLeft} until its deadline. The host counts an action's deadline from
     * the start of its process (the JVM's start-up counts); in a test JVM, that is the start of the test
     * run, so the timeout passed is stretched by the JVM's age.
     */
    public Outcome run(
            String node,
            String action,
            Map<String, String> parameters,
            Duration interval,
            Duration timeLeft,
            Map<String, String> extraEnvironment) {
        Map<String, String> environment = new HashMap<>(extraEnvironment);
        environment.put(
                "OCF_RESKEY_CRM_meta_timeout",
                Long.toString(timeoutGiving(timeLeft).toMillis()));
        long before = simulator.journal().lastSequence();
        AgentHarness.Result result = harness.node(node).run(action, parameters, interval, environment);
        return new Outcome(result, simulator.journal().entriesAfter(before));
    }

    /**
     * The Pacemaker timeout that leaves {@code timeLeft} until the host's deadline, which the host counts
     * from the action's start and which keeps a tenth of the timeout in reserve (at most five seconds).
     */
    public static Duration timeoutGiving(Duration timeLeft) {
        Duration withFullReserve = timeLeft.plusSeconds(5);
        return withFullReserve.compareTo(Duration.ofSeconds(50)) >= 0
                ? withFullReserve
                : timeLeft.multipliedBy(10).dividedBy(9).plusMillis(1);
    }
}
