package io.vpcha.strategy.customroute;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vpcha.simulator.scenario.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The three-zone scenario grown by egress tables that each hold a route for the VIP: many tables to read. */
final class MoreEgressTables {
    private static final String NODE_A = "10.240.0.4";

    private MoreEgressTables() {}

    /**
     * The three-zone scenario as JSON with {@code count} more egress tables {@code prefix-0},
     * {@code prefix-1}, ...: table t is in zone us-south-(t mod 3 + 1) and holds the route vip-t for
     * {@code vip}/32, then {@code otherRoutes} routes r-t-1, r-t-2, ... for 10.1.t.1/32, 10.1.t.2/32, ...;
     * every route leads to node-a.
     */
    static String scenario(String prefix, int count, String vip, int otherRoutes) throws IOException {
        JsonObject scenario;
        try (InputStream in = Scenario.class.getResourceAsStream("/io/vpcha/simulator/scenarios/three-zone.json")) {
            scenario = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
        }
        JsonArray tables =
                scenario.getAsJsonArray("vpcs").get(0).getAsJsonObject().getAsJsonArray("routing_tables");
        for (int t = 0; t < count; t++) {
            String zone = "us-south-" + (t % 3 + 1);
            JsonArray routes = new JsonArray();
            routes.add(route("vip-" + t, zone, vip + "/32"));
            for (int r = 1; r <= otherRoutes; r++) {
                routes.add(route("r-" + t + "-" + r, zone, "10.1." + t + "." + r + "/32"));
            }
            JsonObject table = new JsonObject();
            table.addProperty("name", prefix + "-" + t);
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
        route.addProperty("next_hop", NODE_A);
        return route;
    }
}
