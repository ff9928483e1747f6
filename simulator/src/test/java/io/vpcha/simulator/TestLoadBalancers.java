package io.vpcha.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.vpcha.simulator.oracle.Delivery;
import io.vpcha.simulator.oracle.TrafficSource;
import io.vpcha.simulator.scenario.Scenario;
import io.vpcha.simulator.time.ManualClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Load balancers with real health checks: two members on loopback addresses (127.0.0.1 and 127.0.0.2,
 * as nodes in namespaces have their own addresses), probed over TCP on a manual clock.
 */
class TestLoadBalancers {
    private final ManualClock clock = new ManualClock();
    private final List<ServerSocket> listeners = new ArrayList<>();
    private VpcSimulator simulator;
    private SimClient client;
    private int portA;
    private int portB;

    @BeforeEach
    void start() throws IOException {
        portA = freePort("127.0.0.1");
        portB = freePort("127.0.0.2");
        simulator = VpcSimulator.start(SimulatorOptions.builder()
                .scenario(Scenario.fromJson("lb", """
                        {"zones":["us-south-1"],
                         "vpcs":[{"name":"v","subnets":[{"name":"loop","zone":"us-south-1","cidr":"127.0.0.0/24"}]}],
                         "api_keys":[{"name":"k","key":"k1"}],
                         "instances":[
                           {"name":"node-a","zone":"us-south-1","network_interfaces":[{"name":"eth0","subnet":"loop","address":"127.0.0.1"}]},
                           {"name":"node-b","zone":"us-south-1","network_interfaces":[{"name":"eth0","subnet":"loop","address":"127.0.0.2"}]}],
                         "load_balancers":[{"name":"lb","private_ips":["127.0.0.200"],
                           "listeners":[{"port":80,"default_pool":"pool"}],
                           "pools":[{"name":"pool","algorithm":"weighted_round_robin",
                             "health_monitor":{"type":"tcp","delay":5,"max_retries":2,"timeout":1},
                             "members":[{"port":%d,"target":"node-a","weight":100,"health":"unknown"},
                                        {"port":%d,"target":"127.0.0.2","weight":100,"health":"unknown"}]}]}]}
                        """.formatted(portA, portB)))
                .clock(clock)
                .behaviour(b -> b.loadBalancerUpdateMillis = 1_000)
                .build());
        client = new SimClient(simulator).login("k1");
    }

    @AfterEach
    void stop() throws IOException {
        simulator.close();
        for (ServerSocket listener : listeners) {
            listener.close();
        }
    }

