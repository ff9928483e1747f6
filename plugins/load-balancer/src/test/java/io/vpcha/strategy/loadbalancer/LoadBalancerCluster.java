package io.vpcha.strategy.loadbalancer;

import io.vpcha.host.testing.SimulatedCluster;
import io.vpcha.simulator.SimulatorOptions;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.oracle.Delivery;
import io.vpcha.simulator.oracle.TrafficSource;
import io.vpcha.simulator.scenario.Scenario;
import io.vpcha.simulator.state.LoadBalancer;
import io.vpcha.simulator.state.SimulatorState;
import io.vpcha.simulator.time.ManualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The test cluster: the simulator with the lb-pair scenario on loopback (node-a 127.0.0.11, node-b
 * 127.0.0.12), and the load-balancer strategy run through the real OCF agent on simulated nodes, as
 * Pacemaker runs it.
 */
final class LoadBalancerCluster extends SimulatedCluster {
    static final Map<String, String> ADDRESSES =
            Map.of("node-a", "127.0.0.11", "node-b", "127.0.0.12", "node-c", "127.0.0.13");

    final int healthPort;

    LoadBalancerCluster(VpcSimulator simulator, Path work, int healthPort) {
        super(simulator, work, new LoadBalancerStrategyProvider());
        this.healthPort = healthPort;
    }

    /** A port free on every node's address. */
    static int freePort() {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.11"))) {
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (ADDRESSES.values().stream().allMatch(address -> isFree(address, port))) {
                return port;
            }
        }
        throw new IllegalStateException("no port free on every node's address");
    }

    private static boolean isFree(String address, int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(address))) {
            return socket.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The simulator of the health-check tests: a manual clock, so that a health-check round runs when the
     * test advances it, and real probes.
     */
    static VpcSimulator healthCheckSimulator(ManualClock clock, int healthPort, int otherPort) {
        return VpcSimulator.start(SimulatorOptions.builder()
                .scenario(scenario(healthPort, otherPort))
                .perInstanceMetadata(true)
                .clock(clock)
                .build());
    }

    /**
     * The simulator of the pool-member tests: the system clock (update_pending ends by itself), health as
     * the scenario sets it.
     */
    static VpcSimulator poolMemberSimulator(int healthPort, int otherPort) {
        return VpcSimulator.start(SimulatorOptions.builder()
                .scenario(scenario(healthPort, otherPort))
                .perInstanceMetadata(true)
                .behaviour(behaviour -> {
                    behaviour.loadBalancerHealthChecks = "off";
                    behaviour.loadBalancerUpdateMillis = 300;
                })
                .build());
    }

    static Scenario scenario(int healthPort, int otherPort) {
        return scenario(
                LoadBalancerCluster.class,
                "lb-pair.json",
                Map.of("HEALTH_PORT", Integer.toString(healthPort), "OTHER_PORT", Integer.toString(otherPort)));
    }

    /** A health-check resource's parameters on {@code node}, then name/value pairs (a null value removes). */
    Map<String, String> healthCheck(String node, String... extra) {
        return parameters(
                Map.of(
                        "strategy",
                        "load-balancer",
                        "api_key",
                        API_KEY,
                        "load_balancer",
                        "app-lb",
                        "pool",
                        "hc-pool",
                        "health_port",
                        Integer.toString(healthPort),
                        // all nodes share this host's loopback: each binds its own address, as each node has its own
                        "health_address",
                        ADDRESSES.get(node)),
                extra);
    }

    /** A pool-member resource's parameters, then name/value pairs (a null value removes). */
    static Map<String, String> poolMember(String... extra) {
        return parameters(
                Map.of(
                        "strategy", "load-balancer",
                        "mode", "pool-member",
                        "api_key", API_KEY,
                        "load_balancer", "app-lb",
                        "pool", "wrr-pool"),
                extra);
    }

    /** Where traffic to the load balancer's pool goes now: the instance's name, or empty when dropped. */
    Optional<String> deliveredTo(String pool) {
        Delivery delivery =
                simulator.oracle().deliverToLoadBalancer("app-lb", pool, TrafficSource.fromZone("us-south-1"));
        return delivery.instanceName();
    }

    /** Each member's weight in a pool of app-lb, by its target (instance name or address). */
    Map<String, Integer> weights(String pool) {
        return simulator.state().read(state -> {
            LoadBalancer lb =
                    SimulatorState.byIdOrName(state.loadBalancers, "app-lb").orElseThrow();
            LoadBalancer.Pool found = lb.pools.values().stream()
                    .filter(candidate -> candidate.name.equals(pool))
                    .findFirst()
                    .orElseThrow();
            Map<String, Integer> weights = new TreeMap<>();
            found.members
                    .values()
                    .forEach(member -> weights.put(
                            member.targetInstanceId != null
                                    ? state.instances.get(member.targetInstanceId).name
                                    : member.targetAddress,
                            member.weight));
            return weights;
        });
    }
}
