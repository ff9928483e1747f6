package io.vpcha.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.vpcha.simulator.oracle.Delivery;
import io.vpcha.simulator.oracle.TrafficSource;
import io.vpcha.simulator.scenario.Scenario;
import io.vpcha.simulator.time.ManualClock;
import java.time.Duration;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Public address ranges: binding, moving and unbinding with their {@code updating} time, and where
 * internet traffic to the range goes through the internet-ingress routing table's zone rules.
 */
class TestPublicAddressRanges {
    private static final String ADDRESS = "150.240.68.1";

    private final ManualClock clock = new ManualClock();
    private VpcSimulator simulator;
    private SimClient client;

    @BeforeEach
    void start() {
        simulator = VpcSimulator.start(SimulatorOptions.builder()
                .scenario(Scenario.fromJson("par", """
                        {"zones":["us-south-1","us-south-2","us-south-3"],
                         "behaviour":{"public_address_range_update_ms":2000},
                         "vpcs":[{"name":"fw-vpc",
                           "routing_tables":[{"name":"par-ingress","route_internet_ingress":true,"routes":[
                             {"name":"par-z1","zone":"us-south-1","destination":"150.240.68.0/30","next_hop":"10.20.1.4"}]}],
                           "subnets":[{"name":"s1","zone":"us-south-1","cidr":"10.20.1.0/24"},
                                      {"name":"s2","zone":"us-south-2","cidr":"10.20.2.0/24"}]},
                          {"name":"other-vpc"}],
                         "api_keys":[{"name":"k","key":"k1"}],
                         "instances":[
                           {"name":"fw-1","vpc":"fw-vpc","zone":"us-south-1","network_interfaces":[
                             {"name":"eth0","subnet":"s1","address":"10.20.1.4","allow_ip_spoofing":true}]},
                           {"name":"fw-2","vpc":"fw-vpc","zone":"us-south-2","network_interfaces":[
                             {"name":"eth0","subnet":"s2","address":"10.20.2.4","allow_ip_spoofing":true}]}],
                         "public_address_ranges":[
                           {"name":"fw-par","cidr":"150.240.68.0/30","target":{"vpc":"fw-vpc","zone":"us-south-1"}},
                           {"name":"spare-par","ipv4_address_count":8}]}
                        """))
                .clock(clock)
                .build());
        client = new SimClient(simulator).login("k1");
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private JsonObject range(String name) {
        for (var element : client.get("/public_address_ranges").json().getAsJsonArray("public_address_ranges")) {
            if (element.getAsJsonObject().get("name").getAsString().equals(name)) {
                return element.getAsJsonObject();
            }
        }
        throw new AssertionError("no range " + name);
    }

    private String path(String name) {
        return "/public_address_ranges/" + range(name).get("id").getAsString();
    }

    private String vpcId(String name) {
        for (var element : client.get("/vpcs").json().getAsJsonArray("vpcs")) {
            if (element.getAsJsonObject().get("name").getAsString().equals(name)) {
                return element.getAsJsonObject().get("id").getAsString();
            }
        }
        throw new AssertionError("no VPC " + name);
    }

    private SimClient.Reply bind(String range, String vpc, String zone) {
        return client.patch(
                path(range),
                "{\"target\":{\"vpc\":{\"id\":\"" + vpcId(vpc) + "\"},\"zone\":{\"name\":\"" + zone + "\"}}}");
    }

    private Delivery fromInternet() {
        return simulator.oracle().deliver(ADDRESS, TrafficSource.fromInternet());
    }

    @Test
    void rangesListWithTheirModel() {
        JsonObject bound = range("fw-par");
        JsonObject spare = range("spare-par");

        assertThat(bound.keySet())
                .contains(
                        "cidr",
                        "created_at",
                        "crn",
                        "href",
                        "id",
                        "ipv4_address_count",
                        "lifecycle_state",
                        "name",
                        "resource_group",
                        "resource_type",
                        "target");
        assertThat(bound.get("cidr").getAsString()).isEqualTo("150.240.68.0/30");
        assertThat(bound.get("resource_type").getAsString()).isEqualTo("public_address_range");
        assertThat(bound.getAsJsonObject("target")
                        .getAsJsonObject("zone")
                        .get("name")
                        .getAsString())
                .isEqualTo("us-south-1");
        assertThat(bound.getAsJsonObject("target")
                        .getAsJsonObject("vpc")
                        .get("name")
                        .getAsString())
                .isEqualTo("fw-vpc");
        assertThat(spare.has("target")).isFalse();
        assertThat(spare.get("ipv4_address_count").getAsInt()).isEqualTo(8);
        assertThat(client.get(path("fw-par")).status()).isEqualTo(200);
        assertThat(client.get("/public_address_ranges/r006-nope").status()).isEqualTo(404);
    }

    @Test
    void internetTrafficFollowsTheIngressRouteInTheRangesZone() {
        Delivery delivery = fromInternet();

        assertThat(delivery.instanceName()).hasValue("fw-1");
        assertThat(delivery.via()).isEqualTo("route par-z1 in par-ingress");
        assertThat(simulator
                        .oracle()
                        .deliver(ADDRESS, TrafficSource.ingress(TrafficSource.Ingress.INTERNET, "us-south-3"))
                        .instanceName())
                .as("the range's zone decides where traffic enters, not the caller")
                .hasValue("fw-1");
    }

    @Test
    void aMoveIsUpdatingForTheConfiguredTimeThenTheRouteZoneMustFollow() {
        SimClient.Reply moved = bind("fw-par", "fw-vpc", "us-south-2");
        SimClient.Reply again = bind("fw-par", "fw-vpc", "us-south-3");
        Delivery whileUpdating = fromInternet();
        clock.advance(Duration.ofSeconds(2));
        String after = range("fw-par").get("lifecycle_state").getAsString();
        Delivery routeInOldZone = fromInternet();
        client.post(
                "/vpcs/" + vpcId("fw-vpc") + "/routing_tables/" + client.tableId("par-ingress") + "/routes",
                "{\"name\":\"par-z2\",\"zone\":{\"name\":\"us-south-2\"},\"destination\":\"150.240.68.0/30\","
                        + "\"next_hop\":{\"address\":\"10.20.2.4\"}}");
        Delivery routeInNewZone = fromInternet();

        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.json().get("lifecycle_state").getAsString()).isEqualTo("updating");
        assertThat(again.status()).isEqualTo(409);
        assertThat(whileUpdating.isDropped()).isTrue();
        assertThat(whileUpdating.reason()).contains("updating");
        assertThat(after).isEqualTo("stable");
        assertThat(routeInOldZone.isDropped()).isTrue();
        assertThat(routeInOldZone.reason())
                .contains("route par-z1 is in zone us-south-1, not the range's zone us-south-2");
        assertThat(routeInNewZone.instanceName()).hasValue("fw-2");
    }

