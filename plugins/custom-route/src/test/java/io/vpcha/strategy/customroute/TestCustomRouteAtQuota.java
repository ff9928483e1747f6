package io.vpcha.strategy.customroute;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.AgentHarness;
import io.vpcha.host.testing.AgentHarness.Result;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.journal.JournalEntry;
import io.vpcha.simulator.oracle.TrafficSource;
import io.vpcha.simulator.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
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
                .scenario(Scenario.fromJson("quota", MoreEgressTables.scenario("filler", 47, VIP, 199)))
                .perInstanceMetadata(true)
                .start()) {
            AgentHarness harness = new AgentHarness(simulator, work, List.of(), new CustomRouteStrategyProvider());
            Map<String, String> resource = Map.of("strategy", "custom-route", "vip", VIP, "manage_local_ip", "false");

            long beforeStart = simulator.journal().lastSequence();
            Result start = harness.node("node-b").run("start", resource);

            assertThat(start.code()).as("%s", start).isZero();
            List<JournalEntry> startCalls = simulator.journal().entriesAfter(beforeStart);
            Map<String, Integer> routeCounts = routeCountsByTable(simulator);
            Set<String> withVip = TestCustomRouteStrategy.tablesWithVipRoutes(simulator);
            assertThat(withVip)
                    .as("the scenario's VIP tables and the 47 fillers")
                    .hasSize(2 + 47);
            // the tables are listed once (50 tables: one page), every table's routes are read by pages
            // of 50 to find the VIP's, and after the moves the tables holding VIP routes once more
            assertThat(startCalls.stream()
                            .filter(call -> call.method().equals("GET")
                                    && call.endpoint().endsWith("/routing_tables")))
                    .hasSize(1);
            Map<String, Long> expectedReads = new HashMap<>();
            routeCounts.forEach((table, routes) ->
                    expectedReads.put(table, (long) pages(routes) * (withVip.contains(table) ? 2 : 1)));
            assertThat(TestCustomRouteStrategy.routeReadsByTable(startCalls)).isEqualTo(expectedReads);
            for (String zone : List.of("us-south-1", "us-south-2", "us-south-3")) {
                assertThat(simulator
                                .oracle()
                                .deliver(VIP, TrafficSource.fromZone(zone))
                                .instanceName())
                        .hasValue("node-b");
            }
            harness.node("node-b").monitor(resource);
            long beforeMonitor = simulator.journal().lastSequence();
            Result monitor = harness.node("node-b").monitor(resource);
            assertThat(monitor.code()).isZero();
            assertThat(TestCustomRouteStrategy.routeReadsByTable(
                            simulator.journal().entriesAfter(beforeMonitor)))
                    .as("one request per table holding VIP routes, however full the tables are")
                    .isEqualTo(TestCustomRouteStrategy.onceEach(withVip));
            assertThat(monitor.vpcRequests()).isEqualTo(withVip.size());
            assertThat(monitor.iamRequests()).isZero();
        }
    }

    /** How many requests listing {@code routes} routes takes at the default page size of 50. */
    private static int pages(int routes) {
        return Math.max(1, (routes + 49) / 50);
    }

    private static Map<String, Integer> routeCountsByTable(VpcSimulator simulator) {
        return simulator
                .state()
                .read(state -> state.routingTables.values().stream()
                        .collect(Collectors.toMap(table -> table.id, table -> table.routes.size())));
    }
}
