package io.vpcha.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.vpcha.simulator.oracle.Delivery;
import io.vpcha.simulator.oracle.TrafficSource;
import io.vpcha.simulator.scenario.Scenario;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Secondary IPs of virtual network interfaces and reserved IPs by subnet, as the secondary-ip strategy
 * uses them: two nodes whose VNIs share a subnet, a VIP reserved there.
 */
class TestSecondaryIps {
    private VpcSimulator simulator;
    private SimClient client;

    @BeforeEach
    void start() {
        simulator = VpcSimulator.start(Scenario.fromJson("secondary", """
                {"zones":["us-south-1","us-south-2","us-south-3"],
                 "vpcs":[{"name":"v","subnets":[
                   {"name":"s1","zone":"us-south-1","cidr":"10.30.1.0/24"},
                   {"name":"s2","zone":"us-south-2","cidr":"10.30.2.0/24"},
                   {"name":"s3","zone":"us-south-3","cidr":"10.30.3.0/24"}]}],
                 "api_keys":[{"name":"k","key":"k1"}],
                 "instances":[
                   {"name":"node-a","zone":"us-south-1","network_attachments":[{"name":"eth0",
                     "virtual_network_interface":{"name":"vni-a","subnet":"s1","address":"10.30.1.4",
                       "secondary_ips":[{"address":"10.30.1.100","name":"vip","auto_delete":false}]}}]},
                   {"name":"node-b","zone":"us-south-1","network_attachments":[{"name":"eth0",
                     "virtual_network_interface":{"name":"vni-b","subnet":"s1","address":"10.30.1.5",
                       "mac_address":"02:00:0a:1e:01:05"}}]},
                   {"name":"node-c","zone":"us-south-2","network_attachments":[{"name":"eth0",
                     "virtual_network_interface":{"name":"vni-c","subnet":"s2","address":"10.30.2.4"}}]}],
                 "reserved_ips":[{"subnet":"s1","address":"10.30.1.101","name":"temp","auto_delete":true}]}
                """));
        client = new SimClient(simulator).login("k1");
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private String subnetId(String name) {
        for (JsonElement subnet : client.get("/subnets").json().getAsJsonArray("subnets")) {
            if (subnet.getAsJsonObject().get("name").getAsString().equals(name)) {
                return subnet.getAsJsonObject().get("id").getAsString();
            }
        }
        throw new AssertionError("no subnet " + name);
    }

    private JsonObject reservedIp(String subnet, String address) {
        for (JsonElement ip : client.get("/subnets/" + subnetId(subnet) + "/reserved_ips?limit=100")
                .json()
                .getAsJsonArray("reserved_ips")) {
            if (ip.getAsJsonObject().get("address").getAsString().equals(address)) {
                return ip.getAsJsonObject();
            }
        }
        throw new AssertionError("no reserved IP " + address);
    }

    private String vni(String name) {
        for (JsonElement vni :
                client.get("/virtual_network_interfaces").json().getAsJsonArray("virtual_network_interfaces")) {
            if (vni.getAsJsonObject().get("name").getAsString().equals(name)) {
                return vni.getAsJsonObject().get("id").getAsString();
            }
        }
        throw new AssertionError("no VNI " + name);
    }

    private String ipsPath(String vni) {
        return "/virtual_network_interfaces/" + vni(vni) + "/ips";
    }

    private List<String> zones(String address) {
        List<String> where = new ArrayList<>();
        for (String zone : List.of("us-south-1", "us-south-2", "us-south-3")) {
            Delivery delivery = simulator.oracle().deliver(address, TrafficSource.fromZone(zone));
            where.add(delivery.instanceName().orElse("dropped"));
        }
        return where;
    }

    @Test
    void theOracleDeliversASecondaryIpToTheHolderFromEveryZone() {
        String vip = reservedIp("s1", "10.30.1.100").get("id").getAsString();

        List<String> before = zones("10.30.1.100");
        SimClient.Reply unbound = client.delete(ipsPath("vni-a") + "/" + vip);
        List<String> unboundWhere = zones("10.30.1.100");
        SimClient.Reply bound = client.put(ipsPath("vni-b") + "/" + vip);
        List<String> after = zones("10.30.1.100");
        for (String zone : List.of("us-south-1", "us-south-2", "us-south-3")) {
            assertThat(simulator
                            .oracle()
                            .deliver("10.30.1.100", TrafficSource.ingress(TrafficSource.Ingress.TRANSIT_GATEWAY, zone))
                            .instanceName())
                    .hasValue("node-b");
        }

        assertThat(before).containsExactly("node-a", "node-a", "node-a");
        assertThat(unbound.status()).isEqualTo(204);
        assertThat(unboundWhere).containsExactly("dropped", "dropped", "dropped");
        assertThat(bound.status()).isEqualTo(200);
        assertThat(after).containsExactly("node-b", "node-b", "node-b");
        assertThat(reservedIp("s1", "10.30.1.100").get("auto_delete").getAsBoolean())
                .isFalse();
    }

    @Test
    void anAttachedVniShowsItsMacAddressInTheApiAndTheMetadataService() {
        JsonObject a = client.get("/virtual_network_interfaces/" + vni("vni-a")).json();
        JsonObject b = client.get("/virtual_network_interfaces/" + vni("vni-b")).json();

        assertThat(a.get("mac_address").getAsString()).matches("02:00(:[0-9a-f]{2}){4}");
        assertThat(b.get("mac_address").getAsString()).as("set by the scenario").isEqualTo("02:00:0a:1e:01:05");
        simulator.reset();
        assertThat(client.login("k1")
                        .get("/virtual_network_interfaces/" + vni("vni-a"))
                        .json()
                        .get("mac_address"))
                .as("stable across resets")
                .isEqualTo(a.get("mac_address"));
        URI metadata = simulator.metadataUrlFor("node-b");
        String identity = client.send(
                        HttpRequest.newBuilder(URI.create(metadata + "/instance_identity/v1/token?version=2022-03-01"))
                                .header("Metadata-Flavor", "ibm")
                                .PUT(BodyPublishers.noBody()))
                .json()
                .get("access_token")
                .getAsString();
        JsonObject fromMetadata = client.send(HttpRequest.newBuilder(
                                URI.create(metadata + "/metadata/v1/virtual_network_interfaces?version=2022-03-01"))
                        .header("Authorization", "Bearer " + identity)
                        .GET())
                .json()
                .getAsJsonArray("virtual_network_interfaces")
                .get(0)
                .getAsJsonObject();
        assertThat(fromMetadata.get("mac_address").getAsString()).isEqualTo("02:00:0a:1e:01:05");
    }

    @Test
    void theSameSubnetScenarioDeliversTheVipToNodeAFromEveryZone() {
        try (VpcSimulator pair = VpcSimulator.start(Scenario.builtIn("same-subnet"))) {
            for (String zone : List.of("us-south-1", "us-south-2", "us-south-3")) {
                Delivery delivery = pair.oracle().deliver("10.240.0.100", TrafficSource.fromZone(zone));
                assertThat(delivery.instanceName()).as(zone).hasValue("node-a");
            }
        }
    }

    @Test
    void aReservedIpCreatedUnboundMustNotBeAutoDelete() {
        String path = "/subnets/" + subnetId("s1") + "/reserved_ips";

        SimClient.Reply refused = client.post(path, "{\"address\":\"10.30.1.130\",\"auto_delete\":true}");
        SimClient.Reply kept = client.post(path, "{\"address\":\"10.30.1.130\",\"auto_delete\":false}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(kept.status()).isEqualTo(201);
        assertThat(kept.json().get("auto_delete").getAsBoolean()).isFalse();
    }

    @Test
    void bindingAnIpBoundToAnotherInterfaceIsRefused() {
        String vip = reservedIp("s1", "10.30.1.100").get("id").getAsString();

        SimClient.Reply refused = client.put(ipsPath("vni-b") + "/" + vip);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo("reserved_ip_in_use");
        assertThat(zones("10.30.1.100")).containsOnly("node-a");
    }

    @Test
    void unbindingDeletesAnAutoDeleteIpAndKeepsTheOthers() {
        String temp = reservedIp("s1", "10.30.1.101").get("id").getAsString();
        String vip = reservedIp("s1", "10.30.1.100").get("id").getAsString();
        client.put(ipsPath("vni-b") + "/" + temp);

        client.delete(ipsPath("vni-b") + "/" + temp);
        client.delete(ipsPath("vni-a") + "/" + vip);

        assertThat(client.get("/subnets/" + subnetId("s1") + "/reserved_ips/" + temp)
                        .status())
                .isEqualTo(404);
        assertThat(client.get("/subnets/" + subnetId("s1") + "/reserved_ips/" + vip)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void thePrimaryIpCannotBeUnboundAndAnotherSubnetsIpCannotBeBound() {
        String primary = reservedIp("s1", "10.30.1.4").get("id").getAsString();
        String other = client.post("/subnets/" + subnetId("s2") + "/reserved_ips", "{\"address\":\"10.30.2.100\"}")
                .json()
                .get("id")
                .getAsString();

        assertThat(client.delete(ipsPath("vni-a") + "/" + primary).status()).isEqualTo(400);
        assertThat(client.put(ipsPath("vni-a") + "/" + other).status()).isEqualTo(400);
    }

    @Test
    void anInterfaceHoldsAtMostTheConfiguredNumberOfIps() {
        simulator.behaviour().ipsPerVirtualNetworkInterface = 3; // primary + vip + one more
        String spare = client.post("/subnets/" + subnetId("s1") + "/reserved_ips", "{\"address\":\"10.30.1.150\"}")
                .json()
                .get("id")
                .getAsString();
        String extra = client.post("/subnets/" + subnetId("s1") + "/reserved_ips", "{\"address\":\"10.30.1.151\"}")
                .json()
                .get("id")
                .getAsString();

        SimClient.Reply third = client.put(ipsPath("vni-a") + "/" + spare);
        SimClient.Reply fourth = client.put(ipsPath("vni-a") + "/" + extra);

        assertThat(third.status()).isEqualTo(200);
        assertThat(fourth.status()).isEqualTo(400);
        assertThat(fourth.errorCode()).isEqualTo("over_quota");
        assertThat(client.get(ipsPath("vni-a")).json().get("total_count").getAsInt())
                .isEqualTo(3);
    }

    @Test
    void subnetsListTheProvidersAddressesWhichCannotBeUsed() {
        JsonObject gateway = reservedIp("s1", "10.30.1.1");
        JsonObject broadcast = reservedIp("s1", "10.30.1.255");
        String gatewayPath = "/subnets/" + subnetId("s1") + "/reserved_ips/"
                + gateway.get("id").getAsString();

        assertThat(gateway.get("owner").getAsString()).isEqualTo("provider");
        assertThat(gateway.get("name").getAsString()).isEqualTo("ibm-default-gateway");
        assertThat(broadcast.get("name").getAsString()).isEqualTo("ibm-broadcast-address");
        assertThat(reservedIp("s1", "10.30.1.100").get("owner").getAsString()).isEqualTo("user");
        assertThat(client.put(ipsPath("vni-a") + "/" + gateway.get("id").getAsString())
                        .status())
                .isEqualTo(400);
        assertThat(client.delete(gatewayPath).status()).isEqualTo(400);
        assertThat(client.patch(gatewayPath, "{\"auto_delete\":true}").status()).isEqualTo(400);
        assertThat(client.post("/subnets/" + subnetId("s1") + "/reserved_ips", "{\"address\":\"10.30.1.255\"}")
                        .status())
                .isEqualTo(400);
        assertThat(client.get("/subnets/" + subnetId("s1"))
                        .json()
                        .get("available_ipv4_address_count")
                        .getAsInt())
                .isEqualTo(256 - 5 - 4); // two primaries, the VIP and temp
    }

    @Test
    void aReservedIpCreatedWithATargetIsBoundAndChecked() {
        SimClient.Reply created = client.post(
                "/subnets/" + subnetId("s1") + "/reserved_ips",
                "{\"address\":\"10.30.1.120\",\"auto_delete\":true,\"target\":{\"id\":\"" + vni("vni-b") + "\"}}");
        SimClient.Reply wrongSubnet = client.post(
                "/subnets/" + subnetId("s1") + "/reserved_ips",
                "{\"address\":\"10.30.1.121\",\"target\":{\"id\":\"" + vni("vni-c") + "\"}}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("auto_delete").getAsBoolean()).isTrue();
        assertThat(created.json().getAsJsonObject("target").get("name").getAsString())
                .isEqualTo("vni-b");
        assertThat(zones("10.30.1.120")).containsOnly("node-b");
        assertThat(wrongSubnet.status()).isEqualTo(400);
        assertThat(client.get("/subnets/" + subnetId("s1") + "/reserved_ips?limit=100")
                        .json()
                        .getAsJsonArray("reserved_ips")
                        .toString())
                .doesNotContain("10.30.1.121");
    }
}
