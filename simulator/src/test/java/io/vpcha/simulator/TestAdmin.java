package io.vpcha.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestAdmin {
    private static VpcSimulator simulator;
    private SimClient client;

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
    }

    @Test
    void journalListsCallsWithEndpointStatusLatencyAndCredentialKind() {
        client.get("/vpcs");
        client.get("/instances/nope");

        JsonObject journal = client.admin("GET", "/sim/journal", null).json();

        assertThat(journal.getAsJsonArray("entries")).hasSize(3);
        JsonObject last = journal.getAsJsonArray("entries").get(2).getAsJsonObject();
        long lastSequence = last.get("sequence").getAsLong();
        assertThat(journal.get("last_sequence").getAsLong()).isEqualTo(lastSequence);
        assertThat(last.get("method").getAsString()).isEqualTo("GET");
        assertThat(last.get("path").getAsString()).isEqualTo("/v1/instances/nope");
        assertThat(last.get("endpoint").getAsString()).isEqualTo("/v1/instances/{id}");
        assertThat(last.get("status").getAsInt()).isEqualTo(404);
        assertThat(last.get("credential_kind").getAsString()).isEqualTo("iam_token_apikey");
        assertThat(last.has("latency_ms")).isTrue();
        JsonObject after = client.admin("GET", "/sim/journal?after=" + (lastSequence - 1), null)
                .json();
        assertThat(after.getAsJsonArray("entries")).hasSize(1);
    }

    @Test
    void countersPerEndpoint() {
        client.get("/instances");
        client.get("/instances");
        client.get("/instances?limit=0");

        JsonObject counters = client.admin("GET", "/sim/counters", null).json();

        JsonObject instances = counters.getAsJsonObject("GET /v1/instances");
        assertThat(instances.get("calls").getAsInt()).isEqualTo(3);
        assertThat(instances.getAsJsonObject("by_status").get("200").getAsInt()).isEqualTo(2);
        assertThat(instances.getAsJsonObject("by_status").get("400").getAsInt()).isEqualTo(1);
        assertThat(counters.getAsJsonObject("POST /identity/token").get("calls").getAsInt())
                .isEqualTo(1);
    }

    @Test
    void resetRestoresTheScenario() {
        String routes = client.routesPath("egress");
        String id = client.routeByName("egress", "vip-z1").get("id").getAsString();
        client.delete(routes + "/" + id);
        assertThat(client.get(routes + "/" + id).status()).isEqualTo(404);

        assertThat(client.admin("POST", "/sim/reset", null).status()).isEqualTo(200);

        SimClient fresh = new SimClient(simulator).login(TestScenarios.ADMIN_KEY);
        assertThat(fresh.get(routes + "/" + id).status())
                .as("same ids after reset")
                .isEqualTo(200);
        assertThat(simulator.journal().entries()).hasSize(2);
        assertThat(client.get("/vpcs").status())
                .as("tokens are forgotten on reset")
                .isEqualTo(401);
    }

    @Test
    void stateDumpShowsTheWholeTopologyWithoutSecrets() {
        SimClient.Reply dump = client.admin("GET", "/sim/state", null);

        JsonObject state = dump.json();
        assertThat(state.get("region").getAsString()).isEqualTo("us-south");
        assertThat(state.getAsJsonArray("vpcs").get(0).getAsJsonObject().getAsJsonArray("routing_tables"))
                .hasSize(3);
        assertThat(state.getAsJsonArray("instances")).hasSize(7);
        assertThat(state.getAsJsonArray("floating_ips")
                        .get(0)
                        .getAsJsonObject()
                        .get("target_instance")
                        .getAsString())
                .isEqualTo("a1");
        assertThat(dump.raw().body())
                .doesNotContain(TestScenarios.ADMIN_KEY)
                .doesNotContain(TestScenarios.READONLY_KEY);
    }

    @Test
    void behaviourCanBeChangedAtRunTime() {
        SimClient.Reply changed =
                client.admin("PATCH", "/sim/behaviour", "{\"maximum_page_limit\":2,\"token_lifetime_seconds\":5}");

        assertThat(changed.json().get("maximum_page_limit").getAsInt()).isEqualTo(2);
        assertThat(client.get("/instances?limit=3").status()).isEqualTo(400);
        assertThat(client.iamToken(TestScenarios.ADMIN_KEY)
                        .json()
                        .get("expires_in")
                        .getAsInt())
                .isEqualTo(5);
        assertThat(client.admin("PATCH", "/sim/behaviour", "{\"warp_speed\":9}").status())
                .isEqualTo(400);
    }

    @Test
    void unknownPathsAndMethods() {
        assertThat(client.get("/no_such_collection").status()).isEqualTo(404);
        assertThat(client.delete("/vpcs").status()).isEqualTo(405);
        assertThat(client.admin("GET", "/sim/nothing", null).status()).isEqualTo(404);
    }
}
