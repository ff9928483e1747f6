package io.vpcha.strategy.publicaddressrange;

import static io.vpcha.strategy.publicaddressrange.ParCluster.parameters;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.SimulatedCluster.Outcome;
import io.vpcha.simulator.fault.FaultRule;
import io.vpcha.simulator.state.Route;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * API failures: a monitor never reports "not running" because the API could not be asked (within the
 * grace it is running, after it degraded); what it finds moved or gone it reports; a start that cannot
 * finish says why.
 */
class TestParFaults extends ParClusterFixture {
    @Test
    void rateLimitsWithinTheGraceAreRunningAndBeyondItDegraded() {
        Map<String, String> resource = parameters("max_attempts", "1", "monitor_grace", "60");
        assertThat(cluster.start("fw-b", resource).code()).isZero();
        simulator.faults().add(FaultRule.status(429).service("vpc").path("/v1/public_address_ranges/*"));

        Outcome within = cluster.monitor("fw-b", resource);
        assertThat(within.code()).as(within.toString()).isZero();
        assertThat(within.result().stderr())
                .contains("WARNING: cannot verify public address range fw-par (150.240.68.0/30)")
                .contains("within monitor_grace 60s")
                .contains("HTTP 429");

        cluster.harness.clock().advance(Duration.ofSeconds(61));
        Outcome beyond = cluster.monitor("fw-b", resource);
        assertThat(beyond.code()).as(beyond.toString()).isEqualTo(190);
        assertThat(beyond.reason())
                .startsWith("cannot verify public address range fw-par (150.240.68.0/30) (last seen delivering here")
                .contains("beyond monitor_grace 60s");

        simulator.faults().clear();
        assertThat(cluster.monitor("fw-b", resource).code())
                .as("verified again")
                .isZero();
    }

    @Test
    void aServerErrorOnTheRouteIsTransientToo() {
        Map<String, String> resource = parameters("max_attempts", "1");
        assertThat(cluster.start("fw-b", resource).code()).isZero();
        simulator.faults().add(FaultRule.status(503).service("vpc").path("/v1/vpcs/*/routing_tables/*/routes/*"));

        Outcome monitor = cluster.monitor("fw-b", resource);

        assertThat(monitor.code()).as(monitor.toString()).isZero();
        assertThat(monitor.result().stderr()).contains("HTTP 503");
    }

    @Test
    void aLostPermissionDegradesAtOnce() {
        assertThat(cluster.start("fw-b", parameters()).code()).isZero();
        simulator.faults().add(FaultRule.status(403).service("vpc"));

        Outcome monitor = cluster.monitor("fw-b", parameters());

        assertThat(monitor.code()).isEqualTo(190);
        assertThat(monitor.reason()).contains("HTTP 403");
    }

    @Test
    void aHangingApiStillGetsTheMonitorAnsweredBeforeItsTimeout() {
        assertThat(cluster.start("fw-b", parameters()).code()).isZero();
        simulator.faults().add(FaultRule.hang(30_000).service("vpc"));

        Outcome monitor =
                cluster.run("fw-b", "monitor", parameters(), Duration.ofSeconds(10), Duration.ofSeconds(4), Map.of());

        assertThat(monitor.code()).as(monitor.toString()).isZero();
        assertThat(monitor.result().stderr()).contains("no answer in the time this action has");
        assertThat(monitor.result().elapsed()).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void aRangeMovedAwayOrARouteGoneIsNotRunning() {
        assertThat(cluster.start("fw-b", parameters()).code()).isZero();
        assertThat(cluster.start("fw-a", parameters()).code()).isZero();

        Outcome moved = cluster.monitor("fw-b", parameters());
        assertThat(moved.code()).isEqualTo(7);
        assertThat(moved.reason())
                .isEqualTo("public address range fw-par (150.240.68.0/30) is bound to zone us-south-1 of VPC fw-vpc, "
                        + "not to this node's zone us-south-2");

        simulator.state().update(state -> state.routingTables.values().forEach(table -> table.routes.clear()));
        Outcome gone = cluster.monitor("fw-a", parameters());
        assertThat(gone.code()).isEqualTo(7);
        assertThat(gone.reason()).isEqualTo("routing table par-ingress has no route for 150.240.68.0/30");
        assertThat(gone.result().vpcRequests())
                .as("range, route, then the table")
                .isEqualTo(3);
    }

    @Test
    void aRouteReCreatedByHandThatDeliversHereIsAdopted() {
        assertThat(cluster.start("fw-b", parameters()).code()).isZero();
        // an operator deletes the route and creates it again: a new id, delivering here all the same
        simulator
                .state()
                .update(state -> state.routingTables.values().forEach(table -> {
                    List<Route> routes = List.copyOf(table.routes.values());
                    table.routes.clear();
                    routes.forEach(route -> {
                        route.id = route.id + "-recreated";
                        table.routes.put(route.id, route);
                    });
                }));

        Outcome monitor = cluster.monitor("fw-b", parameters());
        Outcome next = cluster.monitor("fw-b", parameters());

        assertThat(monitor.code()).as(monitor.toString()).isZero();
        assertThat(next.code()).isZero();
        assertThat(next.result().vpcRequests()).as("the new id kept").isEqualTo(2);
    }

    @Test
    void aDeletedRangeDegrades() {
        assertThat(cluster.start("fw-b", parameters()).code()).isZero();
        String id = cluster.rangeId();
        simulator.state().update(state -> state.publicAddressRanges.remove(id));

        Outcome monitor = cluster.monitor("fw-b", parameters());

        assertThat(monitor.code()).isEqualTo(190);
        assertThat(monitor.reason()).contains("no longer exists");
    }

    @Test
    void aRefusedBindNamesTheIamActionItNeeds() {
        Outcome start = cluster.start("fw-b", parameters("api_key", ParCluster.READONLY_KEY));

        assertThat(start.code()).as(start.toString()).isEqualTo(4);
        assertThat(start.result().shownReason())
                .as("the one line Pacemaker shows")
                .startsWith("needs IAM action is.public-address-range.public-address-range.update");
        assertThat(start.reason()).contains("HTTP 403");
        assertThat(cluster.rangeZone()).isEqualTo("us-south-1");
    }
}
