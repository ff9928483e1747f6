package io.vpcha.strategy.customroute;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.AgentHarness;
import io.vpcha.host.testing.AgentHarness.Result;
import io.vpcha.host.testing.RecordedPacemakerTools;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.fault.FaultRule;
import io.vpcha.simulator.oracle.TrafficSource;
import io.vpcha.simulator.scenario.Scenario;
import io.vpcha.simulator.state.Ipv4;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** custom-route as a promotable clone: the passive node's readiness, and a promotion it made warm. */
class TestCustomRoutePromotable {
    private static final String VIP = "10.0.0.100";
    private static final String HA_KEY = "sim-test-apikey-ha-0000000000000001";

    private static VpcSimulator simulator;

    @TempDir
    Path work;

    private RecordedPacemakerTools tools;
    private AgentHarness.Node nodeA;
    private AgentHarness.Node nodeB;

    @BeforeAll
    static void startSimulator() {
        simulator = VpcSimulator.builder()
                .scenario(Scenario.threeZone())
                .perInstanceMetadata(true)
                .start();
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    @BeforeEach
    void reset() {
        simulator.reset();
        AgentHarness harness = new AgentHarness(simulator, work, List.of(HA_KEY), new CustomRouteStrategyProvider());
        tools = RecordedPacemakerTools.in(work.resolve("sbin"));
        nodeA = harness.node("node-a").with("HA_SBIN_DIR", tools.directory());
        nodeB = harness.node("node-b").with("HA_SBIN_DIR", tools.directory());
    }

    @Test
    void theReadyPassiveNodeIsPromotedWithoutIamOrDiscovery() {
        assertThat(nodeA.run("start", promotable()).code()).isZero();
        assertThat(nodeA.run("promote", promotable()).code()).isZero();
        assertThat(delivered()).isEqualTo("node-a");

        Result start = nodeB.run("start", promotable());
        assertThat(start.code()).as("%s", start).isZero();
        assertThat(delivered()).as("an Unpromoted start moves nothing").isEqualTo("node-a");
        Result readiness = nodeB.monitor(promotable());
        assertThat(readiness.code()).as("%s", readiness).isZero();
        assertThat(readiness.iamRequests()).isZero();
        assertThat(readiness.vpcRequests())
                .as("one remembered route read, whatever the number of tables")
                .isEqualTo(1);
        assertThat(nodeA.monitor(promotable()).code()).as("the Promoted node").isEqualTo(8);
        tools.takeCalls();

        assertThat(nodeA.run("demote", promotable()).code()).isZero();
        long before = simulator.journal().lastSequence();
        Result promote = nodeB.run("promote", promotable());

        assertThat(promote.code()).as("%s", promote).isZero();
        assertThat(delivered()).isEqualTo("node-b");
        assertThat(promote.iamRequests()).as("the standby's token").isZero();
        assertThat(simulator.journal().entriesAfter(before))
                .as("no discovery: the remembered tables are read, never the VPC's list of them")
                .noneMatch(entry -> entry.service().equals("vpc")
                        && entry.method().equals("GET")
                        && entry.endpoint().endsWith("/routing_tables"));
        assertThat(tools.takeCalls()).contains("crm_attribute --promotion -v 110");
        assertThat(nodeB.monitor(promotable()).code()).isEqualTo(8);
        assertThat(nodeA.monitor(promotable()).code())
                .as("the demoted node is ready again")
                .isZero();
    }

    @Test
    void everyReadinessCheckCostsOneVpcRequestAndTurnsThroughTheRememberedRoutes() {
        Result start = nodeB.run("start", promotable());
        assertThat(start.code()).as("%s", start).isZero();
        int vipRoutes = vipRoutes().size();
        assertThat(vipRoutes)
                .as("egress routes in the client zones and the ingress route")
                .isGreaterThan(2);
        long before = simulator.journal().lastSequence();

        List<String> read = new ArrayList<>();
        for (int check = 0; check < 2 * vipRoutes; check++) {
            Result monitor = nodeB.monitor(promotable());
            assertThat(monitor.code()).as("%s", monitor).isZero();
            assertThat(monitor.vpcRequests()).as("check %d", check).isEqualTo(1);
            assertThat(monitor.iamRequests()).isZero();
        }
        simulator.journal().entriesAfter(before).stream()
                .filter(entry -> entry.service().equals("vpc"))
                .forEach(entry -> {
                    assertThat(entry.method() + " " + entry.endpoint())
                            .endsWith("GET /v1/vpcs/{vpc_id}" + "/routing_tables/{routing_table_id}/routes/{id}");
                    read.add(entry.path().substring(entry.path().lastIndexOf('/') + 1));
                });

        assertThat(read).hasSize(2 * vipRoutes);
        assertThat(read.subList(0, vipRoutes))
                .as("each remembered route once per round")
                .containsExactlyInAnyOrderElementsOf(vipRoutes());
        assertThat(read.subList(vipRoutes, 2 * vipRoutes)).containsExactlyElementsOf(read.subList(0, vipRoutes));
    }

    @Test
    void aRouteTheActiveNodeMadeAgainIsFoundByListingItsTableOnce() {
        assertThat(nodeA.run("start", promotable()).code()).isZero();
        List<String> before = vipRoutes();
        assertThat(nodeB.run("start", promotable()).code()).isZero();
        assertThat(nodeB.run("promote", promotable()).code()).isZero();
        List<String> after = vipRoutes();
        assertThat(after).as("the ingress route moved zones: a new id").isNotEqualTo(before);
        int vipRoutes = after.size();

        long requests = 0;
        for (int check = 0; check < vipRoutes; check++) {
            Result monitor = nodeA.monitor(promotable());
            assertThat(monitor.code()).as("%s", monitor).isZero();
            requests += monitor.vpcRequests();
        }

        assertThat(requests)
                .as("one GET per check, and one list of the table whose remembered route is gone")
                .isEqualTo(vipRoutes + 1);
        assertThat(nodeA.monitor(promotable()).vpcRequests()).isEqualTo(1);
    }

    @Test
    void aNodeWithoutTheVipsInterfaceIsNotReadyAndNotFailed() {
        Map<String, String> resource = promotable("manage_local_ip", "true", "interface", "vpcha-missing0");

        Result start = nodeB.run("start", resource);
        assertThat(start.code()).as("%s", start).isZero();
        assertThat(tools.takeCalls())
                .containsExactly(
                        "crm_attribute --promotion -v 1",
                        "crm_attribute -N node-b -n vpc-ha-readiness-vip -l reboot -v not ready: interface "
                                + "vpcha-missing0 does not exist on this node");

        // not ready is a successful Unpromoted monitor: a failed one's cancel stalls a promotion after the
        // DC dies (docs/reliability.md); the promotion score and the node attribute say it instead
        Result monitor = nodeB.monitor(resource);
        assertThat(monitor.code()).as("%s", monitor).isZero();
        assertThat(monitor.reason()).isEmpty();
        assertThat(monitor.vpcRequests()).isZero();
    }

    @Test
    void aMetadataOutageOnThePassiveNodeIsSeenBeforeAFailover() {
        assertThat(nodeB.run("start", promotable()).code()).isZero();
        assertThat(nodeB.monitor(promotable()).code()).isZero();
        tools.takeCalls();
        FaultRule outage = simulator.faults().add(FaultRule.metadataOutage().instance("node-b"));
        try {
            Result monitor = nodeB.monitor(promotable());

            assertThat(monitor.code()).as("%s", monitor).isZero();
            assertThat(tools.takeCalls())
                    .contains("crm_attribute --promotion -v 1")
                    .anySatisfy(call -> assertThat(call)
                            .startsWith("crm_attribute -N node-b -n vpc-ha-readiness-vip -l reboot -v not ready: ")
                            .contains("metadata"));
        } finally {
            simulator.faults().remove(outage.id());
        }
        assertThat(nodeB.monitor(promotable()).code()).isZero();
        assertThat(tools.takeCalls()).contains("crm_attribute --promotion -v 100");
    }

    @Test
    void thePromotedNodeWhoseVipWasTakenSaysSoAsAPrimitiveWould() {
        assertThat(nodeA.run("start", promotable()).code()).isZero();
        assertThat(nodeA.run("promote", promotable()).code()).isZero();
        assertThat(nodeB.run("start", promotable()).code()).isZero();
        assertThat(nodeB.run("promote", promotable()).code())
                .as("taken without a demote on node-a")
                .isZero();

        Result monitor = nodeA.monitor(promotable());

        assertThat(monitor.code()).isEqualTo(7);
        assertThat(monitor.reason()).contains("delivers to 10.240.64.4, not 10.240.0.4");
    }

    @Test
    void aPrimitiveIsWhatItWas() {
        Map<String, String> primitive = new HashMap<>(promotable());
        primitive.remove("CRM_meta_promotable");

        assertThat(nodeB.run("start", primitive).code()).isZero();
        assertThat(delivered()).isEqualTo("node-b");
        assertThat(nodeB.monitor(primitive).code()).isZero();
        assertThat(nodeB.run("promote", primitive).code()).isEqualTo(3);
        assertThat(nodeB.run("stop", primitive).code()).isZero();
        assertThat(tools.takeCalls()).as("a primitive sets no attribute").isEmpty();
    }

    /** The ids of the routes for the VIP in every routing table. */
    private static List<String> vipRoutes() {
        return simulator
                .state()
                .read(state -> state.routingTables.values().stream()
                        .flatMap(table -> table.routes.values().stream())
                        .filter(route -> route.destination.equals(Ipv4.Cidr.parse(VIP + "/32")))
                        .map(route -> route.id)
                        .sorted()
                        .toList());
    }

    private static String delivered() {
        return simulator
                .oracle()
                .deliver(VIP, TrafficSource.fromZone("us-south-3"))
                .instanceName()
                .orElse("nobody");
    }

    private static Map<String, String> promotable(String... overrides) {
        Map<String, String> parameters = new HashMap<>(Map.of(
                "strategy", "custom-route", "vip", VIP, "manage_local_ip", "false", "CRM_meta_promotable", "true"));
        for (int i = 0; i < overrides.length; i += 2) {
            parameters.put(overrides[i], overrides[i + 1]);
        }
        return parameters;
    }
}
