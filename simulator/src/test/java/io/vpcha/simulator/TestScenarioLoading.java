package io.vpcha.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcha.simulator.oracle.TrafficSource;
import io.vpcha.simulator.scenario.Scenario;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import org.junit.jupiter.api.Test;

class TestScenarioLoading {
    @Test
    void sameZoneScenarioLetsTheFloatingIpMove() {
        try (VpcSimulator simulator = VpcSimulator.start(Scenario.builtIn("same-zone"))) {
            SimClient client = new SimClient(simulator).login("sim-test-apikey-ha-0000000000000001");
            var fip = client.get("/floating_ips")
                    .json()
                    .getAsJsonArray("floating_ips")
                    .get(0)
                    .getAsJsonObject();
            String nodeB = client.get("/instances?name=node-b")
                    .json()
                    .getAsJsonArray("instances")
                    .get(0)
                    .getAsJsonObject()
                    .getAsJsonObject("primary_network_interface")
                    .get("id")
                    .getAsString();

            SimClient.Reply moved = client.patch(
                    "/floating_ips/" + fip.get("id").getAsString(), "{\"target\":{\"id\":\"" + nodeB + "\"}}");

            assertThat(moved.status()).isEqualTo(200);
            assertThat(simulator
                            .oracle()
                            .deliver(
                                    "169.59.10.20", TrafficSource.ingress(TrafficSource.Ingress.INTERNET, "us-south-1"))
                            .instanceName())
                    .hasValue("node-b");
        }
    }

    @Test
    void idsAreStableAcrossStartsOfOneScenario() {
        String first;
        String second;
        try (VpcSimulator simulator = VpcSimulator.start(Scenario.threeZone())) {
            first = simulator.instanceId("node-a");
        }
        try (VpcSimulator simulator = VpcSimulator.start(Scenario.threeZone())) {
            second = simulator.instanceId("node-a");
        }

        assertThat(first).isEqualTo(second).startsWith("0717_");
        assertThat(Scenario.builtIn("same-zone").json().get("id_seed").getAsString())
                .isEqualTo("same-zone");
    }

    @Test
    void invalidScenariosFailWithAMessageNamingTheProblem() {
        assertThatThrownBy(() -> VpcSimulator.start(
                        Scenario.fromJson("{\"zones\":[\"us-south-1\"],\"vpcs\":[{\"name\":\"v\",\"subnets\":"
                                + "[{\"name\":\"s\",\"zone\":\"us-south-9\",\"cidr\":\"10.0.0.0/24\"}]}]}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("us-south-9");
        assertThatThrownBy(
                        () -> VpcSimulator.start(
                                Scenario.fromJson(
                                        "{\"zones\":[\"us-south-1\"],\"vpcs\":[{\"name\":\"v\","
                                                + "\"routing_tables\":[{\"name\":\"t\",\"routes\":["
                                                + "{\"name\":\"a\",\"zone\":\"us-south-1\",\"destination\":\"10.9.0.0/24\",\"next_hop\":\"10.0.0.4\"},"
                                                + "{\"name\":\"b\",\"zone\":\"us-south-1\",\"destination\":\"10.9.0.0/24\",\"next_hop\":\"10.0.0.5\"},"
                                                + "{\"name\":\"c\",\"zone\":\"us-south-1\",\"destination\":\"10.9.0.0/24\",\"next_hop\":\"10.0.0.6\"}]}]}]}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("At most 2");
        assertThatThrownBy(() -> Scenario.fromJson("not json")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void trustedProfilePermissionsCanBeWithheld() {
        Scenario scenario = Scenario.fromJson("""
                {"zones":["us-south-1"],
                 "vpcs":[{"name":"v","subnets":[{"name":"s","zone":"us-south-1","cidr":"10.1.0.0/24"}]}],
                 "trusted_profiles":[{"name":"p","deny":["PATCH /v1/floating_ips/*"]}],
                 "instances":[{"name":"n","zone":"us-south-1","trusted_profile":"p",
                   "network_interfaces":[{"name":"eth0","subnet":"s","address":"10.1.0.4"}]}],
                 "floating_ips":[{"name":"f","zone":"us-south-1","target":"n/eth0"}]}
                """);
        try (VpcSimulator simulator = VpcSimulator.start(scenario)) {
            SimClient client = new SimClient(simulator);
            var base = simulator.metadataUrlFor("n");
            String identity = client.send(
                            HttpRequest.newBuilder(URI.create(base + "/instance_identity/v1/token?version=2022-03-01"))
                                    .header("Metadata-Flavor", "ibm")
                                    .PUT(BodyPublishers.noBody()))
                    .json()
                    .get("access_token")
                    .getAsString();
            String token = client.send(HttpRequest.newBuilder(
                                    URI.create(base + "/instance_identity/v1/iam_token?version=2022-03-01"))
                            .header("Authorization", "Bearer " + identity)
                            .POST(BodyPublishers.noBody()))
                    .json()
                    .get("access_token")
                    .getAsString();
            client.withToken(token);
            String fip = client.get("/floating_ips")
                    .json()
                    .getAsJsonArray("floating_ips")
                    .get(0)
                    .getAsJsonObject()
                    .get("id")
                    .getAsString();

            assertThat(client.get("/floating_ips/" + fip).status()).isEqualTo(200);
            assertThat(client.patch("/floating_ips/" + fip, "{\"name\":\"renamed\"}")
                            .status())
                    .isEqualTo(403);
        }
    }

    @Test
    void theBuiltInScenariosHaveARoutedPublicAddressRangeAndAHealthCheckedLoadBalancer() {
        try (VpcSimulator par = VpcSimulator.start(Scenario.builtIn("two-zone-par"))) {
            assertThat(par.oracle()
                            .deliver("150.240.68.2", TrafficSource.fromInternet())
                            .instanceName())
                    .hasValue("fw-a");
        }
        try (VpcSimulator simulator = SimulatorOptions.builder()
                .scenario(Scenario.threeZone())
                .behaviour(b -> b.loadBalancerHealthChecks = "off")
                .start()) {
            var toLoadBalancer = simulator.oracle().deliver("10.240.0.10", TrafficSource.fromZone("us-south-2"));
            var byName = simulator.oracle().deliverToLoadBalancer("app-lb", null, TrafficSource.fromZone("us-south-3"));

            assertThat(toLoadBalancer.instanceName()).hasValue("node-a");
            assertThat(toLoadBalancer.reason()).contains("node-b weight 0");
            assertThat(byName.instanceName()).hasValue("node-a");
        }
    }
}
