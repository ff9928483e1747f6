package io.vpcha.strategy.customroute;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vpcha.simulator.scenario.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The three-zone scenario with more egress tables, each holding a route for the VIP: for tests of many tables. */
final class ManyTables {
    private ManyTables() {}

    /**
     * @param tables how many egress tables to add, named {@code prefix0}, {@code prefix1}, ...; table t
     *     holds the VIP's route {@code vip-t} in zone us-south-(t % 3 + 1)
     * @param routesPerTable the routes of each added table, the VIP's included (the others lead elsewhere)
     */
    static String threeZoneWith(int tables, String prefix, int routesPerTable, String vip) throws IOException {
        JsonObject scenario;
        try (InputStream in = Scenario.class.getResourceAsStream("/io/vpcha/simulator/scenarios/three-zone.json")) {
            scenario = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
        }
        JsonArray all = scenario.getAsJsonArray("vpcs").get(0).getAsJsonObject().getAsJsonArray("routing_tables");
        for (int t = 0; t < tables; t++) {
            String zone = "us-south-" + (t % 3 + 1);
            JsonArray routes = new JsonArray();
            routes.add(route("vip-" + t, zone, vip + "/32"));
            for (int r = 1; r < routesPerTable; r++) {
                routes.add(route("r-" + t + "-" + r, zone, "10.1." + t + "." + r + "/32"));
            }
            JsonObject table = new JsonObject();
            table.addProperty("name", prefix + t);
            table.add("routes", routes);
            all.add(table);
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
