package io.vpcha.strategy.publicaddressrange;

import static io.vpcha.strategy.publicaddressrange.ParCluster.FW_B;
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

/** public-address-range as a promotable clone: the passive node's readiness, and a promotion it made warm. */
class TestParPromotable extends ParClusterFixture {
    private RecordedPacemakerTools tools;
    private AgentHarness.Node fwA;
    private AgentHarness.Node fwB;

    @BeforeEach
    void nodes() {
        tools = RecordedPacemakerTools.in(work.resolve("sbin"));
        fwA = cluster.harness.node("fw-a").with("HA_SBIN_DIR", tools.directory());
        fwB = cluster.harness.node("fw-b").with("HA_SBIN_DIR", tools.directory());
    }

    @Test
    void theReadyPassiveNodeIsPromotedWithoutIamOrLookups() {
        assertThat(fwA.run("start", promotable()).code()).isZero();
        assertThat(fwA.run("promote", promotable()).code()).isZero();
        Result start = fwB.run("start", promotable());
        assertThat(start.code()).as("%s", start).isZero();
        assertThat(cluster.deliveredTo())
                .as("an Unpromoted start moves nothing")
                .hasValue("fw-a");
        Result readiness = fwB.monitor(promotable());
        assertThat(readiness.code()).as("%s", readiness).isZero();
        assertThat(readiness.vpcRequests()).isEqualTo(1);
        assertThat(readiness.iamRequests()).isZero();
        assertThat(tools.takeCalls()).contains("crm_attribute -N fw-b -n vpc-ha-readiness-vip -l reboot -v ready");

        assertThat(fwA.run("demote", promotable()).code()).isZero();
        tools.takeCalls();
        long before = cluster.simulator.journal().lastSequence();
        Result promote = fwB.run("promote", promotable());

        assertThat(promote.code()).as("%s", promote).isZero();
        assertThat(cluster.deliveredTo()).hasValue("fw-b");
        assertThat(cluster.ingressRoutes()).containsExactly("par-us-south-1 us-south-2 " + FW_B);
        assertThat(promote.iamRequests()).as("the standby's token").isZero();
        assertThat(cluster.simulator.journal().entriesAfter(before))
                .as("no lookup: the range is read by its remembered id, the remembered table's routes listed, "
                        + "never the list of ranges or of the VPC's tables")
                .noneMatch(entry -> entry.method().equals("GET")
                        && (entry.endpoint().endsWith("/public_address_ranges")
                                || entry.endpoint().endsWith("/routing_tables")));
        assertThat(tools.takeCalls()).containsExactly("crm_attribute --promotion -v 110");
        assertThat(fwB.monitor(promotable()).code()).as("Promoted").isEqualTo(8);
    }

    @Test
    void everyReadinessCheckCostsOneVpcRequestReadingTheRangeAndTheRouteInTurn() {
        assertThat(fwB.run("start", promotable()).code()).isZero();
        long before = cluster.simulator.journal().lastSequence();

        for (int check = 0; check < 4; check++) {
            Result monitor = fwB.monitor(promotable());
            assertThat(monitor.code()).as("%s", monitor).isZero();
            assertThat(monitor.vpcRequests()).as("check %d", check).isEqualTo(1);
            assertThat(monitor.iamRequests()).isZero();
        }

        List<String> read = new ArrayList<>();
        cluster.simulator.journal().entriesAfter(before).stream()
                .filter(entry -> entry.service().equals("vpc"))
                .map(JournalEntry::endpoint)
                .forEach(read::add);
        String range = "GET /v1/public_address_ranges/{id}";
        String route = "GET /v1/vpcs/{vpc_id}/routing_tables/{routing_table_id}/routes/{id}";
        assertThat(read.stream().map(endpoint -> "GET " + endpoint).toList())
                .containsExactly(range, route, range, route);
    }

    @Test
    void aRouteTheActiveNodeMadeAgainIsFoundByListingItsTableOnce() {
        assertThat(fwA.run("start", promotable()).code()).isZero();
        assertThat(fwB.run("start", promotable()).code()).isZero();
        assertThat(fwB.run("promote", promotable()).code()).isZero();
        assertThat(fwA.run("demote", promotable()).code()).isZero();

        long requests = 0;
        for (int check = 0; check < 2; check++) {
            Result monitor = fwA.monitor(promotable());
            assertThat(monitor.code()).as("%s", monitor).isZero();
            requests += monitor.vpcRequests();
        }

        assertThat(requests)
                .as("the range, then the route it remembered (gone: moved to us-south-2) and the table's list")
                .isEqualTo(3);
        assertThat(fwA.monitor(promotable()).vpcRequests()).isEqualTo(1);
        assertThat(fwA.monitor(promotable()).vpcRequests())
                .as("the route made again, remembered")
                .isEqualTo(1);
        assertThat(tools.takeCalls()).doesNotContain("crm_attribute --promotion -v 1");
    }

    @Test
    void aNodeWhoseZoneIsUnknownIsNotReadyAndNotFailed() {
        Map<String, String> resource = promotable("node_zones", "fw-a=us-south-1");

        Result start = fwB.run("start", resource);

        assertThat(start.code()).as("%s", start).isZero();
        assertThat(start.vpcRequests()).isZero();
        assertThat(tools.takeCalls())
                .containsExactly(
                        "crm_attribute --promotion -v 1",
                        "crm_attribute -N fw-b -n vpc-ha-readiness-vip -l reboot -v not ready: node_zones has no "
                                + "entry for this node, fw-b; add fw-b=ZONE");
        Result monitor = fwB.monitor(resource);
        assertThat(monitor.code()).as("%s", monitor).isZero();
        assertThat(monitor.reason()).isEmpty();
    }

    private static Map<String, String> promotable(String... extra) {
        List<String> pairs = new ArrayList<>(List.of("CRM_meta_promotable", "true"));
        pairs.addAll(List.of(extra));
        return ParCluster.parameters(pairs.toArray(String[]::new));
    }
}