    @Test
    void aRouteWhoseNextHopIsInAnotherZoneDeliversNothing() {
        String routes = "/vpcs/" + vpcId("fw-vpc") + "/routing_tables/" + client.tableId("par-ingress") + "/routes";
        String id = client.routeByName("par-ingress", "par-z1").get("id").getAsString();

        client.patch(routes + "/" + id, "{\"next_hop\":{\"address\":\"10.20.2.4\"}}");
        Delivery delivery = fromInternet();

        assertThat(delivery.isDropped()).isTrue();
        assertThat(delivery.reason()).contains("next hop 10.20.2.4 is in zone us-south-2, not us-south-1");
    }

    @Test
    void unbindingKeepsTheRangeAndDropsItsTraffic() {
        SimClient.Reply unbound = client.patch(path("fw-par"), "{\"target\":null}");
        clock.advance(Duration.ofSeconds(2));
        JsonObject range = range("fw-par");

        assertThat(unbound.status()).isEqualTo(200);
        assertThat(range.has("target")).isFalse();
        assertThat(range.get("lifecycle_state").getAsString()).isEqualTo("stable");
        assertThat(fromInternet().reason()).contains("not bound");
        assertThat(simulator.events().after(0))
                .filteredOn(e -> e.type().equals("public_address_range"))
                .hasSize(2);
    }

    @Test
    void aRangeBoundToAnotherVpcOrWithoutIngressTableDeliversNothing() {
        bind("fw-par", "other-vpc", "us-south-1");
        clock.advance(Duration.ofSeconds(2));

        Delivery delivery = fromInternet();

        assertThat(delivery.isDropped()).isTrue();
        assertThat(delivery.reason()).contains("other-vpc has no routing table with internet ingress");
    }

    @Test
    void badTargetsAreRefused() {
        assertThat(client.patch(path("fw-par"), "{\"target\":{\"vpc\":{\"id\":\"" + vpcId("fw-vpc") + "\"}}}")
                        .status())
                .isEqualTo(400);
        assertThat(client.patch(
                                path("fw-par"),
                                "{\"target\":{\"vpc\":{\"id\":\"r006-nope\"},\"zone\":{\"name\":\"us-south-1\"}}}")
                        .status())
                .isEqualTo(404);
        assertThat(bind("fw-par", "fw-vpc", "eu-de-1").status()).isEqualTo(400);
        assertThat(client.patch(path("fw-par"), "{\"cidr\":\"1.2.3.0/30\"}").status())
                .isEqualTo(400);
        assertThat(range("fw-par").get("lifecycle_state").getAsString()).isEqualTo("stable");
    }

    @Test
    void scenarioRefusesRangesThatAreNotPrefixesOfOneToSixteen() {
        Assertions.assertThatThrownBy(() -> VpcSimulator.start(Scenario.fromJson(
                                "bad", "{\"public_address_ranges\":[{\"name\":\"big\",\"cidr\":\"150.240.0.0/27\"}]}"))
                        .close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/32 to /28");
    }
}
