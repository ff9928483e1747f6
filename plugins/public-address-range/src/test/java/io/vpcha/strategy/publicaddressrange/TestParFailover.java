package io.vpcha.strategy.publicaddressrange;

import static io.vpcha.strategy.publicaddressrange.ParCluster.FW_A;
import static io.vpcha.strategy.publicaddressrange.ParCluster.FW_B;
import static io.vpcha.strategy.publicaddressrange.ParCluster.FW_C;
import static io.vpcha.strategy.publicaddressrange.ParCluster.parameters;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.SimulatedCluster.Outcome;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Failovers between the firewalls, proven by the simulator's forwarding oracle: across zones (the range
 * moves, then its ingress route), within a zone (only the route), and back; what each action costs in
 * requests.
 */
class TestParFailover extends ParClusterFixture {
    @Test
    void startWhereTheRangeAlreadyDeliversChangesNothing() {
        Outcome start = cluster.start("fw-a", parameters());

        assertThat(start.code()).as(start.toString()).isZero();
        assertThat(start.vpcWrites()).isZero();
        assertThat(cluster.deliveredTo()).hasValue("fw-a");
        assertThat(cluster.monitor("fw-a", parameters()).code()).isZero();
    }

    @Test
    void crossZoneFailoverMovesTheRangeThenItsRouteAndBack() {
        assertThat(cluster.start("fw-a", parameters()).code()).isZero();
        assertThat(cluster.stop("fw-a", parameters()).code()).isZero();

        Outcome toB = cluster.start("fw-b", parameters());

        assertThat(toB.code()).as(toB.toString()).isZero();
        assertThat(cluster.rangeZone()).isEqualTo("us-south-2");
        assertThat(cluster.rangeLifecycle()).as("start waited until it settled").isEqualTo("stable");
        assertThat(cluster.ingressRoutes()).containsExactly("par-us-south-1 us-south-2 " + FW_B);
        assertThat(cluster.deliveredTo()).hasValue("fw-b");
        assertThat(toB.vpcRequests("PATCH", "/public_address_ranges/")).isEqualTo(1);
        assertThat(toB.vpcRequests("POST", "/routes")).as("the new route").isEqualTo(1);
        assertThat(toB.vpcRequests("DELETE", "/routes/")).as("the old route").isEqualTo(1);
        assertThat(cluster.monitor("fw-b", parameters()).code()).isZero();
        Outcome oldNode = cluster.monitor("fw-a", parameters());
        assertThat(oldNode.code()).as("stopped there").isEqualTo(7);

        assertThat(cluster.stop("fw-b", parameters()).code()).isZero();
        Outcome back = cluster.start("fw-a", parameters());

        assertThat(back.code()).as(back.toString()).isZero();
        assertThat(cluster.rangeZone()).isEqualTo("us-south-1");
        assertThat(cluster.ingressRoutes()).containsExactly("par-us-south-1 us-south-1 " + FW_A);
        assertThat(cluster.deliveredTo()).hasValue("fw-a");
        assertThat(cluster.monitor("fw-a", parameters()).code()).isZero();
    }

    @Test
    void sameZoneFailoverChangesOnlyTheRoute() {
        Outcome toC = cluster.start("fw-c", parameters());

        assertThat(toC.code()).as(toC.toString()).isZero();
        assertThat(toC.vpcRequests("PATCH", "/public_address_ranges/")).isZero();
        assertThat(toC.vpcWrites()).as("one PATCH of the route's next hop").isEqualTo(1);
        assertThat(cluster.ingressRoutes()).containsExactly("par-us-south-1 us-south-1 " + FW_C);
        assertThat(cluster.deliveredTo()).hasValue("fw-c");
        assertThat(cluster.rangeZone()).isEqualTo("us-south-1");
    }

    @Test
    void aStartIsIdempotent() {
        assertThat(cluster.start("fw-b", parameters()).code()).isZero();

        Outcome again = cluster.start("fw-b", parameters());

        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(again.vpcWrites()).isZero();
        assertThat(again.vpcRequests("GET", "/public_address_ranges"))
                .as("the id kept: one GET, no list")
                .isEqualTo(1);
        assertThat(cluster.deliveredTo()).hasValue("fw-b");
    }

    @Test
    void monitorInSteadyStateMakesTwoRequestsAndAProbeWithoutAStartNone() {
        assertThat(cluster.start("fw-b", parameters()).code()).isZero();

        Outcome monitor = cluster.monitor("fw-b", parameters());
        Outcome probe = cluster.probe("fw-a", parameters());

        assertThat(monitor.code()).isZero();
        assertThat(monitor.result().vpcRequests()).isEqualTo(2);
        assertThat(monitor.result().metadataRequests()).isZero();
        assertThat(probe.code()).isEqualTo(7);
        assertThat(probe.result().vpcRequests()
                        + probe.result().iamRequests()
                        + probe.result().metadataRequests())
                .isZero();
    }

    @Test
    void stopMakesNoApiCallAndTrafficKeepsFlowingUntilAnotherNodeStarts() {
        assertThat(cluster.start("fw-b", parameters()).code()).isZero();

        Outcome stop = cluster.stop("fw-b", parameters());

        assertThat(stop.code()).isZero();
        assertThat(stop.result().vpcRequests()
                        + stop.result().iamRequests()
                        + stop.result().metadataRequests())
                .isZero();
        assertThat(cluster.deliveredTo()).hasValue("fw-b");
        assertThat(cluster.probe("fw-b", parameters()).code()).isEqualTo(7);
        assertThat(cluster.stop("fw-b", parameters()).code()).as("stop twice").isZero();
    }

    @Test
    void theRangeByIdOrCidrAndWithoutTheMetadataService() {
        Map<String, String> byCidr = parameters(
                "public_address_range",
                ParCluster.CIDR,
                "vpc_id",
                simulator.state().read(state -> state.vpcs.values().iterator().next().id),
                "node_ips",
                "fw-a=" + FW_A + ",fw-b=" + FW_B,
                "node_zones",
                "fw-a=us-south-1,fw-b=us-south-2",
                "metadata_url",
                "http://127.0.0.1:9/");

        Outcome start = cluster.start("fw-b", byCidr);

        assertThat(start.code()).as(start.toString()).isZero();
        assertThat(start.result().metadataRequests()).isZero();
        assertThat(cluster.deliveredTo()).hasValue("fw-b");

        Outcome byId = cluster.start("fw-a", parameters("public_address_range", cluster.rangeId()));
        assertThat(byId.code()).as(byId.toString()).isZero();
        assertThat(byId.vpcRequests("GET", "/public_address_ranges?"))
                .as("no list")
                .isZero();
        assertThat(cluster.deliveredTo()).hasValue("fw-a");
    }

    @Test
    void aRangeWithoutARouteGetsOneInTheActiveZone() {
        simulator.state().update(state -> state.routingTables.values().forEach(table -> table.routes.clear()));
        assertThat(cluster.deliveredTo()).as("no route, no traffic").isEmpty();

        Outcome start = cluster.start("fw-b", parameters());

        assertThat(start.code()).as(start.toString()).isZero();
        assertThat(cluster.ingressRoutes()).containsExactly("fw-par-ingress us-south-2 " + FW_B);
        assertThat(cluster.deliveredTo()).hasValue("fw-b");
        assertThat(cluster.monitor("fw-b", parameters()).code()).isZero();
    }
}
