package io.vpcha.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestPagination {
    private static VpcSimulator simulator;
    private SimClient client;
    private String routes;

    @BeforeAll
    static void start() {
        simulator = TestScenarios.start();
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @BeforeEach
    void reset() {
        simulator.reset();
        client = new SimClient(simulator).login(TestScenarios.ADMIN_KEY);
        routes = client.routesPath("egress");
        for (int i = 0; i < 7; i++) {
            SimClient.Reply created = client.post(
                    routes,
                    "{\"name\":\"page-" + i + "\",\"zone\":{\"name\":\"us-south-3\"},\"destination\":\"10.50." + i
                            + ".0/24\",\"next_hop\":{\"address\":\"10.10.1.11\"}}");
            assertThat(created.status()).isEqualTo(201);
        }
    }

    @Test
    void walksAllPagesThroughNextHref() {
        List<String> names = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        SimClient.Reply page = client.get(routes + "?limit=3");
        assertThat(page.json().getAsJsonObject("first").get("href").getAsString())
                .contains("limit=3");
        while (true) {
            JsonObject body = page.json();
            assertThat(body.get("limit").getAsInt()).isEqualTo(3);
            assertThat(body.get("total_count").getAsInt()).isEqualTo(10);
            pageSizes.add(body.getAsJsonArray("routes").size());
            for (JsonElement route : body.getAsJsonArray("routes")) {
                names.add(route.getAsJsonObject().get("name").getAsString());
            }
            if (!body.has("next")) {
                break;
            }
            String next = body.getAsJsonObject("next").get("href").getAsString();
            assertThat(next).contains("start=").contains("limit=3");
            page = client.getHref(next);
        }

        assertThat(pageSizes).containsExactly(3, 3, 3, 1);
        assertThat(names).hasSize(10).doesNotHaveDuplicates().contains("vip-z1", "page-0", "page-6");
    }

    @Test
    void deletingAnItemBetweenPagesSkipsNothingElse() {
        SimClient.Reply first = client.get(routes + "?limit=5");
        String next = first.json().getAsJsonObject("next").get("href").getAsString();
        String lastOfFirst = first.json()
                .getAsJsonArray("routes")
                .get(4)
                .getAsJsonObject()
                .get("id")
                .getAsString();
        assertThat(client.delete(routes + "/" + lastOfFirst).status()).isEqualTo(204);

        SimClient.Reply second = client.getHref(next);

        assertThat(second.json().getAsJsonArray("routes")).hasSize(5);
        assertThat(second.json().has("next")).isFalse();
    }

    @Test
    void limitDefaultsToFiftyAndIsBounded() {
        assertThat(client.get(routes).json().get("limit").getAsInt()).isEqualTo(50);
        assertThat(client.get(routes).json().has("next")).isFalse();
        assertThat(client.get(routes + "?limit=100").status()).isEqualTo(200);
        assertThat(client.get(routes + "?limit=101").status()).isEqualTo(400);
        assertThat(client.get(routes + "?limit=0").status()).isEqualTo(400);
        assertThat(client.get(routes + "?limit=abc").status()).isEqualTo(400);
        simulator.behaviour().maximumPageLimit = 5;
        assertThat(client.get(routes + "?limit=6").status()).isEqualTo(400);
    }

    @Test
    void forgedStartTokenIsRejected() {
        SimClient.Reply reply = client.get(routes + "?start=deadbeef1&limit=2");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json()
                        .getAsJsonArray("errors")
                        .get(0)
                        .getAsJsonObject()
                        .getAsJsonObject("target")
                        .get("name")
                        .getAsString())
                .isEqualTo("start");
    }

    @Test
    void everyPaginatedCollectionPaginates() {
        String vni = client.get("/virtual_network_interfaces")
                .json()
                .getAsJsonArray("virtual_network_interfaces")
                .get(0)
                .getAsJsonObject()
                .get("id")
                .getAsString();
        String subnet = client.get("/subnets")
                .json()
                .getAsJsonArray("subnets")
                .get(0)
                .getAsJsonObject()
                .get("id")
                .getAsString();
        List<String> collections = List.of(
                "/vpcs",
                "/vpcs/" + client.vpcId() + "/routing_tables",
                routes,
                "/floating_ips",
                "/instances",
                "/subnets",
                "/subnets/" + subnet + "/reserved_ips",
                "/virtual_network_interfaces",
                "/virtual_network_interfaces/" + vni + "/ips",
                "/virtual_network_interfaces/" + vni + "/floating_ips",
                "/load_balancers");
        for (String collection : collections) {
            JsonObject page = client.get(collection + (collection.contains("?") ? "&" : "?") + "limit=1")
                    .json();
            assertThat(page.keySet()).as(collection).contains("first", "limit", "total_count");
            assertThat(page.has("next"))
                    .as(collection)
                    .isEqualTo(page.get("total_count").getAsInt() > 1);
        }
    }
}
