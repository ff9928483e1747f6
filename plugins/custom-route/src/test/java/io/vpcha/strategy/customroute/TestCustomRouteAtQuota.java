package io.vpcha.strategy.customroute;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.AgentHarness;
import io.vpcha.host.testing.AgentHarness.Result;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.oracle.TrafficSource;
import io.vpcha.simulator.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A VPC at its routing quotas: 50 routing tables of which 47 hold 200 routes each (one of them for
 * the VIP). Discovery has to page through everything; the steady-state monitor must not.
 */
class TestCustomRouteAtQuota {
    private static final String VIP = "10.0.0.100";

    @TempDir
    Path work;

    @Test
    void discoveryPagesThroughEveryTableAndTheMonitorAsksOncePerTable() throws IOException {
        try (VpcSimulator simulator = VpcSimulator.builder()
                .scenario(Scenario.fromJson("quota", ManyTables.threeZoneWith(47, "filler-", 200, VIP)))
                .perInstanceMetadata(true)
                .start()) {
            AgentHarness harness = new AgentHarness(simulator, work, List.of(), new CustomRouteStrategyProvider());
            Map<String, String> resource = Map.of("strategy", "custom-route", "vip", VIP, "manage_local_ip", "false");

            Result start = harness.node("node-b").run("start", resource);

            assertThat(start.code()).as("%s", start).isZero();
            // reads alone: 1 list of tables, then every table's routes by pages of 50 (47 tables of 200
            // routes, the default and the two small ones); the writes and read-backs come on top
            assertThat(start.vpcRequests()).as("%s", start).isGreaterThanOrEqualTo(1 + 47 * 4 + 3);
            for (String zone : List.of("us-south-1", "us-south-2", "us-south-3")) {
                assertThat(simulator
                                .oracle()
                                .deliver(VIP, TrafficSource.fromZone(zone))
                                .instanceName())
                        .hasValue("node-b");
            }
            harness.node("node-b").monitor(resource);
            Result monitor = harness.node("node-b").monitor(resource);
            assertThat(monitor.code()).isZero();
            assertThat(monitor.vpcRequests())
                    .as("one request per table holding VIP routes")
                    .isLessThanOrEqualTo(50);
            assertThat(monitor.iamRequests()).isZero();
        }
    }
}
