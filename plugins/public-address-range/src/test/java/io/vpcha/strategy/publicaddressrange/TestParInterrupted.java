package io.vpcha.strategy.publicaddressrange;

import static io.vpcha.strategy.publicaddressrange.ParCluster.FW_A;
import static io.vpcha.strategy.publicaddressrange.ParCluster.FW_B;
import static io.vpcha.strategy.publicaddressrange.ParCluster.parameters;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.SimulatedCluster.Outcome;
import io.vpcha.simulator.fault.FaultRule;
import io.vpcha.toolkit.route.RouteMover;
import org.junit.jupiter.api.Test;

/**
 * A start that stops half way (the API refuses the next step, as a crash would leave it) is repaired
 * by the next start, on the same node or on the other: after the range's PATCH and before its route,
 * between the new route's creation and the old one's deletion, and while the range is still updating.
 */
class TestParInterrupted extends ParClusterFixture {
    private static final String ROUTES = "/v1/vpcs/*/routing_tables/*/routes";

    /** fw-b's start moves the range to us-south-2 and then cannot create the route there. */
    private Outcome startStoppedAfterTheRangeMoved() {
        simulator
                .faults()
                .add(FaultRule.status(400)
                        .service("vpc")
                        .method("POST")
                        .path(ROUTES)
                        .count(1));
        Outcome failed = cluster.start("fw-b", parameters());
        assertThat(failed.code()).as(failed.toString()).isNotZero();
        assertThat(cluster.rangeZone()).isEqualTo("us-south-2");
        assertThat(cluster.ingressRoutes()).containsExactly("par-us-south-1 us-south-1 " + FW_A);
        assertThat(cluster.deliveredTo())
                .as("the range in us-south-2, its route in us-south-1: dropped")
                .isEmpty();
        assertThat(cluster.delivery().reason()).contains("par-us-south-1");
        return failed;
    }

    @Test
    void afterThePatchBeforeTheRouteTheSameNodeFinishes() {
        startStoppedAfterTheRangeMoved();

        Outcome again = cluster.start("fw-b", parameters());

        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(again.vpcRequests("PATCH", "/public_address_ranges/"))
                .as("already here")
                .isZero();
        assertThat(cluster.ingressRoutes()).containsExactly("par-us-south-1 us-south-2 " + FW_B);
        assertThat(cluster.deliveredTo()).hasValue("fw-b");
    }

    @Test
    void afterThePatchBeforeTheRouteTheOtherNodeTakesItBack() {
        startStoppedAfterTheRangeMoved();

        Outcome other = cluster.start("fw-a", parameters());

        assertThat(other.code()).as(other.toString()).isZero();
        assertThat(cluster.rangeZone()).isEqualTo("us-south-1");
        assertThat(cluster.ingressRoutes()).containsExactly("par-us-south-1 us-south-1 " + FW_A);
        assertThat(cluster.deliveredTo()).hasValue("fw-a");
        assertThat(cluster.monitor("fw-b", parameters()).code())
                .as("never started there")
                .isEqualTo(7);
    }

    /** fw-b's start created the route in us-south-2 and then could not delete the old one. */
    private void startStoppedBetweenRouteCreateAndDelete() {
        simulator
                .faults()
                .add(FaultRule.status(400)
                        .service("vpc")
                        .method("DELETE")
                        .path(ROUTES + "/*")
                        .count(1));
        Outcome failed = cluster.start("fw-b", parameters());
        assertThat(failed.code()).as(failed.toString()).isNotZero();
        assertThat(cluster.ingressRoutes())
                .containsExactlyInAnyOrder(
                        "par-us-south-1 us-south-1 " + FW_A,
                        "par-us-south-1" + RouteMover.MOVING_SUFFIX + " us-south-2 " + FW_B);
        assertThat(cluster.deliveredTo()).as("the new route already delivers").hasValue("fw-b");
    }

    @Test
    void betweenRouteCreateAndDeleteTheSameNodeFinishes() {
        startStoppedBetweenRouteCreateAndDelete();

        Outcome again = cluster.start("fw-b", parameters());

        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(cluster.ingressRoutes()).containsExactly("par-us-south-1 us-south-2 " + FW_B);
        assertThat(cluster.deliveredTo()).hasValue("fw-b");
        assertThat(cluster.monitor("fw-b", parameters()).code()).isZero();
    }

    @Test
    void betweenRouteCreateAndDeleteTheOtherNodeTakesItBack() {
        startStoppedBetweenRouteCreateAndDelete();

        Outcome other = cluster.start("fw-a", parameters());

        assertThat(other.code()).as(other.toString()).isZero();
        assertThat(cluster.ingressRoutes()).containsExactly("par-us-south-1 us-south-1 " + FW_A);
        assertThat(cluster.rangeZone()).isEqualTo("us-south-1");
        assertThat(cluster.deliveredTo()).hasValue("fw-a");
    }

    @Test
    void aRangeStillUpdatingAfterMoveTimeoutFailsTheStartAndTheNextStartFinishes() {
        simulator.behaviour().publicAddressRangeUpdateMillis = 3_000;

        Outcome first = cluster.start("fw-b", parameters("move_timeout", "1"));

        assertThat(first.code()).as(first.toString()).isEqualTo(1);
        assertThat(first.reason())
                .startsWith("public address range fw-par (150.240.68.0/30) is not stable in zone us-south-2 after ")
                .contains("it is updating, bound to zone us-south-2 of VPC fw-vpc")
                .endsWith("the next start finishes the move");
        assertThat(cluster.ingressRoutes()).as("the route waits for the range").hasSize(1);

        Outcome next = cluster.start("fw-b", parameters());

        assertThat(next.code()).as(next.toString()).isZero();
        assertThat(next.vpcRequests("PATCH", "/public_address_ranges/")).isZero();
        assertThat(cluster.rangeLifecycle()).isEqualTo("stable");
        assertThat(cluster.deliveredTo()).hasValue("fw-b");
    }
}
