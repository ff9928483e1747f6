package io.vpcha.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcha.simulator.oracle.Delivery;
import io.vpcha.simulator.oracle.ForwardingOracle;
import io.vpcha.simulator.oracle.TrafficSource;
import io.vpcha.simulator.oracle.TrafficSource.Ingress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestOracle {
    private static final String VIP = "10.99.0.100";
    private static VpcSimulator simulator;
    private SimClient client;
    private ForwardingOracle oracle;
    private String egress;
    private String ingress;

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
        oracle = simulator.oracle();
        egress = client.routesPath("egress");
        ingress = client.routesPath("ingress");
    }

    private String addRoute(String routes, String name, String zone, String destination, String nextHop, int priority) {
        SimClient.Reply reply = client.post(
                routes,
                "{\"name\":\"" + name + "\",\"zone\":{\"name\":\"" + zone + "\"},\"destination\":\"" + destination
                        + "\",\"next_hop\":{\"address\":\"" + nextHop + "\"},\"priority\":" + priority + "}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().get("id").getAsString();
    }

    @Test
    void egressRouteDeliversToItsNextHopAndFollowsAPatch() {
        assertThat(oracle.deliver(VIP, TrafficSource.fromZone("us-south-2")).instanceName())
                .hasValue("a1");

        String id = client.routeByName("egress", "vip-z2").get("id").getAsString();
        assertThat(client.patch(egress + "/" + id, "{\"next_hop\":{\"address\":\"10.10.2.10\"}}")
                        .status())
                .isEqualTo(200);

        Delivery fromZone2 = oracle.deliver(VIP, TrafficSource.fromZone("us-south-2"));
        assertThat(fromZone2.isDelivered()).isTrue();
        assertThat(fromZone2.instanceName()).hasValue("b1");
        assertThat(fromZone2.nextHop()).hasValue("10.10.2.10");
        assertThat(oracle.deliver(VIP, TrafficSource.fromZone("us-south-1")).instanceName())
                .as("zone 1 keeps its own route")
                .hasValue("a1");
    }

    @Test
    void egressRoutesAreScopedToTheSourceZone() {
        Delivery fromZone3 = oracle.deliver(VIP, TrafficSource.fromZone("us-south-3"));

        assertThat(fromZone3.isDropped()).isTrue();
        assertThat(fromZone3.reason()).contains("no route");
    }

    @Test
    void sourceSubnetSelectsItsRoutingTable() {
        assertThat(oracle.deliver(VIP, TrafficSource.fromSubnet("s1")).instanceName())
                .hasValue("a1");
        assertThat(oracle.deliver(VIP, TrafficSource.fromSubnet("s3")).isDropped())
                .isTrue();
    }

    @Test
    void longestPrefixWinsOverPriority() {
        addRoute(egress, "wide", "us-south-1", "10.99.0.0/24", "10.10.1.11", 0);

        assertThat(oracle.deliver(VIP, TrafficSource.fromZone("us-south-1")).instanceName())
                .hasValue("a1");
        assertThat(oracle.deliver("10.99.0.7", TrafficSource.fromZone("us-south-1"))
                        .instanceName())
                .hasValue("a2");
    }

    @Test
    void lowerPriorityValueWinsAtEqualPrefix() {
        addRoute(egress, "preferred", "us-south-1", "10.99.0.100/32", "10.10.1.11", 1);
        assertThat(oracle.deliver(VIP, TrafficSource.fromZone("us-south-1")).instanceName())
                .hasValue("a2");

        addRoute(egress, "backup", "us-south-1", "10.99.0.100/32", "10.10.2.10", 3);
        assertThat(oracle.deliver(VIP, TrafficSource.fromZone("us-south-1")).instanceName())
                .hasValue("a2");
    }

    @Test
    void ecmpReportsBothCandidates() {
        addRoute(egress, "vip-z1-second", "us-south-1", "10.99.0.100/32", "10.10.1.11", 2);

        Delivery delivery = oracle.deliver(VIP, TrafficSource.fromZone("us-south-1"));

        assertThat(delivery.isDelivered()).isTrue();
        assertThat(delivery.candidateInstanceIds())
                .containsExactlyInAnyOrder(simulator.instanceId("a1"), simulator.instanceId("a2"));
        assertThat(delivery.instanceId())
                .hasValueSatisfying(
                        id -> assertThat(delivery.candidateInstanceIds().get(0)).isEqualTo(id));
        assertThat(delivery.reason()).contains("ECMP");
    }

    @Test
    void ingressRouteIsEffectiveOnlyWithANextHopInItsOwnZone() {
        Delivery zone1 = oracle.deliver(VIP, TrafficSource.ingress(Ingress.TRANSIT_GATEWAY, "us-south-1"));
        Delivery zone2 = oracle.deliver(VIP, TrafficSource.ingress(Ingress.TRANSIT_GATEWAY, "us-south-2"));

        assertThat(zone1.instanceName()).hasValue("a1");
        assertThat(zone2.isDropped()).isTrue();
        assertThat(zone2.reason()).contains("in-z2").contains("us-south-1");
    }

    @Test
    void crossZoneIngressFailoverIsDeleteAndCreateInTheNewZone() {
        String id = client.routeByName("ingress", "in-z2").get("id").getAsString();
        assertThat(client.delete(ingress + "/" + id).status()).isEqualTo(204);
        addRoute(ingress, "in-z2", "us-south-2", "10.99.0.100/32", "10.10.2.10", 2);

        assertThat(oracle.deliver(VIP, TrafficSource.ingress(Ingress.TRANSIT_GATEWAY, "us-south-2"))
                        .instanceName())
                .hasValue("b1");
        assertThat(oracle.deliver(VIP, TrafficSource.ingress(Ingress.VPC_ZONE, "us-south-2"))
                        .instanceName())
                .hasValue("b1");
    }

    @Test
    void ingressWithoutAnIngressTableUsesOnlySystemRoutes() {
        Delivery directLink = oracle.deliver(VIP, TrafficSource.ingress(Ingress.DIRECT_LINK, "us-south-1"));
        Delivery toInstance = oracle.deliver("10.10.2.10", TrafficSource.ingress(Ingress.DIRECT_LINK, "us-south-1"));

        assertThat(directLink.isDropped()).isTrue();
        assertThat(toInstance.instanceName()).hasValue("b1");
    }

    @Test
    void floatingIpBindingDecidesInternetTraffic() {
        String fip1 = client.get("/floating_ips?target.name=eth0")
                .json()
                .getAsJsonArray("floating_ips")
                .get(0)
                .getAsJsonObject()
                .get("address")
                .getAsString();
        String privateAddress = "10.10.1.10";

        assertThat(oracle.deliver(fip1, TrafficSource.ingress(Ingress.INTERNET, "us-south-1"))
                        .instanceName())
                .hasValue("a1");
        assertThat(oracle.deliver(privateAddress, TrafficSource.ingress(Ingress.INTERNET, "us-south-1"))
                        .isDropped())
                .isTrue();
    }

    @Test
    void unboundFloatingIpDrops() {
        String fip2 = null;
        for (var fip : client.get("/floating_ips").json().getAsJsonArray("floating_ips")) {
            if (fip.getAsJsonObject().get("name").getAsString().equals("fip2")) {
                fip2 = fip.getAsJsonObject().get("address").getAsString();
            }
        }

        Delivery delivery = oracle.deliver(fip2, TrafficSource.ingress(Ingress.INTERNET, "us-south-1"));

        assertThat(delivery.isDropped()).isTrue();
        assertThat(delivery.reason()).contains("not bound");
    }

    @Test
    void dropAndDelegateActions() {
        client.post(
                egress,
                "{\"name\":\"blackhole\",\"zone\":{\"name\":\"us-south-1\"},\"destination\":\"10.10.2.0/24\",\"action\":\"drop\"}");
        client.post(
                egress,
                "{\"name\":\"delegate\",\"zone\":{\"name\":\"us-south-2\"},\"destination\":\"10.10.1.0/24\",\"action\":\"delegate\"}");

        assertThat(oracle.deliver("10.10.2.10", TrafficSource.fromZone("us-south-1"))
                        .isDropped())
                .isTrue();
        assertThat(oracle.deliver("10.10.2.10", TrafficSource.fromZone("us-south-3"))
                        .instanceName())
                .hasValue("b1");
        assertThat(oracle.deliver("10.10.1.11", TrafficSource.fromZone("us-south-2"))
                        .instanceName())
                .hasValue("a2");
    }

    @Test
    void nextHopWithoutIpSpoofingDropsUnlessConfiguredOtherwise() {
        addRoute(egress, "to-c1", "us-south-1", "10.98.0.0/24", "10.10.3.10", 2);

        assertThat(oracle.deliver("10.98.0.5", TrafficSource.fromZone("us-south-1"))
                        .reason())
                .contains("IP spoofing");
        simulator.behaviour().nextHopRequiresIpSpoofing = false;
        assertThat(oracle.deliver("10.98.0.5", TrafficSource.fromZone("us-south-1"))
                        .instanceName())
                .hasValue("c1");
    }

    @Test
    void deadNextHopStillAttractsTrafficWhichIsLostThere() {
        client.admin("POST", "/sim/instances/a1/status", "{\"status\":\"stopped\"}");

        Delivery delivery = oracle.deliver(VIP, TrafficSource.fromZone("us-south-1"));
        Delivery floating = oracle.deliver(
                client.get("/floating_ips?target.name=eth0")
                        .json()
                        .getAsJsonArray("floating_ips")
                        .get(0)
                        .getAsJsonObject()
                        .get("address")
                        .getAsString(),
                TrafficSource.fromZone("us-south-2"));
        client.admin("POST", "/sim/instances/a1/status", "{\"status\":\"running\"}");
        Delivery running = oracle.deliver(VIP, TrafficSource.fromZone("us-south-1"));

        assertThat(delivery.isDropped()).isTrue();
        assertThat(delivery.lostAtInstanceName()).hasValue("a1");
        assertThat(delivery.nextHop()).hasValue("10.10.1.10");
        assertThat(delivery.reason()).contains("stopped").contains("nothing receives");
        assertThat(floating.lostAtInstanceName()).hasValue("a1");
        assertThat(running.instanceName()).hasValue("a1");
    }

    @Test
    void nextHopThatNoInstanceHoldsIsABlackHole() {
        addRoute(egress, "nowhere", "us-south-1", "10.98.0.0/24", "10.10.1.200", 2);

        assertThat(oracle.deliver("10.98.0.1", TrafficSource.fromZone("us-south-1"))
                        .reason())
                .contains("not an address of any instance");
    }

    @Test
    void adminEndpointAnswersOracleQueries() {
        SimClient.Reply egressReply = client.admin("GET", "/sim/oracle?address=" + VIP + "&zone=us-south-1", null);
        SimClient.Reply ingressReply =
                client.admin("GET", "/sim/oracle?address=" + VIP + "&zone=us-south-2&ingress=transit_gateway", null);
        SimClient.Reply bad = client.admin("GET", "/sim/oracle?address=nope&zone=us-south-1", null);

        assertThat(egressReply.json().get("delivered").getAsBoolean()).isTrue();
        assertThat(egressReply.json().getAsJsonObject("instance").get("name").getAsString())
                .isEqualTo("a1");
        assertThat(ingressReply.json().get("delivered").getAsBoolean()).isFalse();
        assertThat(ingressReply.json().get("reason").getAsString()).isNotBlank();
        assertThat(bad.status()).isEqualTo(400);
    }

    @Test
    void rejectsUnknownZonesAndBadAddresses() {
        assertThatThrownBy(() -> oracle.deliver(VIP, TrafficSource.fromZone("eu-de-1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> oracle.deliver("10.99.0", TrafficSource.fromZone("us-south-1")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
