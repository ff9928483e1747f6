package io.vpcha.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcha.simulator.fault.FaultRule;
import io.vpcha.simulator.oracle.TrafficSource;
import io.vpcha.simulator.scenario.Scenario;
import io.vpcha.simulator.time.ManualClock;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestFaults {
    private static VpcSimulator simulator;
    private SimClient client;

    private static final ManualClock clock = new ManualClock();

    @BeforeAll
    static void start() {
        simulator = TestScenarios.start(clock);
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

    private long timed(Runnable call) {
        long start = System.nanoTime();
        call.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void fixedLatencyOnMatchingEndpointsOnly() {
        simulator
                .faults()
                .add(FaultRule.latency(300, 0).service("vpc").method("GET").path("/v1/floating_ips"));

        long slow = timed(() -> client.get("/floating_ips"));
        long fast = timed(() -> client.get("/instances"));

        assertThat(slow).isGreaterThanOrEqualTo(300);
        assertThat(fast).isLessThan(250);
    }

    @Test
    void forbiddenMethodsAreRefusedAsIamRefusesThemAndOthersPass() {
        List<FaultRule> rules = simulator.faults().forbid("vpc", "POST", "DELETE");

        assertThat(rules).hasSize(2);
        assertThat(simulator.faults().list()).containsExactlyElementsOf(rules);
        for (String method : List.of("POST", "DELETE")) {
            assertThat(simulator
                            .faults()
                            .evaluate("vpc", method, "/v1/vpcs", null, null)
                            .terminal())
                    .as(method)
                    .extracting(FaultRule::kind, FaultRule::status, FaultRule::code)
                    .containsExactly(FaultRule.Kind.STATUS, 403, "not_authorized");
        }
        assertThat(simulator
                        .faults()
                        .evaluate("vpc", "GET", "/v1/vpcs", null, null)
                        .isEmpty())
                .as("a read passes")
                .isTrue();
        assertThat(simulator
                        .faults()
                        .evaluate("iam", "POST", "/identity/token", null, null)
                        .isEmpty())
                .as("another service passes")
                .isTrue();
    }

    @Test
    void jitteredLatencyStaysWithinItsBounds() {
        simulator.faults().add(FaultRule.latency(50, 100).path("/v1/vpcs"));
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            times.add(timed(() -> client.get("/vpcs")));
        }

        assertThat(times).allSatisfy(t -> assertThat(t).isBetween(50L, 1000L));
    }

    @Test
    void statusForTheNextNCallsWithRetryAfter() {
        simulator.faults().add(FaultRule.status(429).path("/v1/vpcs").count(2).retryAfterSeconds(3));

        SimClient.Reply first = client.get("/vpcs");
        SimClient.Reply second = client.get("/vpcs");
        SimClient.Reply third = client.get("/vpcs");

        assertThat(first.status()).isEqualTo(429);
        assertThat(first.header("Retry-After")).hasValue("3");
        assertThat(first.header("X-RateLimit-Remaining")).hasValue("0");
        assertThat(first.json().get("trace").getAsString()).isNotBlank();
        assertThat(second.status()).isEqualTo(429);
        assertThat(third.status()).isEqualTo(200);
    }

    @Test
    void statusAtARate() {
        simulator.faults().add(FaultRule.status(503).path("/v1/instances").rate(0.5));
        int failures = 0;
        for (int i = 0; i < 60; i++) {
            if (client.get("/instances").status() == 503) {
                failures++;
            }
        }

        assertThat(failures).isBetween(10, 50);
    }

    @Test
    void internalErrorWithTheVpcErrorFormat() {
        simulator.faults().add(FaultRule.status(500).method("PATCH").count(1));
        String id = client.routeByName("egress", "vip-z1").get("id").getAsString();

        SimClient.Reply reply = client.patch(client.routesPath("egress") + "/" + id, "{\"priority\":1}");

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.errorCode()).isEqualTo("internal_error");
        assertThat(client.routeByName("egress", "vip-z1").get("priority").getAsInt())
                .as("the failed call changed nothing")
                .isEqualTo(2);
    }

    @Test
    void connectionReset() {
        // Unlimited: the JDK client silently retries an idempotent GET once after a dropped connection.
        FaultRule rule = simulator.faults().add(FaultRule.reset().path("/v1/vpcs"));

        assertThatThrownBy(() -> client.get("/vpcs")).isInstanceOf(UncheckedIOException.class);
        simulator.faults().remove(rule.id());
        assertThat(client.get("/vpcs").status()).isEqualTo(200);
        assertThat(simulator.journal().find(e -> e.path().equals("/v1/vpcs") && e.status() == 0))
                .isNotEmpty();
    }

    @Test
    void hangPastTheClientTimeoutAndCloseStaysPrompt() throws Exception {
        VpcSimulator own = TestScenarios.start();
        try {
            own.faults().add(FaultRule.hang(30_000).service("iam"));
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create(own.iamUrl() + "/identity/token"))
                    .timeout(Duration.ofMillis(300))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey=test-admin-key"))
                    .build();

            assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(HttpTimeoutException.class);
        } finally {
            long closing = timed(own::close);
            assertThat(closing).isLessThan(3000);
        }
    }

    @Test
    void iamOutage() {
        simulator.faults().add(FaultRule.iamOutage());

        SimClient.Reply reply = client.iamToken(TestScenarios.ADMIN_KEY);

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.json().has("errorCode")).isTrue();
        assertThat(client.get("/vpcs").status())
                .as("existing tokens keep working")
                .isEqualTo(200);
    }

    @Test
    void metadataOutageAndPerInstanceFaults() {
        simulator.faults().add(FaultRule.status(503).service("metadata").instance("a1"));
        HttpRequest.Builder a1 = HttpRequest.newBuilder(
                        URI.create(simulator.metadataUrlFor("a1") + "/instance_identity/v1/token?version=2022-03-01"))
                .header("Metadata-Flavor", "ibm")
                .PUT(HttpRequest.BodyPublishers.noBody());
        HttpRequest.Builder a2 = HttpRequest.newBuilder(
                        URI.create(simulator.metadataUrlFor("a2") + "/instance_identity/v1/token?version=2022-03-01"))
                .header("Metadata-Flavor", "ibm")
                .PUT(HttpRequest.BodyPublishers.noBody());

        assertThat(client.send(a1).status()).isEqualTo(503);
        assertThat(client.send(a2).status()).isEqualTo(200);

        simulator.faults().clear();
        simulator.faults().add(FaultRule.metadataOutage());
        assertThatThrownBy(() -> client.send(a2)).isInstanceOf(UncheckedIOException.class);
        assertThat(client.get("/vpcs").status()).as("VPC API unaffected").isEqualTo(200);
    }

    @Test
    void patchTakesEffectOnlyAfterTheApplyDelay() {
        simulator.faults().add(FaultRule.applyDelay(600).method("PATCH").path("/v1/vpcs/*/routing_tables/*/routes/*"));
        String routes = client.routesPath("egress");
        String id = client.routeByName("egress", "vip-z2").get("id").getAsString();

        SimClient.Reply patched = client.patch(routes + "/" + id, "{\"next_hop\":{\"address\":\"10.10.2.10\"}}");
        String readBack = client.get(routes + "/" + id)
                .json()
                .getAsJsonObject("next_hop")
                .get("address")
                .getAsString();
        String oracleBefore = simulator
                .oracle()
                .deliver("10.99.0.100", TrafficSource.fromZone("us-south-2"))
                .instanceName()
                .orElseThrow();
        clock.advance(Duration.ofMillis(599));
        String readAlmost = client.get(routes + "/" + id)
                .json()
                .getAsJsonObject("next_hop")
                .get("address")
                .getAsString();
        clock.advance(Duration.ofMillis(1));
        String readLater = client.get(routes + "/" + id)
                .json()
                .getAsJsonObject("next_hop")
                .get("address")
                .getAsString();
        String oracleAfter = simulator
                .oracle()
                .deliver("10.99.0.100", TrafficSource.fromZone("us-south-2"))
                .instanceName()
                .orElseThrow();

        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().getAsJsonObject("next_hop").get("address").getAsString())
                .isEqualTo("10.10.2.10");
        assertThat(readBack).isEqualTo("10.10.1.10");
        assertThat(readAlmost).isEqualTo("10.10.1.10");
        assertThat(oracleBefore).isEqualTo("a1");
        assertThat(readLater).isEqualTo("10.10.2.10");
        assertThat(oracleAfter).isEqualTo("b1");
    }

    @Test
    void floatingIpMoveDelayFromBehaviour() {
        simulator.behaviour().floatingIpPatchDelayMillis = 500;
        var fip1 = client.get("/floating_ips?target.name=eth0")
                .json()
                .getAsJsonArray("floating_ips")
                .get(0)
                .getAsJsonObject();
        String a2Nic = client.get("/instances?name=a2")
                .json()
                .getAsJsonArray("instances")
                .get(0)
                .getAsJsonObject()
                .getAsJsonObject("primary_network_interface")
                .get("id")
                .getAsString();

        client.patch("/floating_ips/" + fip1.get("id").getAsString(), "{\"target\":{\"id\":\"" + a2Nic + "\"}}");
        String before = client.get("/floating_ips/" + fip1.get("id").getAsString())
                .json()
                .getAsJsonObject("target")
                .get("id")
                .getAsString();
        clock.advance(Duration.ofMillis(500));
        String after = client.get("/floating_ips/" + fip1.get("id").getAsString())
                .json()
                .getAsJsonObject("target")
                .get("id")
                .getAsString();

        assertThat(before).isNotEqualTo(a2Nic);
        assertThat(after).isEqualTo(a2Nic);
    }

    @Test
    void faultsFromTheScenarioAndFromTheAdminApi() {
        try (VpcSimulator seeded = VpcSimulator.start(Scenario.fromJson("""
                {"zones":["us-south-1"],"api_keys":[{"name":"k","key":"k1"}],
                 "faults":[{"kind":"status","service":"iam","status":500,"count":1}]}
                """))) {
            SimClient seededClient = new SimClient(seeded);
            assertThat(seededClient.iamToken("k1").status()).isEqualTo(500);
            assertThat(seededClient.iamToken("k1").status()).isEqualTo(200);
        }

        SimClient.Reply added = client.admin(
                "POST", "/sim/faults", "{\"kind\":\"status\",\"status\":429,\"path\":\"/v1/instances\",\"count\":5}");
        String id = added.json().get("id").getAsString();
        SimClient.Reply listed = client.admin("GET", "/sim/faults", null);
        SimClient.Reply limited = client.get("/instances");
        SimClient.Reply removed = client.admin("DELETE", "/sim/faults/" + id, null);

        assertThat(added.status()).isEqualTo(201);
        assertThat(listed.json().getAsJsonArray("faults")).hasSize(1);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(removed.status()).isEqualTo(204);
        assertThat(client.get("/instances").status()).isEqualTo(200);
        assertThat(client.admin("POST", "/sim/faults", "{\"kind\":\"teleport\"}")
                        .status())
                .isEqualTo(400);
    }
}
