package io.vpcha.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.vpcha.simulator.oracle.Delivery;
import io.vpcha.simulator.oracle.TrafficSource;
import io.vpcha.simulator.time.ManualClock;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Instance power actions as fence_ibm_vpc (fence-agents 4.12.1) uses them, their status transitions on
 * the simulator's clock, the events a harness waits for, and what the oracle makes of a stopped node.
 */
class TestPowerActions {
    /** The version date fence_ibm_vpc 4.12.1 sends. */
    private static final String FENCE_VERSION = "version=2021-05-25&generation=2";

    private static final ManualClock clock = new ManualClock();
    private static VpcSimulator simulator;
    private SimClient client;

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

    private String id(String name) {
        return simulator.instanceId(name);
    }

    private String status(String name) {
        return client.get("/instances/" + id(name)).json().get("status").getAsString();
    }

    private SimClient.Reply action(String name, String body) {
        return client.post("/instances/" + id(name) + "/actions", body);
    }

    @Test
    void stopGoesThroughStoppingToStoppedAfterTheConfiguredDelay() {
        simulator.behaviour().instanceStopMillis = 3_000;

        SimClient.Reply created = action("a1", "{\"type\" : \"stop\"}");
        String during = status("a1");
        clock.advance(Duration.ofMillis(2_999));
        String almost = status("a1");
        clock.advance(Duration.ofMillis(1));
        String after = status("a1");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("type").getAsString()).isEqualTo("stop");
        assertThat(created.json().get("force").getAsBoolean()).isFalse();
        assertThat(created.json().keySet()).contains("id", "href", "created_at", "status");
        assertThat(during).isEqualTo("stopping");
        assertThat(almost).isEqualTo("stopping");
        assertThat(after).isEqualTo("stopped");
    }

    @Test
    void startAndRebootGoThroughStartingAndRestarting() {
        simulator.behaviour().instanceStopMillis = 0;
        action("a1", "{\"type\":\"stop\",\"force\":true}");
        String stopped = status("a1");

        action("a1", "{\"type\":\"start\"}");
        String starting = status("a1");
        clock.advance(Duration.ofMillis(simulator.behaviour().instanceStartMillis));
        String running = status("a1");
        action("a1", "{\"type\":\"reboot\"}");
        String restarting = status("a1");
        clock.advance(Duration.ofMillis(simulator.behaviour().instanceRebootMillis));

        assertThat(stopped).isEqualTo("stopped");
        assertThat(starting).isEqualTo("starting");
        assertThat(running).isEqualTo("running");
        assertThat(restarting).isEqualTo("restarting");
        assertThat(status("a1")).isEqualTo("running");
    }

    @Test
    void aNewerActionWinsOverTheTransitionOfAnOlderOne() {
        action("a1", "{\"type\":\"stop\"}");
        action("a1", "{\"type\":\"start\"}");
        clock.advance(Duration.ofSeconds(10));

        assertThat(status("a1")).isEqualTo("running");
    }

    @Test
    void badActionsAreRefused() {
        assertThat(action("a1", "{\"type\":\"hibernate\"}").errorCode()).isEqualTo("invalid_value");
        assertThat(action("a1", "{}").status()).isEqualTo(400);
        assertThat(action("a1", "{\"type\":\"stop\",\"force\":\"yes\"}").status())
                .isEqualTo(400);
        assertThat(client.post("/instances/0717_nope/actions", "{\"type\":\"stop\"}")
                        .status())
                .isEqualTo(404);
        assertThat(new SimClient(simulator)
                        .login(TestScenarios.READONLY_KEY)
                        .post("/instances/" + id("a1") + "/actions", "{\"type\":\"stop\"}")
                        .status())
                .isEqualTo(403);
        assertThat(status("a1")).isEqualTo("running");
    }

    /** The requests fence_ibm_vpc makes for "off" then "status", with its own version date and body. */
    @Test
    void fenceAgentSequenceListsReadsAndPowersOff() {
        SimClient.Reply list =
                client.send(client.requestFor(simulator.vpcUrl() + "/instances?" + FENCE_VERSION + "&limit=50"));
        JsonObject listed = list.json().getAsJsonArray("instances").get(0).getAsJsonObject();
        SimClient.Reply byName = client.get("/instances?name=a2");

        SimClient.Reply off = client.send(
                client.requestFor(simulator.vpcUrl() + "/instances/" + id("a2") + "/actions?" + FENCE_VERSION)
                        .header("Content-Type", "application/json")
                        .POST(BodyPublishers.ofString("{\"type\" : \"stop\"}")));
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 5 && !seen.contains("stopped"); i++) {
            seen.add(client.send(client.requestFor(simulator.vpcUrl() + "/instances/" + id("a2") + "?" + FENCE_VERSION))
                    .json()
                    .get("status")
                    .getAsString());
            clock.advance(Duration.ofMillis(500));
        }

        assertThat(list.status()).isEqualTo(200);
        assertThat(listed.keySet()).contains("id", "name", "status");
        assertThat(byName.json().getAsJsonArray("instances")).hasSize(1);
        assertThat(off.status()).isEqualTo(201);
        // fence_ibm_vpc maps every status it sees; only these keep it from failing with a KeyError.
        assertThat(seen).isSubsetOf("running", "stopped", "starting", "stopping", "restarting", "pending");
        assertThat(seen).startsWith("stopping").endsWith("stopped");
    }

    @Test
    void eventsTellAWaitingHarnessAtOnce() throws Exception {
        long last = client.admin("GET", "/sim/events", null)
                .json()
                .get("last_sequence")
                .getAsLong();
        CompletableFuture<SimClient.Reply> waiting = CompletableFuture.supplyAsync(
                () -> client.admin("GET", "/sim/events?type=instance_status&wait=8&since=" + last, null));

        action("b1", "{\"type\":\"stop\"}");
        SimClient.Reply woken = waiting.get(8, TimeUnit.SECONDS);
        clock.advance(Duration.ofMillis(simulator.behaviour().instanceStopMillis));
        SimClient.Reply next = client.admin(
                "GET",
                "/sim/events?type=instance_status&since="
                        + woken.json().get("last_sequence").getAsLong(),
                null);

        JsonObject event = woken.json().getAsJsonArray("events").get(0).getAsJsonObject();
        assertThat(event.get("type").getAsString()).isEqualTo("instance_status");
        assertThat(event.getAsJsonObject("instance").get("name").getAsString()).isEqualTo("b1");
        assertThat(event.get("status").getAsString()).isEqualTo("stopping");
        assertThat(event.get("previous").getAsString()).isEqualTo("running");
        List<String> statuses = new ArrayList<>();
        for (JsonElement e : next.json().getAsJsonArray("events")) {
            statuses.add(e.getAsJsonObject().get("status").getAsString());
        }
        assertThat(statuses).containsExactly("stopped");
    }

    @Test
    void eventsWithoutNewsAnswerEmptyAfterTheWait() {
        long last = simulator.events().lastSequence();

        SimClient.Reply reply = client.admin("GET", "/sim/events?wait=0&since=" + last, null);

        assertThat(reply.json().getAsJsonArray("events")).isEmpty();
        assertThat(reply.json().get("last_sequence").getAsLong()).isEqualTo(last);
    }

    @Test
    void aStoppedInstanceReceivesNothing() {
        simulator.behaviour().instanceStopMillis = 0;
        String secondary = "10.10.2.50"; // b1's secondary IP

        Delivery before = simulator.oracle().deliver(secondary, TrafficSource.fromZone("us-south-1"));
        action("b1", "{\"type\":\"stop\"}");
        Delivery after = simulator.oracle().deliver(secondary, TrafficSource.fromZone("us-south-1"));

        assertThat(before.instanceName()).hasValue("b1");
        assertThat(after.isDropped()).isTrue();
        assertThat(after.lostAtInstanceName()).hasValue("b1");
    }
}
