package io.vpcha.strategy.secondaryip;

import static io.vpcha.strategy.secondaryip.SecondaryIpCluster.VIP;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.AgentHarness;
import io.vpcha.host.testing.AgentHarness.Result;
import io.vpcha.host.testing.RecordedPacemakerTools;
import io.vpcha.simulator.journal.JournalEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** secondary-ip as a promotable clone: the passive node's readiness, and a promotion it made warm. */
class TestSecondaryIpPromotable extends SecondaryIpClusterFixture {
    private static final String RESERVED_IP = "GET /v1/subnets/{subnet_id}/reserved_ips/{id}";
    private static final String VNI = "GET /v1/virtual_network_interfaces/{id}";

    private RecordedPacemakerTools tools;
    private AgentHarness.Node nodeA;
    private AgentHarness.Node nodeB;

    @BeforeEach
    void nodes() {
        tools = RecordedPacemakerTools.in(work.resolve("sbin"));
        nodeA = cluster.harness.node("node-a").with("HA_SBIN_DIR", tools.directory());
        nodeB = cluster.harness.node("node-b").with("HA_SBIN_DIR", tools.directory());
    }

    @Test
    void theReadyPassiveNodeIsPromotedWithoutIamOrResolving() {
        assertThat(nodeA.run("start", promotable()).code()).isZero();
        assertThat(nodeA.run("promote", promotable()).code()).isZero();
        Result start = nodeB.run("start", promotable());
        assertThat(start.code()).as("%s", start).isZero();
        assertThat(cluster.boundTo(VIP)).as("an Unpromoted start moves nothing").hasValue("vni-a");
        Result readiness = nodeB.monitor(promotable());
        assertThat(readiness.code()).as("%s", readiness).isZero();
        assertThat(readiness.vpcRequests()).isEqualTo(1);
        assertThat(readiness.iamRequests()).isZero();
        assertThat(tools.takeCalls()).contains("crm_attribute -N node-b -n vpc-ha-readiness-vip -l reboot -v ready");

        assertThat(nodeA.run("demote", promotable()).code()).isZero();
        tools.takeCalls();
        long before = cluster.simulator.journal().lastSequence();
        Result promote = nodeB.run("promote", promotable());

        assertThat(promote.code()).as("%s", promote).isZero();
        assertThat(cluster.boundTo(VIP)).hasValue("vni-b");
        assertThat(cluster.deliveredFromEveryZone(VIP)).containsOnly("node-b");
        assertThat(promote.iamRequests()).as("the standby's token").isZero();
        assertThat(cluster.simulator.journal().entriesAfter(before))
                .as("nothing resolved again: no read of the subnet, no list of its reserved IPs")
                .noneMatch(entry -> List.of("GET /v1/subnets/{id}", "GET /v1/subnets/{subnet_id}/reserved_ips")
                        .contains(request(entry)));
        assertThat(tools.takeCalls()).containsExactly("crm_attribute --promotion -v 110");
        assertThat(nodeB.monitor(promotable()).code()).as("Promoted").isEqualTo(8);
    }

    @Test
    void everyReadinessCheckCostsOneVpcRequestReadingTheReservedIpAndThisNodesVniInTurn() {
        assertThat(nodeB.run("start", promotable()).code()).isZero();
        long before = cluster.simulator.journal().lastSequence();

        for (int check = 0; check < 4; check++) {
            Result monitor = nodeB.monitor(promotable());
            assertThat(monitor.code()).as("%s", monitor).isZero();
            assertThat(monitor.vpcRequests()).as("check %d", check).isEqualTo(1);
            assertThat(monitor.iamRequests()).isZero();
        }

        List<String> read = cluster.simulator.journal().entriesAfter(before).stream()
                .filter(entry -> entry.service().equals("vpc"))
                .map(TestSecondaryIpPromotable::request)
                .toList();
        assertThat(read).containsExactly(RESERVED_IP, VNI, RESERVED_IP, VNI);
    }

    @Test
    void aNodeWhoseVniIsInAnotherSubnetIsNotReadyAndNotFailed() {
        AgentHarness.Node nodeC = cluster.harness.node("node-c").with("HA_SBIN_DIR", tools.directory());

        Result start = nodeC.run("start", promotable());

        assertThat(start.code()).as("%s", start).isZero();
        assertThat(tools.takeCalls())
                .contains("crm_attribute --promotion -v 1")
                .anySatisfy(call -> assertThat(call)
                        .startsWith("crm_attribute -N node-c -n vpc-ha-readiness-vip -l reboot -v not ready: ip " + VIP
                                + " is in subnet"));
        Result monitor = nodeC.monitor(promotable());
        assertThat(monitor.code()).as("%s", monitor).isZero();
        assertThat(monitor.reason()).isEmpty();
    }

    private static String request(JournalEntry entry) {
        return entry.method() + " " + entry.endpoint();
    }

    private static Map<String, String> promotable(String... extra) {
        List<String> pairs = new ArrayList<>(List.of("CRM_meta_promotable", "true"));
        pairs.addAll(List.of(extra));
        return SecondaryIpCluster.parameters(pairs.toArray(String[]::new));
    }
}
