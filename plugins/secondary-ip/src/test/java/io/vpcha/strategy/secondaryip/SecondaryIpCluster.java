package io.vpcha.strategy.secondaryip;

import io.vpcha.host.testing.AgentHarness;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.journal.JournalEntry;
import io.vpcha.simulator.oracle.TrafficSource;
import io.vpcha.simulator.scenario.Scenario;
import io.vpcha.simulator.state.ReservedIp;
import io.vpcha.simulator.state.SimulatorState;
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
import java.util.Optional;

/**
 * The test cluster: the simulator with the one-subnet-pair scenario, and the secondary-ip strategy run
 * through the real OCF agent on simulated nodes, as Pacemaker runs it.
 */
final class SecondaryIpCluster {
    static final String API_KEY = "sim-test-apikey-ha-0000000000000001";
    static final String READONLY_KEY = "sim-test-apikey-readonly-000000002";
    static final String VIP = "10.240.0.100";
    static final List<String> CLIENT_ZONES = List.of("us-south-1", "us-south-2", "us-south-3");

    final VpcSimulator simulator;
    final AgentHarness harness;

    SecondaryIpCluster(VpcSimulator simulator, Path work) {
        this(simulator, work, new SecondaryIpStrategyProvider());
    }

    /** @param provider the strategy's provider, e.g. one loaded from the plugin jar by the host's loader */
    SecondaryIpCluster(VpcSimulator simulator, Path work, StrategyProvider provider) {
        this.simulator = simulator;
        this.harness = new AgentHarness(simulator, work, List.of(API_KEY, READONLY_KEY), provider);
    }

    static VpcSimulator startSimulator() {
        return VpcSimulator.builder()
                .scenario(scenario())
                .perInstanceMetadata(true)
                .start();
    }

    static Scenario scenario() {
        try (InputStream in = SecondaryIpCluster.class.getResourceAsStream("one-subnet-pair.json")) {
            return Scenario.fromJson("one-subnet-pair", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The resource's parameters: strategy, API key, ip=10.240.0.100, manage_local_ip=false (no test
     * changes this machine's interfaces), then name/value pairs (a null value removes).
     */
    static Map<String, String> parameters(String... extra) {
        Map<String, String> parameters = new HashMap<>();
        parameters.put("strategy", "secondary-ip");
        parameters.put("api_key", API_KEY);
        parameters.put("ip", VIP);
        parameters.put("manage_local_ip", "false");
        for (int i = 0; i < extra.length; i += 2) {
            if (extra[i + 1] == null) {
                parameters.remove(extra[i]);
            } else {
                parameters.put(extra[i], extra[i + 1]);
            }
        }
        return parameters;
    }

    /** One action's outcome, and the requests it made. */
    record Outcome(AgentHarness.Result result, List<JournalEntry> entries) {
        int code() {
            return result.code();
        }

        String reason() {
            return result.reason();
        }

        /** VPC requests other than GET: what the action changed. */
        List<String> vpcWrites() {
            return entries.stream()
                    .filter(entry ->
                            entry.service().equals("vpc") && !entry.method().equals("GET"))
                    .map(entry -> entry.method() + " " + entry.endpoint())
                    .toList();
        }

        long vpcWritesBy(String node) {
            return entries.stream()
                    .filter(entry -> entry.service().equals("vpc")
                            && !entry.method().equals("GET")
                            && node.equals(entry.callerInstanceName()))
                    .count();
        }

        @Override
        public String toString() {
            return result.toString() + "writes " + vpcWrites();
        }
    }

    Outcome start(String node, Map<String, String> parameters) {
        return run(node, "start", parameters, Duration.ZERO, Duration.ofSeconds(20), Map.of());
    }

    Outcome stop(String node, Map<String, String> parameters) {
        return run(node, "stop", parameters, Duration.ZERO, Duration.ofSeconds(20), Map.of());
    }

    Outcome probe(String node, Map<String, String> parameters) {
        return run(node, "monitor", parameters, Duration.ZERO, Duration.ofSeconds(20), Map.of());
    }

    Outcome monitor(String node, Map<String, String> parameters) {
        return run(node, "monitor", parameters, Duration.ofSeconds(10), Duration.ofSeconds(20), Map.of());
    }

    Outcome validate(String node, Map<String, String> parameters, int checkLevel) {
        return run(
                node,
                "validate-all",
                parameters,
                Duration.ZERO,
                Duration.ofSeconds(20),
                Map.of("OCF_CHECK_LEVEL", Integer.toString(checkLevel)));
    }

    /**
     * Runs an action with {@code timeLeft} until its deadline (the host counts it from the start of its
     * process, in this JVM the start of the test run: see {@link #timeoutGiving}).
     */
    Outcome run(
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

    /** The Pacemaker timeout that leaves {@code timeLeft} until the host's deadline (a tenth, at most 5 s, is reserve). */
    static Duration timeoutGiving(Duration timeLeft) {
        Duration withFullReserve = timeLeft.plusSeconds(5);
        return withFullReserve.compareTo(Duration.ofSeconds(50)) >= 0
                ? withFullReserve
                : timeLeft.multipliedBy(10).dividedBy(9).plusMillis(1);
    }

    /** Where traffic to {@code address} from a client in each zone ends up: instance names, or "dropped". */
    List<String> deliveredFromEveryZone(String address) {
        return CLIENT_ZONES.stream()
                .map(zone -> simulator
                        .oracle()
                        .deliver(address, TrafficSource.fromZone(zone))
                        .instanceName()
                        .orElse("dropped"))
                .toList();
    }

    /** The reserved IP with this address, as the simulator holds it. */
    Optional<ReservedIp> reservedIp(String address) {
        return simulator
                .state()
                .read(state -> state.reservedIps.values().stream()
                        .filter(ip -> ip.address.equals(address))
                        .findFirst()
                        .map(SecondaryIpCluster::copy));
    }

    /** The VNI name the address is bound to, or empty. */
    Optional<String> boundTo(String address) {
        return simulator
                .state()
                .read(state -> state.reservedIps.values().stream()
                        .filter(ip -> ip.address.equals(address))
                        .findFirst()
                        .flatMap(ip -> Optional.ofNullable(ip.targetId))
                        .flatMap(id -> SimulatorState.byIdOrName(state.virtualNetworkInterfaces, id))
                        .map(vni -> vni.name));
    }

    String vniId(String name) {
        return simulator
                .state()
                .read(state -> SimulatorState.byIdOrName(state.virtualNetworkInterfaces, name)
                        .orElseThrow()
                        .id);
    }

    /** Changes a reserved IP in the simulator directly, as another tool would. */
    void setAutoDelete(String address, boolean autoDelete) {
        simulator.state().write(state -> {
            state.reservedIps.values().stream()
                    .filter(ip -> ip.address.equals(address))
                    .forEach(ip -> ip.autoDelete = autoDelete);
            return null;
        });
    }

    private static ReservedIp copy(ReservedIp ip) {
        ReservedIp copy = new ReservedIp();
        copy.id = ip.id;
        copy.name = ip.name;
        copy.address = ip.address;
        copy.subnetId = ip.subnetId;
        copy.autoDelete = ip.autoDelete;
        copy.owner = ip.owner;
        copy.targetId = ip.targetId;
        return copy;
    }
}
