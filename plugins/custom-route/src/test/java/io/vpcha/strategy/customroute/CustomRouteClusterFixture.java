package io.vpcha.strategy.customroute;

import io.vpcha.host.testing.AgentHarness;
import io.vpcha.host.testing.SimulatedCluster;
import io.vpcha.host.testing.SimulatorFixture;
import io.vpcha.simulator.scenario.Scenario;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

/**
 * The simulator (the three-zone scenario) of the custom-route test classes that drive two nodes, and
 * its nodes node-a and node-b running the strategy through the real OCF agent.
 */
abstract class CustomRouteClusterFixture extends SimulatorFixture<AgentHarness> {
    static final String VIP = "10.0.0.100";
    /** The addresses of node-a and node-b in the three-zone scenario: the next hops the routes point at. */
    static final String NODE_A = "10.240.0.4";

    static final String NODE_B = "10.240.64.4";
    /** The three-zone scenario's key of the HA service ID. */
    static final String HA_KEY = "sim-test-apikey-ha-0000000000000001";

    AgentHarness harness;
    AgentHarness.Node nodeA;
    AgentHarness.Node nodeB;

    CustomRouteClusterFixture() {
        super(
                () -> SimulatedCluster.startSimulator(Scenario.threeZone()),
                (simulator, work) ->
                        new AgentHarness(simulator, work, List.of(HA_KEY), new CustomRouteStrategyProvider()));
    }

    @BeforeEach
    void twoNodes() {
        harness = cluster;
        nodeA = harness.node("node-a");
        nodeB = harness.node("node-b");
    }
}
