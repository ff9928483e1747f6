package io.vpcha.strategy.customroute;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.AgentHarness;
import io.vpcha.host.testing.AgentHarness.Result;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.fault.FaultRule;
import io.vpcha.simulator.oracle.TrafficSource;
import io.vpcha.simulator.state.Ipv4;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Two custom-route nodes acting at once (a split cluster without fencing; never Pacemaker's doing),
 * round after round from a fresh VPC of the three-zone scenario, and what every such race must leave:
 * one owner for every zone, its one ingress route in the owner's zone. Each action is bounded by its OCF
 * timeout; every PATCH takes 100 ms and one read waits a little longer each round, so that the rounds
 * differ in how far one node's writes have gone when the other reads.
 */
final class RaceRounds implements AutoCloseable {
    private static final String VIP = "10.0.0.100";
    private static final List<String> ZONES = List.of("us-south-1", "us-south-2", "us-south-3");
    private static final Map<String, String> TIMEOUT = Map.of("OCF_RESKEY_CRM_meta_timeout", "15000");
    private static final Duration PATCH_LATENCY = Duration.ofMillis(100);
    private static final Duration LONGEST_ACTION = Duration.ofSeconds(60);

    private final VpcSimulator simulator;
    private final Path work;
    private final String apiKey;
    private final ExecutorService actions = Executors.newFixedThreadPool(2);

    /**
     * @param work where each round's harness keeps its nodes' state, one directory a round
     * @param apiKey the API key the simulator accepts for the nodes
     */
    RaceRounds(VpcSimulator simulator, Path work, String apiKey) {
        this.simulator = simulator;
        this.work = work;
        this.apiKey = apiKey;
    }

    /** A fresh VPC, no faults, and a harness whose nodes have no state yet. */
    AgentHarness fresh(int round) {
        simulator.reset();
        simulator.faults().clear();
        return new AgentHarness(
                simulator, work.resolve("round-" + round), List.of(apiKey), new CustomRouteStrategyProvider());
    }

    /**
     * From now on every PATCH takes 100 ms, and the next VPC {@code GET} of {@code readPath} (a
     * simulator fault path, {@code *} for an id) waits {@code firstReadDelay} more.
     */
    void slowDown(String readPath, Duration firstReadDelay) {
        simulator
                .faults()
                .add(FaultRule.latency(firstReadDelay.toMillis(), 0)
                        .service("vpc")
                        .method("GET")
                        .path(readPath)
                        .count(1));
        simulator
                .faults()
                .add(FaultRule.latency(PATCH_LATENCY.toMillis(), 0)
                        .service("vpc")
                        .method("PATCH"));
    }

    /** Runs {@code action} of {@code resource} on node-a and node-b at once and waits for both. */
    Race race(int round, AgentHarness.Node a, AgentHarness.Node b, String action, Map<String, String> resource)
            throws Exception {
        Future<Result> onA = actions.submit(() -> a.run(action, resource, Duration.ZERO, TIMEOUT));
        Future<Result> onB = actions.submit(() -> b.run(action, resource, Duration.ZERO, TIMEOUT));
        return new Race(
                round,
                onA.get(LONGEST_ACTION.toSeconds(), TimeUnit.SECONDS),
                onB.get(LONGEST_ACTION.toSeconds(), TimeUnit.SECONDS));
    }

    /**
     * Asserts that traffic to the VIP from every zone, and traffic entering in the owner's zone, reaches
     * one node, and that the one ingress route for the VIP is in that node's zone.
     *
     * @return the owner, node-a or node-b
     */
    String assertOneOwner(Race race) {
        String owner = simulator
                .oracle()
                .deliver(VIP, TrafficSource.fromZone("us-south-3"))
                .instanceName()
                .orElseThrow(() -> new AssertionError("the VIP reaches nobody, " + race));
        for (String zone : ZONES) {
            assertThat(simulator
                            .oracle()
                            .deliver(VIP, TrafficSource.fromZone(zone))
                            .instanceName())
                    .as("from %s, %s", zone, race)
                    .hasValue(owner);
        }
        String ownerZone = owner.equals("node-a") ? "us-south-1" : "us-south-2";
        List<String> ingressZones = simulator
                .state()
                .read(state -> state.routingTables.values().stream()
                        .filter(table -> table.name.equals("vip-ingress"))
                        .flatMap(table -> table.routes.values().stream())
                        .filter(route -> route.destination.equals(Ipv4.Cidr.parse(VIP + "/32")))
                        .map(route -> route.zone)
                        .toList());
        assertThat(ingressZones).as("the ingress route's zone, %s", race).containsExactly(ownerZone);
        assertThat(simulator
                        .oracle()
                        .deliver(VIP, TrafficSource.ingress(TrafficSource.Ingress.TRANSIT_GATEWAY, ownerZone))
                        .instanceName())
                .as("ingress in %s, %s", ownerZone, race)
                .hasValue(owner);
        return owner;
    }

    @Override
    public void close() {
        actions.shutdownNow();
    }

    /** What both nodes answered in one round. */
    record Race(int round, Result onA, Result onB) {
        @Override
        public String toString() {
            return "round " + round + ", node-a " + onA + "\nnode-b " + onB;
        }
    }
}