    /** A port free on {@code address} (closed again). */
    private static int freePort(String address) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return socket.getLocalPort();
        }
    }

    private ServerSocket listen(String address, int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getByName(address), port));
        listeners.add(socket);
        return socket;
    }

    private JsonObject lb() {
        return client.get("/load_balancers")
                .json()
                .getAsJsonArray("load_balancers")
                .get(0)
                .getAsJsonObject();
    }

    private String membersPath() {
        JsonObject lb = lb();
        String lbId = lb.get("id").getAsString();
        String poolId =
                lb.getAsJsonArray("pools").get(0).getAsJsonObject().get("id").getAsString();
        return "/load_balancers/" + lbId + "/pools/" + poolId + "/members";
    }

    private String firstMemberId(String members) {
        return client.get(members)
                .json()
                .getAsJsonArray("members")
                .get(0)
                .getAsJsonObject()
                .get("id")
                .getAsString();
    }

    private List<String> health() {
        List<String> health = new ArrayList<>();
        client.get(membersPath())
                .json()
                .getAsJsonArray("members")
                .forEach(m -> health.add(m.getAsJsonObject().get("health").getAsString()));
        return health;
    }

    private Delivery toLoadBalancer() {
        return simulator.oracle().deliver("127.0.0.200", TrafficSource.fromZone("us-south-1"));
    }

    @Test
    void loadBalancerPoolAndMemberCarryEveryRequiredField() {
        JsonObject lb = lb();
        String lbId = lb.get("id").getAsString();
        JsonObject pool = client.get("/load_balancers/" + lbId + "/pools")
                .json()
                .getAsJsonArray("pools")
                .get(0)
                .getAsJsonObject();
        JsonObject member = client.get(membersPath())
                .json()
                .getAsJsonArray("members")
                .get(0)
                .getAsJsonObject();
        JsonObject listener = client.get("/load_balancers/" + lbId + "/listeners")
                .json()
                .getAsJsonArray("listeners")
                .get(0)
                .getAsJsonObject();

        assertThat(lb.keySet())
                .contains(
                        "access_mode",
                        "availability",
                        "created_at",
                        "crn",
                        "failsafe_policy_actions",
                        "hostname",
                        "href",
                        "id",
                        "instance_groups_supported",
                        "is_private_path",
                        "is_public",
                        "listeners",
                        "logging",
                        "name",
                        "operating_status",
                        "pools",
                        "private_ips",
                        "profile",
                        "provisioning_status",
                        "public_ips",
                        "resource_group",
                        "resource_type",
                        "route_mode",
                        "security_groups",
                        "security_groups_supported",
                        "source_ip_session_persistence_supported",
                        "subnets",
                        "udp_supported");
        assertThat(lb.getAsJsonArray("private_ips")
                        .get(0)
                        .getAsJsonObject()
                        .get("address")
                        .getAsString())
                .isEqualTo("127.0.0.200");
        assertThat(pool.keySet())
                .contains(
                        "algorithm",
                        "created_at",
                        "failsafe_policy",
                        "health_monitor",
                        "href",
                        "id",
                        "members",
                        "name",
                        "protocol",
                        "provisioning_status",
                        "proxy_protocol");
        assertThat(pool.getAsJsonObject("health_monitor").keySet()).contains("delay", "max_retries", "timeout", "type");
        assertThat(member.keySet())
                .contains("created_at", "health", "href", "id", "port", "provisioning_status", "target", "weight");
        assertThat(listener.getAsJsonObject("default_pool").get("name").getAsString())
                .isEqualTo("pool");
    }

    @Test
    void probesMakeTheListeningMemberOkAndTheOtherFaultedAfterMaxRetries() throws IOException {
        listen("127.0.0.1", portA);

        clock.advance(Duration.ZERO); // the first round is due at once
        List<String> afterOne = health();
        clock.advance(Duration.ofSeconds(4));
        List<String> beforeDelay = health();
        clock.advance(Duration.ofSeconds(1));
        List<String> afterTwo = health();
        Delivery delivery = toLoadBalancer();

        assertThat(afterOne).containsExactly("ok", "unknown");
        assertThat(beforeDelay).containsExactly("ok", "unknown");
        assertThat(afterTwo).containsExactly("ok", "faulted");
        assertThat(delivery.instanceName()).hasValue("node-a");
        assertThat(delivery.candidateInstanceIds()).containsExactly(simulator.instanceId("node-a"));
        assertThat(delivery.via()).isEqualTo("load balancer lb pool pool");
    }

    @Test
    void trafficFollowsHealthWhenTheListenerMovesToTheOtherNode() throws IOException {
        ServerSocket onA = listen("127.0.0.1", portA);
        clock.advance(Duration.ZERO);
        clock.advance(Duration.ofSeconds(5));
        String before = toLoadBalancer().instanceName().orElseThrow();

        onA.close();
        listen("127.0.0.2", portB);
        clock.advance(Duration.ofSeconds(5));
        List<String> oneRoundLater = health();
        clock.advance(Duration.ofSeconds(5));
        List<String> twoRoundsLater = health();
        String after = toLoadBalancer().instanceName().orElseThrow();
        long healthEvents = simulator.events().after(0).stream()
                .filter(e -> e.type().equals("load_balancer_member_health"))
                .count();

        assertThat(before).isEqualTo("node-a");
        // faulted -> ok and ok -> faulted both take max_retries (2) results in a row
        assertThat(oneRoundLater).containsExactly("ok", "faulted");
        assertThat(twoRoundsLater).containsExactly("faulted", "ok");
        assertThat(after).isEqualTo("node-b");
        assertThat(healthEvents).isEqualTo(4);
    }

    @Test
    void weightZeroAndStoppedInstancesGetNoTraffic() throws IOException {
        listen("127.0.0.1", portA);
        listen("127.0.0.2", portB);
        clock.advance(Duration.ZERO);
        String members = membersPath();
        String first = firstMemberId(members);

        Delivery both = toLoadBalancer();
        client.patch(members + "/" + first, "{\"weight\":0}");
        Delivery weighted = toLoadBalancer();
        clock.advance(Duration.ofSeconds(1));
        client.admin("POST", "/sim/instances/node-b/status", "{\"status\":\"stopped\"}");
        Delivery none = toLoadBalancer();

        assertThat(both.candidateInstanceIds()).hasSize(2);
        assertThat(weighted.instanceName()).hasValue("node-b");
        assertThat(none.isDropped()).isTrue();
        assertThat(none.reason()).contains("weight 0").contains("node-b is stopped");
    }

    @Test
    void changesWhileUpdatePendingGet409UntilTheDelayHasPassed() {
        String members = membersPath();
        String first = firstMemberId(members);

        SimClient.Reply patched = client.patch(members + "/" + first, "{\"weight\":10}");
        String pending = lb().get("provisioning_status").getAsString();
        SimClient.Reply conflict = client.patch(members + "/" + first, "{\"weight\":20}");
        clock.advance(Duration.ofSeconds(1));
        SimClient.Reply later = client.patch(members + "/" + first, "{\"weight\":20}");

        assertThat(patched.status()).isEqualTo(200);
        assertThat(pending).isEqualTo("update_pending");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.errorCode()).isEqualTo("load_balancer_update_conflict");
        assertThat(later.status()).isEqualTo(200);
    }

    @Test
    void poolHealthMonitorCanBeChangedAndIsChecked() {
        JsonObject lb = lb();
        String pool = "/load_balancers/" + lb.get("id").getAsString() + "/pools/"
                + lb.getAsJsonArray("pools").get(0).getAsJsonObject().get("id").getAsString();

        SimClient.Reply bad = client.patch(pool, "{\"health_monitor\":{\"delay\":5,\"timeout\":5}}");
        SimClient.Reply good = client.patch(
                pool, "{\"health_monitor\":{\"type\":\"http\",\"url_path\":\"/health\",\"port\":8080,\"delay\":10}}");

        assertThat(bad.status()).isEqualTo(400);
        assertThat(good.status()).isEqualTo(200);
        JsonObject monitor = good.json().getAsJsonObject("health_monitor");
        assertThat(monitor.get("type").getAsString()).isEqualTo("http");
        assertThat(monitor.get("url_path").getAsString()).isEqualTo("/health");
        assertThat(monitor.get("port").getAsInt()).isEqualTo(8080);
        assertThat(monitor.get("delay").getAsInt()).isEqualTo(10);
    }

    @Test
    void closeStopsTheProbingThreads() {
        try (VpcSimulator probing = VpcSimulator.start(Scenario.fromJson("probing", """
                {"zones":["us-south-1"],
                 "vpcs":[{"name":"v","subnets":[{"name":"s","zone":"us-south-1","cidr":"10.255.255.0/24"}]}],
                 "load_balancers":[{"name":"lb","pools":[{"name":"p",
                   "health_monitor":{"type":"tcp","delay":60,"max_retries":2,"timeout":59},
                   "members":[{"port":9,"target":"10.255.255.1"}]}]}]}
                """))) {
            probing.healthChecks().runDue(false);
        }

        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("vpc-simulator-health"));
    }
}
