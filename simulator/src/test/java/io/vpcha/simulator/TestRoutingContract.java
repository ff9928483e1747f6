package io.vpcha.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestRoutingContract {
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
    }

    private static String route(String name, String zone, String destination, String nextHop, int priority) {
        return "{\"name\":\"" + name + "\",\"zone\":{\"name\":\"" + zone + "\"},\"destination\":\"" + destination
                + "\",\"next_hop\":{\"address\":\"" + nextHop + "\"},\"priority\":" + priority + "}";
    }

    @Test
    void versionAndGenerationAreRequired() {
        SimClient.Reply noVersion =
                client.send(HttpRequest.newBuilder(URI.create(simulator.vpcUrl() + "/vpcs?generation=2"))
                        .header("Authorization", "Bearer " + client.token())
                        .GET());
        SimClient.Reply badVersion = client.send(
                HttpRequest.newBuilder(URI.create(simulator.vpcUrl() + "/vpcs?generation=2&version=2026-13-45"))
                        .header("Authorization", "Bearer " + client.token())
                        .GET());
        SimClient.Reply noGeneration =
                client.send(HttpRequest.newBuilder(URI.create(simulator.vpcUrl() + "/vpcs?version=2026-03-24"))
                        .header("Authorization", "Bearer " + client.token())
                        .GET());

        assertThat(noVersion.status()).isEqualTo(400);
        assertThat(noVersion.json().get("trace").getAsString()).matches("[0-9a-f-]{36}");
        JsonObject error = noVersion.json().getAsJsonArray("errors").get(0).getAsJsonObject();
        assertThat(error.get("message").getAsString()).isNotBlank();
        assertThat(error.get("more_info").getAsString()).startsWith("https://");
        assertThat(error.getAsJsonObject("target").get("name").getAsString()).isEqualTo("version");
        assertThat(error.getAsJsonObject("target").get("type").getAsString()).isEqualTo("query");
        assertThat(badVersion.status()).isEqualTo(400);
        assertThat(noGeneration.status()).isEqualTo(400);
    }

    @Test
    void routingTablesCarryTheDocumentedFields() {
        SimClient.Reply reply = client.get("/vpcs/" + client.vpcId() + "/routing_tables");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("total_count").getAsInt()).isEqualTo(3);
        JsonObject table = null;
        for (JsonElement element : reply.json().getAsJsonArray("routing_tables")) {
            if (element.getAsJsonObject().get("name").getAsString().equals("ingress")) {
                table = element.getAsJsonObject();
            }
        }
        assertThat(table).isNotNull();
        assertThat(table.keySet())
                .contains(
                        "id",
                        "crn",
                        "href",
                        "name",
                        "created_at",
                        "lifecycle_state",
                        "resource_type",
                        "is_default",
                        "resource_group",
                        "route_direct_link_ingress",
                        "route_internet_ingress",
                        "route_transit_gateway_ingress",
                        "route_vpc_zone_ingress",
                        "accept_routes_from",
                        "advertise_routes_to",
                        "routes",
                        "subnets");
        assertThat(table.get("id").getAsString()).startsWith("r006-");
        assertThat(table.get("href").getAsString())
                .isEqualTo(simulator.vpcUrl() + "/vpcs/" + client.vpcId() + "/routing_tables/"
                        + table.get("id").getAsString());
        assertThat(table.get("route_transit_gateway_ingress").getAsBoolean()).isTrue();
        assertThat(table.get("resource_type").getAsString()).isEqualTo("routing_table");
        assertThat(table.getAsJsonArray("routes")).hasSize(2);

        SimClient.Reply defaults = client.get("/vpcs/" + client.vpcId() + "/routing_tables?is_default=true");
        assertThat(defaults.json().getAsJsonArray("routing_tables")).hasSize(1);
        SimClient.Reply defaultTable = client.get("/vpcs/" + client.vpcId() + "/default_routing_table");
        assertThat(defaultTable.json().get("is_default").getAsBoolean()).isTrue();
        assertThat(defaultTable.json().getAsJsonArray("subnets")).hasSize(1);
        assertThat(defaultTable.header("ETag"))
                .hasValueSatisfying(etag -> assertThat(etag).startsWith("W/\""));
    }

    @Test
    void routeHasTheDocumentedFields() {
        JsonObject route = client.routeByName("egress", "vip-z1");

        assertThat(route.keySet())
                .contains(
                        "id",
                        "href",
                        "name",
                        "created_at",
                        "lifecycle_state",
                        "action",
                        "destination",
                        "next_hop",
                        "zone",
                        "priority",
                        "origin",
                        "advertise");
        assertThat(route.get("action").getAsString()).isEqualTo("deliver");
        assertThat(route.get("destination").getAsString()).isEqualTo("10.99.0.100/32");
        assertThat(route.getAsJsonObject("next_hop").get("address").getAsString())
                .isEqualTo("10.10.1.10");
        assertThat(route.getAsJsonObject("zone").get("name").getAsString()).isEqualTo("us-south-1");
        assertThat(route.getAsJsonObject("zone").get("href").getAsString())
                .endsWith("/v1/regions/us-south/zones/us-south-1");
        assertThat(route.get("priority").getAsInt()).isEqualTo(2);
        assertThat(route.get("origin").getAsString()).isEqualTo("user");
        assertThat(route.get("lifecycle_state").getAsString()).isEqualTo("stable");
        assertThat(client.routeByName("egress", "vpn-service").has("creator")).isTrue();
    }

    @Test
    void createGetPatchDeleteRoute() {
        SimClient.Reply created = client.post(routes, route("extra", "us-south-3", "10.98.0.0/24", "10.10.1.11", 1));
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").getAsString();
        assertThat(created.json().get("priority").getAsInt()).isEqualTo(1);

        SimClient.Reply patched =
                client.patch(routes + "/" + id, "{\"next_hop\":{\"address\":\"10.10.2.10\"},\"name\":\"renamed\"}");
        assertThat(patched.status()).isEqualTo(200);
        assertThat(client.get(routes + "/" + id)
                        .json()
                        .getAsJsonObject("next_hop")
                        .get("address")
                        .getAsString())
                .isEqualTo("10.10.2.10");
        assertThat(client.get(routes + "/" + id).json().get("name").getAsString())
                .isEqualTo("renamed");

        assertThat(client.delete(routes + "/" + id).status()).isEqualTo(204);
        SimClient.Reply gone = client.get(routes + "/" + id);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.errorCode()).isEqualTo("not_found");
    }

    @Test
    void createDefaultsActionDeliverAndPriorityTwoAndGeneratesAName() {
        SimClient.Reply created = client.post(
                routes,
                "{\"zone\":{\"name\":\"us-south-1\"},\"destination\":\"10.97.0.0/16\",\"next_hop\":{\"address\":\"10.10.1.11\"}}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("action").getAsString()).isEqualTo("deliver");
        assertThat(created.json().get("priority").getAsInt()).isEqualTo(2);
        assertThat(created.json().get("name").getAsString()).isNotBlank().doesNotStartWith("ibm-");
    }

    @Test
    void immutableAndUnknownFieldsCannotBePatched() {
        String id = client.routeByName("egress", "vip-z1").get("id").getAsString();

        for (String body : List.of(
                "{\"zone\":{\"name\":\"us-south-2\"}}",
                "{\"destination\":\"10.99.0.0/24\"}",
                "{\"action\":\"drop\"}",
                "{\"color\":\"red\"}")) {
            SimClient.Reply reply = client.patch(routes + "/" + id, body);
            assertThat(reply.status()).as(body).isEqualTo(400);
        }
        assertThat(client.routeByName("egress", "vip-z1")
                        .getAsJsonObject("zone")
                        .get("name")
                        .getAsString())
                .isEqualTo("us-south-1");
    }

    @Test
    void patchNeedsMergePatchContentType() {
        String id = client.routeByName("egress", "vip-z1").get("id").getAsString();
        SimClient.Reply reply = client.send(HttpRequest.newBuilder(client.vpc(routes + "/" + id))
                .header("Authorization", "Bearer " + client.token())
                .header("Content-Type", "application/json")
                .method("PATCH", BodyPublishers.ofString("{\"priority\":1}")));

        assertThat(reply.status()).isEqualTo(415);
        assertThat(client.routeByName("egress", "vip-z1").get("priority").getAsInt())
                .isEqualTo(2);
    }

    @Test
    void nameRulesUniquePerTableAndNoIbmPrefix() {
        SimClient.Reply duplicate = client.post(routes, route("vip-z1", "us-south-3", "10.98.0.0/24", "10.10.1.11", 2));
        SimClient.Reply reserved =
                client.post(routes, route("ibm-mine", "us-south-3", "10.98.0.0/24", "10.10.1.11", 2));
        String otherTable = client.routesPath("ingress");
        SimClient.Reply sameNameOtherTable =
                client.post(otherTable, route("vip-z1-copy", "us-south-3", "10.98.0.0/24", "10.10.3.10", 2));
        String id = client.routeByName("egress", "vip-z2").get("id").getAsString();
        SimClient.Reply renameClash = client.patch(routes + "/" + id, "{\"name\":\"vip-z1\"}");

        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(reserved.status()).isEqualTo(400);
        assertThat(sameNameOtherTable.status()).isEqualTo(201);
        assertThat(renameClash.status()).isEqualTo(409);
    }

    @Test
    void destinationMustHaveZeroHostBitsAndZoneMustExist() {
        assertThat(client.post(routes, route("bad", "us-south-1", "10.98.0.1/24", "10.10.1.11", 2))
                        .status())
                .isEqualTo(400);
        assertThat(client.post(routes, route("bad", "eu-de-1", "10.98.0.0/24", "10.10.1.11", 2))
                        .status())
                .isEqualTo(400);
        assertThat(client.post(routes, route("bad", "us-south-1", "10.98.0.0/24", "10.10.1.11", 5))
                        .status())
                .isEqualTo(400);
        assertThat(client.post(routes, "{\"zone\":{\"name\":\"us-south-1\"}}").status())
                .isEqualTo(400);
    }

    @Test
    void deliverRouteCannotHaveNextHopZeroAndTheCodeIsConfigurable() {
        String id = client.routeByName("egress", "vip-z1").get("id").getAsString();
        SimClient.Reply defaultCode = client.patch(routes + "/" + id, "{\"next_hop\":{\"address\":\"0.0.0.0\"}}");
        simulator.behaviour().invalidNextHopCode = "invalid_next_hop";
        SimClient.Reply configured = client.post(routes, route("zero", "us-south-1", "10.98.0.0/24", "0.0.0.0", 2));

        assertThat(defaultCode.status()).isEqualTo(400);
        assertThat(defaultCode.errorCode()).isEqualTo("invalid_value");
        assertThat(configured.status()).isEqualTo(400);
        assertThat(configured.errorCode()).isEqualTo("invalid_next_hop");
        assertThat(client.routeByName("egress", "vip-z1")
                        .getAsJsonObject("next_hop")
                        .get("address")
                        .getAsString())
                .isEqualTo("10.10.1.10");
    }

    @Test
    void ecmpAllowsTwoDeliverRoutesPerZoneDestinationAndPriority() {
        SimClient.Reply second =
                client.post(routes, route("vip-z1-b", "us-south-1", "10.99.0.100/32", "10.10.1.11", 2));
        SimClient.Reply third = client.post(routes, route("vip-z1-c", "us-south-1", "10.99.0.100/32", "10.10.2.10", 2));
        SimClient.Reply otherPriority =
                client.post(routes, route("vip-z1-d", "us-south-1", "10.99.0.100/32", "10.10.2.10", 1));
        SimClient.Reply otherZone =
                client.post(routes, route("vip-z3", "us-south-3", "10.99.0.100/32", "10.10.2.10", 2));
        String id = otherPriority.json().get("id").getAsString();
        SimClient.Reply patchIntoFullGroup = client.patch(routes + "/" + id, "{\"priority\":2}");

        assertThat(second.status()).isEqualTo(201);
        assertThat(third.status()).isEqualTo(400);
        assertThat(third.errorCode()).isEqualTo("route_ecmp_limit_exceeded");
        assertThat(otherPriority.status()).isEqualTo(201);
        assertThat(otherZone.status()).isEqualTo(201);
        assertThat(patchIntoFullGroup.status()).isEqualTo(400);
    }

    @Test
    void serviceRoutesAreReadOnly() {
        String id = client.routeByName("egress", "vpn-service").get("id").getAsString();

        assertThat(client.patch(routes + "/" + id, "{\"priority\":1}").status()).isEqualTo(400);
        assertThat(client.delete(routes + "/" + id).status()).isEqualTo(400);
        assertThat(client.get(routes + "/" + id).json().get("priority").getAsInt())
                .isEqualTo(2);
    }

    @Test
    void routingTablePatchHonoursIfMatch() {
        String path = "/vpcs/" + client.vpcId() + "/routing_tables/" + client.tableId("egress");
        SimClient.Reply read = client.get(path);
        String etag = read.header("ETag").orElseThrow();

        SimClient.Reply stale = client.patch(path, "{\"name\":\"egress-renamed\"}", "W/\"stale\"");
        SimClient.Reply fresh = client.patch(path, "{\"name\":\"egress-renamed\"}", etag);
        SimClient.Reply reused = client.patch(path, "{\"name\":\"egress-again\"}", etag);

        assertThat(stale.status()).isEqualTo(412);
        assertThat(fresh.status()).isEqualTo(200);
        assertThat(fresh.header("ETag")).isPresent().isNotEqualTo(read.header("ETag"));
        assertThat(reused.status()).isEqualTo(412);
        assertThat(client.get(path).json().get("name").getAsString()).isEqualTo("egress-renamed");
    }

    @Test
    void ingressFlagsAreExclusivePerVpcAndNeverOnTheDefaultOrAttachedTable() {
        String vpc = "/vpcs/" + client.vpcId() + "/routing_tables";
        SimClient.Reply clash =
                client.post(vpc, "{\"name\":\"second-ingress\",\"route_transit_gateway_ingress\":true}");
        SimClient.Reply fine = client.post(vpc, "{\"name\":\"internet-ingress\",\"route_internet_ingress\":true}");
        SimClient.Reply onDefault = client.patch(
                vpc + "/"
                        + client.get("/vpcs/" + client.vpcId() + "/default_routing_table")
                                .json()
                                .get("id")
                                .getAsString(),
                "{\"route_direct_link_ingress\":true}");
        SimClient.Reply onAttached =
                client.patch(vpc + "/" + client.tableId("egress"), "{\"route_direct_link_ingress\":true}");

        assertThat(clash.status()).isEqualTo(409);
        assertThat(fine.status()).isEqualTo(201);
        assertThat(fine.json().get("route_internet_ingress").getAsBoolean()).isTrue();
        assertThat(onDefault.status()).isEqualTo(400);
        assertThat(onAttached.status()).isEqualTo(409);
    }

    @Test
    void routeQuotaOfTheTableIsEnforced() {
        simulator.behaviour().routesPerTable = 5;
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(client.post(routes, route("q" + i, "us-south-3", "10.96." + i + ".0/24", "10.10.1.11", 2))
                    .status());
        }

        assertThat(statuses).containsExactly(201, 201, 400);
    }
}
