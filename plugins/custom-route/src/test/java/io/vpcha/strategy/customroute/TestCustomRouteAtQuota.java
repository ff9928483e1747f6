package io.vpcha.strategy.customroute;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vpcha.host.testing.AgentHarness;
import io.vpcha.host.testing.AgentHarness.Result;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.oracle.TrafficSource;
import io.vpcha.simulator.scenario.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
                .scenario(Scenario.fromJson("quota", quotaScenario()))
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

    /** The three-zone scenario grown to the quotas: 47 more egress tables, each full with one VIP route. */
    private static String quotaScenario() throws IOException {
        JsonObject scenario;
        try (InputStream in = Scenario.class.getResourceAsStream("/io/vpcha/simulator/scenarios/three-zone.json")) {
            scenario = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
        }
        JsonArray tables =
                scenario.getAsJsonArray("vpcs").get(0).getAsJsonObject().getAsJsonArray("routing_tables");
        for (int t = 0; t < 47; t++) {
            JsonObject table = new JsonObject();
            table.addProperty("name", "filler-" + t);
            JsonArray routes = new JsonArray();
            String zone = "us-south-" + (t % 3 + 1);
            routes.add(route("vip-" + t, zone, VIP + "/32"));
            for (int r = 1; r < 200; r++) {
                routes.add(route("r-" + t + "-" + r, zone, "10.1." + t + "." + r + "/32"));
            }
            table.add("routes", routes);
            tables.add(table);
        }
        return scenario.toString();
    }

    private static JsonObject route(String name, String zone, String destination) {
        JsonObject route = new JsonObject();
        route.addProperty("name", name);
        route.addProperty("zone", zone);
        route.addProperty("destination", destination);
        route.addProperty("next_hop", "10.240.0.4");
        return route;
    }
}
