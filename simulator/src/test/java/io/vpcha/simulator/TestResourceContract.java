package io.vpcha.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.vpcha.simulator.oracle.TrafficSource;
import io.vpcha.simulator.oracle.TrafficSource.Ingress;
import io.vpcha.simulator.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Floating IPs, instances, network interfaces and attachments, VNIs, subnets, reserved IPs, load balancers. */
class TestResourceContract {
    private static final ManualClock clock = new ManualClock();
    private static VpcSimulator simulator;
    private SimClient client;

    @BeforeAll
    static void start() {
        simulator = VpcSimulator.start(SimulatorOptions.builder()
                .scenario(TestScenarios.cluster())
                .clock(clock)
                .behaviour(b -> {
                    b.loadBalancerUpdateMillis = 300;
                    b.loadBalancerHealthChecks = "off"; // lb1's members exist on no host
                })
                .build());
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

    private JsonObject fip(String name) {
        for (JsonElement fip : client.get("/floating_ips").json().getAsJsonArray("floating_ips")) {
            if (fip.getAsJsonObject().get("name").getAsString().equals(name)) {
                return fip.getAsJsonObject();
            }
        }
        throw new AssertionError("no floating IP " + name);
    }

    private JsonObject instance(String name) {
        return client.get("/instances?name=" + name)
                .json()
                .getAsJsonArray("instances")
                .get(0)
                .getAsJsonObject();
    }

    private String nicId(String instance) {
        return instance(instance)
                .getAsJsonObject("primary_network_interface")
                .get("id")
                .getAsString();
    }

    private String vniId(String instance) {
        return instance(instance)
                .getAsJsonObject("primary_network_attachment")
                .getAsJsonObject("virtual_network_interface")
                .get("id")
                .getAsString();
    }

    // ---- floating IPs ----

    @Test
    void floatingIpHasTheDocumentedFields() {
        JsonObject fip = fip("fip1");

        assertThat(fip.keySet())
                .contains(
                        "id",
                        "crn",
                        "href",
                        "name",
                        "address",
                        "created_at",
                        "status",
                        "zone",
                        "resource_group",
                        "target");
        assertThat(fip.get("status").getAsString()).isEqualTo("available");
        JsonObject target = fip.getAsJsonObject("target");
        assertThat(target.get("resource_type").getAsString()).isEqualTo("network_interface");
        assertThat(target.get("id").getAsString()).isEqualTo(nicId("a1"));
        assertThat(target.getAsJsonObject("primary_ip").get("address").getAsString())
                .isEqualTo("10.10.1.10");
        assertThat(target.getAsJsonObject("primary_ip").get("resource_type").getAsString())
                .isEqualTo("subnet_reserved_ip");
        assertThat(fip("fip2").has("target")).isFalse();
        JsonObject vniTarget = fip("fip3").getAsJsonObject("target");
        assertThat(vniTarget.get("resource_type").getAsString()).isEqualTo("virtual_network_interface");
        assertThat(vniTarget.keySet()).contains("crn", "subnet");
    }

    @Test
    void patchTargetMovesTheFloatingIpInOneCall() {
        String id = fip("fip1").get("id").getAsString();

        SimClient.Reply moved = client.patch("/floating_ips/" + id, "{\"target\":{\"id\":\"" + nicId("a2") + "\"}}");

        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.json().getAsJsonObject("target").get("id").getAsString())
                .isEqualTo(nicId("a2"));
        assertThat(client.get("/floating_ips/" + id)
                        .json()
                        .getAsJsonObject("target")
                        .getAsJsonObject("primary_ip")
                        .get("address")
                        .getAsString())
                .isEqualTo("10.10.1.11");
        assertThat(simulator
                        .oracle()
                        .deliver(
                                fip("fip1").get("address").getAsString(),
                                TrafficSource.ingress(Ingress.INTERNET, "us-south-1"))
                        .instanceName())
                .hasValue("a2");
    }

    @Test
    void floatingIpTargetMustBeInItsZone() {
        String id = fip("fip1").get("id").getAsString();

        SimClient.Reply reply = client.patch("/floating_ips/" + id, "{\"target\":{\"id\":\"" + nicId("c1") + "\"}}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(fip("fip1").getAsJsonObject("target").get("id").getAsString())
                .isEqualTo(nicId("a1"));
    }

    @Test
    void anInterfaceHoldsAtMostOneFloatingIp() {
        String id = fip("fip2").get("id").getAsString();

        SimClient.Reply reply = client.patch("/floating_ips/" + id, "{\"target\":{\"id\":\"" + nicId("a1") + "\"}}");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(fip("fip2").has("target")).isFalse();
    }

    @Test
    void nullTargetUnbinds() {
        String id = fip("fip1").get("id").getAsString();

        SimClient.Reply reply = client.patch("/floating_ips/" + id, "{\"target\":null}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().has("target")).isFalse();
        assertThat(client.get("/instances/" + instance("a1").get("id").getAsString() + "/network_interfaces/"
                                + nicId("a1") + "/floating_ips")
                        .json()
                        .getAsJsonArray("floating_ips"))
                .isEmpty();
    }

    @Test
    void listFiltersByTarget() {
        SimClient.Reply byId = client.get("/floating_ips?target.id=" + nicId("a1"));
        SimClient.Reply byType = client.get("/floating_ips?target.resource_type=virtual_network_interface");

        assertThat(byId.json().getAsJsonArray("floating_ips"))
                .extracting(e -> e.getAsJsonObject().get("name").getAsString())
                .containsExactly("fip1");
        assertThat(byType.json().getAsJsonArray("floating_ips"))
                .extracting(e -> e.getAsJsonObject().get("name").getAsString())
                .containsExactly("fip3");
    }

    @Test
    void createAndDeleteFloatingIp() {
        SimClient.Reply created =
                client.post("/floating_ips", "{\"name\":\"fresh\",\"zone\":{\"name\":\"us-south-3\"}}");
        String id = created.json().get("id").getAsString();

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("address").getAsString()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        assertThat(client.delete("/floating_ips/" + id).status()).isEqualTo(204);
        assertThat(client.get("/floating_ips/" + id).status()).isEqualTo(404);
    }

    @Test
    void nicFloatingIpPathsBindAndUnbind() {
        String a2 = instance("a2").get("id").getAsString();
        String path = "/instances/" + a2 + "/network_interfaces/" + nicId("a2") + "/floating_ips";
        String fip2 = fip("fip2").get("id").getAsString();
        String fip1 = fip("fip1").get("id").getAsString();

        SimClient.Reply bound = client.put(path + "/" + fip2);
        SimClient.Reply list = client.get(path);
        SimClient.Reply second = client.put(path + "/" + fip1);
        SimClient.Reply unbound = client.delete(path + "/" + fip2);

        assertThat(bound.status()).isEqualTo(201);
        assertThat(list.json().has("next")).isFalse();
        assertThat(list.json().getAsJsonArray("floating_ips"))
                .extracting(e -> e.getAsJsonObject().get("id").getAsString())
                .containsExactly(fip2);
        assertThat(second.status()).isEqualTo(409);
        assertThat(unbound.status()).isEqualTo(204);
        assertThat(client.get(path + "/" + fip2).status()).isEqualTo(404);
    }

    @Test
    void vniFloatingIpPathsListPaginatedReferences() {
        String vni = vniId("b1");
        SimClient.Reply list = client.get("/virtual_network_interfaces/" + vni + "/floating_ips");

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().keySet()).contains("first", "limit", "total_count", "floating_ips");
        JsonObject reference = list.json().getAsJsonArray("floating_ips").get(0).getAsJsonObject();
        assertThat(reference.keySet()).contains("address", "crn", "href", "id", "name");
        String fip3 = reference.get("id").getAsString();
        assertThat(client.delete("/virtual_network_interfaces/" + vni + "/floating_ips/" + fip3)
                        .status())
                .isEqualTo(204);
        assertThat(client.put("/virtual_network_interfaces/" + vni + "/floating_ips/" + fip3)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void floatingIpPatchPermissionCanBeWithheld() {
        client.login(TestScenarios.NO_FIP_KEY);
        String id = fip("fip1").get("id").getAsString();

        SimClient.Reply reply = client.patch("/floating_ips/" + id, "{\"target\":{\"id\":\"" + nicId("a2") + "\"}}");

        assertThat(reply.status()).isEqualTo(403);
    }

    // ---- instances, NICs, attachments, VNIs ----

    @Test
    void instanceWithNetworkInterfaces() {
        JsonObject a1 = instance("a1");

        assertThat(a1.get("id").getAsString()).startsWith("0717_");
        assertThat(a1.keySet())
                .contains(
                        "id",
                        "crn",
                        "name",
                        "status",
                        "lifecycle_state",
                        "zone",
                        "vpc",
                        "metadata_service",
                        "primary_network_interface",
                        "network_interfaces");
        assertThat(a1.has("primary_network_attachment")).isFalse();
        assertThat(a1.getAsJsonObject("metadata_service").keySet())
                .contains("enabled", "protocol", "response_hop_limit");
        assertThat(a1.getAsJsonObject("vpc").keySet()).contains("id", "crn", "name");
        JsonObject nic = client.get("/instances/" + a1.get("id").getAsString() + "/network_interfaces/" + nicId("a1"))
                .json();
        assertThat(nic.keySet())
                .contains(
                        "id",
                        "href",
                        "name",
                        "primary_ip",
                        "resource_type",
                        "subnet",
                        "allow_ip_spoofing",
                        "floating_ips",
                        "security_groups",
                        "status",
                        "type");
        assertThat(nic.get("type").getAsString()).isEqualTo("primary");
        assertThat(nic.getAsJsonArray("floating_ips")).hasSize(1);
        SimClient.Reply all = client.get("/instances/" + a1.get("id").getAsString() + "/network_interfaces");
        assertThat(all.json().getAsJsonArray("network_interfaces")).hasSize(1);
    }

    @Test
    void instanceWithNetworkAttachmentsAndVni() {
        JsonObject b1 = instance("b1");

        JsonObject attachment = b1.getAsJsonObject("primary_network_attachment");
        assertThat(attachment.get("resource_type").getAsString()).isEqualTo("instance_network_attachment");
        assertThat(attachment.getAsJsonObject("virtual_network_interface").keySet())
                .contains("crn", "href", "id", "name");
        assertThat(b1.getAsJsonArray("network_interfaces")).isEmpty();
        SimClient.Reply attachments = client.get("/instances/" + b1.get("id").getAsString() + "/network_attachments");
        assertThat(attachments.json().getAsJsonArray("network_attachments")).hasSize(1);

        JsonObject vni =
                client.get("/virtual_network_interfaces/" + vniId("b1")).json();
        assertThat(vni.keySet())
                .contains(
                        "id",
                        "crn",
                        "href",
                        "name",
                        "allow_ip_spoofing",
                        "auto_delete",
                        "enable_infrastructure_nat",
                        "ips",
                        "primary_ip",
                        "subnet",
                        "zone",
                        "vpc",
                        "target",
                        "lifecycle_state",
                        "resource_type");
        assertThat(vni.getAsJsonArray("ips"))
                .extracting(e -> e.getAsJsonObject().get("address").getAsString())
                .containsExactly("10.10.2.10", "10.10.2.50");
        assertThat(vni.getAsJsonObject("target").get("resource_type").getAsString())
                .isEqualTo("instance_network_attachment");
    }

    @Test
    void vniPatchHonoursIfMatch() {
        String path = "/virtual_network_interfaces/" + vniId("b1");
        String etag = client.get(path).header("ETag").orElseThrow();

        assertThat(client.patch(path, "{\"allow_ip_spoofing\":false}", "W/\"nope\"")
                        .status())
                .isEqualTo(412);
        assertThat(client.patch(path, "{\"allow_ip_spoofing\":false}", etag).status())
                .isEqualTo(200);
        assertThat(client.get(path).json().get("allow_ip_spoofing").getAsBoolean())
                .isFalse();
    }

    @Test
    void secondaryIpMovesBetweenVnisViaReservedIps() {
        String vni = vniId("b1");
        String ips = "/virtual_network_interfaces/" + vni + "/ips";
        String spareId = null;
        String subnetId = client.get("/virtual_network_interfaces/" + vni)
                .json()
                .getAsJsonObject("subnet")
                .get("id")
                .getAsString();
        for (JsonElement ip :
                client.get("/subnets/" + subnetId + "/reserved_ips").json().getAsJsonArray("reserved_ips")) {
            if (ip.getAsJsonObject().get("name").getAsString().equals("spare")) {
                spareId = ip.getAsJsonObject().get("id").getAsString();
            }
        }
        assertThat(spareId).isNotNull();

        assertThat(client.put(ips + "/" + spareId).status()).isEqualTo(200);
        assertThat(client.get(ips).json().get("total_count").getAsInt()).isEqualTo(3);
        JsonObject reserved =
                client.get("/subnets/" + subnetId + "/reserved_ips/" + spareId).json();
        assertThat(reserved.getAsJsonObject("target").get("id").getAsString()).isEqualTo(vni);
        assertThat(client.delete(ips + "/" + spareId).status()).isEqualTo(204);
        assertThat(client.get("/subnets/" + subnetId + "/reserved_ips/" + spareId)
                        .status())
                .as("auto_delete false keeps it")
                .isEqualTo(200);

        assertThat(client.patch("/subnets/" + subnetId + "/reserved_ips/" + spareId, "{\"auto_delete\":true}")
                        .status())
                .isEqualTo(200);
        assertThat(client.put(ips + "/" + spareId).status()).isEqualTo(200);
        assertThat(client.delete(ips + "/" + spareId).status()).isEqualTo(204);
        assertThat(client.get("/subnets/" + subnetId + "/reserved_ips/" + spareId)
                        .status())
                .as("auto_delete true deletes it")
                .isEqualTo(404);
    }

    @Test
    void secondaryIpMustBeInThePrimarySubnetAndThePrimaryCannotBeUnbound() {
        String vni = vniId("b1");
        JsonObject vniJson = client.get("/virtual_network_interfaces/" + vni).json();
        String primary = vniJson.getAsJsonObject("primary_ip").get("id").getAsString();
        String s1 = instance("a1")
                .getAsJsonObject("primary_network_interface")
                .getAsJsonObject("subnet")
                .get("id")
                .getAsString();
        String foreign = client.post("/subnets/" + s1 + "/reserved_ips", "{\"name\":\"foreign\"}")
                .json()
                .get("id")
                .getAsString();

        assertThat(client.put("/virtual_network_interfaces/" + vni + "/ips/" + foreign)
                        .status())
                .isEqualTo(400);
        assertThat(client.delete("/virtual_network_interfaces/" + vni + "/ips/" + primary)
                        .status())
                .isEqualTo(400);
    }

    @Test
    void reservedIpCreateAllocatesOrValidatesAddresses() {
        String s2 = client.get("/subnets?zone.name=us-south-2")
                .json()
                .getAsJsonArray("subnets")
                .get(0)
                .getAsJsonObject()
                .get("id")
                .getAsString();

        SimClient.Reply any = client.post("/subnets/" + s2 + "/reserved_ips", "{}");
        SimClient.Reply chosen =
                client.post("/subnets/" + s2 + "/reserved_ips", "{\"address\":\"10.10.2.77\",\"name\":\"vip\"}");
        SimClient.Reply taken = client.post("/subnets/" + s2 + "/reserved_ips", "{\"address\":\"10.10.2.77\"}");
        SimClient.Reply outside = client.post("/subnets/" + s2 + "/reserved_ips", "{\"address\":\"10.10.9.9\"}");

        assertThat(any.status()).isEqualTo(201);
        assertThat(any.json().keySet())
                .contains(
                        "id",
                        "href",
                        "name",
                        "address",
                        "auto_delete",
                        "created_at",
                        "lifecycle_state",
                        "owner",
                        "resource_type");
        assertThat(chosen.status()).isEqualTo(201);
        assertThat(chosen.json().get("address").getAsString()).isEqualTo("10.10.2.77");
        assertThat(taken.status()).isEqualTo(409);
        assertThat(outside.status()).isEqualTo(400);
        assertThat(client.delete("/subnets/" + s2 + "/reserved_ips/"
                                + chosen.json().get("id").getAsString())
                        .status())
                .isEqualTo(204);
    }

    @Test
    void subnetsHaveRoutingTables() {
        SimClient.Reply subnets = client.get("/subnets?vpc.id=" + client.vpcId());

        assertThat(subnets.json().get("total_count").getAsInt()).isEqualTo(4);
        JsonObject s1 = subnets.json().getAsJsonArray("subnets").get(0).getAsJsonObject();
        assertThat(s1.keySet())
                .contains("id", "crn", "href", "name", "ipv4_cidr_block", "zone", "vpc", "routing_table");
        assertThat(s1.getAsJsonObject("routing_table").get("name").getAsString())
                .isEqualTo("egress");
    }

    // ---- load balancers ----

    @Test
    void loadBalancerMembersAndUpdateConflict() {
        JsonObject lb = client.get("/load_balancers")
                .json()
                .getAsJsonArray("load_balancers")
                .get(0)
                .getAsJsonObject();
        String lbId = lb.get("id").getAsString();
        assertThat(lb.get("provisioning_status").getAsString()).isEqualTo("active");
        JsonObject pool = client.get("/load_balancers/" + lbId + "/pools")
                .json()
                .getAsJsonArray("pools")
                .get(0)
                .getAsJsonObject();
        String members = "/load_balancers/" + lbId + "/pools/" + pool.get("id").getAsString() + "/members";
        JsonObject first =
                client.get(members).json().getAsJsonArray("members").get(0).getAsJsonObject();
        assertThat(first.keySet())
                .contains("id", "href", "created_at", "port", "weight", "health", "provisioning_status", "target");

        SimClient.Reply patched = client.patch(members + "/" + first.get("id").getAsString(), "{\"weight\":0}");
        SimClient.Reply conflict = client.post(
                members,
                "{\"port\":8080,\"target\":{\"id\":\""
                        + instance("b1").get("id").getAsString() + "\"}}");
        String pendingStatus = client.get("/load_balancers/" + lbId)
                .json()
                .get("provisioning_status")
                .getAsString();
        clock.advance(Duration.ofMillis(299));
        SimClient.Reply stillPending = client.post(
                members,
                "{\"port\":8080,\"target\":{\"id\":\""
                        + instance("b1").get("id").getAsString() + "\"}}");
        clock.advance(Duration.ofMillis(1));
        SimClient.Reply later = client.post(
                members,
                "{\"port\":8080,\"target\":{\"id\":\""
                        + instance("b1").get("id").getAsString() + "\"}}");

        assertThat(patched.status()).isEqualTo(200);
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.errorCode()).isEqualTo("load_balancer_update_conflict");
        assertThat(pendingStatus).isEqualTo("update_pending");
        assertThat(stillPending.status()).isEqualTo(409);
        assertThat(later.status()).isEqualTo(201);
        List<Integer> weights = new ArrayList<>();
        client.get(members)
                .json()
                .getAsJsonArray("members")
                .forEach(m -> weights.add(m.getAsJsonObject().get("weight").getAsInt()));
        assertThat(weights).containsExactly(0, 50, 50);
    }
}
