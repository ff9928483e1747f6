package io.vpcha.strategy.floatingip;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.RecordedPacemakerTools;
import io.vpcha.host.testing.SimulatedCluster.Outcome;
import io.vpcha.simulator.fault.FaultRule;
import io.vpcha.simulator.state.FloatingIp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** floating-ip as a promotable clone: readiness on the passive node, and a warm promotion. */
class TestFloatingIpPromotable extends FloatingIpClusterFixture {
    private static final String GET = "GET /v1/floating_ips/{id}";
    private static final String PATCH = "PATCH /v1/floating_ips/{id}";
    /** The latency of every VPC request when rounds are counted. */
    private static final long ROUND_MILLIS = 400;

    private RecordedPacemakerTools tools;

    @BeforeEach
    void recordPacemakerTools() {
        tools = RecordedPacemakerTools.in(work.resolve("sbin"));
    }

    @Test
    void theReadyPassiveNodeIsPromotedWithOneReadAndOnePatch() {
        Map<String, String> resource = FloatingIpCluster.parameters("CRM_meta_promotable", "true");
        assertThat(run("node-b", "start", resource).code()).isZero();
        assertThat(cluster.vipDeliveredTo())
                .as("an Unpromoted start moves nothing")
                .hasValue("node-a");
        Outcome readiness = monitor("node-b", resource);
        assertThat(readiness.code()).as("%s", readiness).isZero();
        assertThat(readiness.result().vpcRequests())
                .as("one GET of the remembered floating IP")
                .isEqualTo(1);
        assertThat(readiness.result().iamRequests()).isZero();
        assertThat(tools.takeCalls())
                .containsExactly(
                        "crm_attribute --promotion -v 100",
                        "crm_attribute -N node-b -n vpc-ha-readiness-vip -l reboot -v ready");

        Outcome promote = run("node-b", "promote", resource);

        assertThat(promote.code()).as("%s", promote).isZero();
        assertThat(cluster.vipDeliveredTo()).hasValue("node-b");
        assertThat(promote.result().iamRequests()).isZero();
        assertThat(promote.vpcRequests("GET", "/floating_ips"))
                .as("no listing: the remembered id")
                .isLessThanOrEqualTo(2);
        assertThat(promote.vpcWrites()).isEqualTo(1);
        assertThat(monitor("node-b", resource).code()).as("Promoted").isEqualTo(8);
        assertThat(run("node-b", "demote", resource).code()).isZero();
        assertThat(monitor("node-b", resource).code()).as("Unpromoted").isZero();
        assertThat(run("node-b", "stop", resource).code()).isZero();
        assertThat(cluster.probe("node-b", resource).code()).isEqualTo(7);
    }

    @Test
    void aWarmPromoteSendsThePatchThenReadsItBackInTwoRoundsWithNoIamRequest() {
        Map<String, String> resource = FloatingIpCluster.parameters("CRM_meta_promotable", "true");
        readyStandby("node-b", resource);

        Outcome promote = slowly(() -> run("node-b", "promote", resource));

        assertThat(promote.code()).as("%s", promote).isZero();
        assertThat(cluster.vipDeliveredTo()).hasValue("node-b");
        assertThat(promote.result().iamRequests()).isZero();
        assertThat(promote.vpcRounds())
                .as("the remembered floating IP bound to the remembered target with no read first, then read back")
                .containsExactly(List.of(PATCH), List.of(GET));
        assertThat(monitor("node-b", resource).code()).as("Promoted").isEqualTo(8);
    }

    @Test
    void aStaleRememberedIdIsReadAgainAndTheFloatingIpStillMoves() {
        Map<String, String> resource = FloatingIpCluster.parameters("CRM_meta_promotable", "true");
        readyStandby("node-b", resource);
        String stale = cluster.floatingIpId("vip-fip");
        // released and allocated again under the same name and address since the last readiness check
        simulator.state().update(state -> {
            FloatingIp floatingIp = state.floatingIps.remove(stale);
            floatingIp.id = state.ids().regional("floating_ip");
            state.floatingIps.put(floatingIp.id, floatingIp);
        });

        Outcome promote = slowly(() -> run("node-b", "promote", resource));

        assertThat(promote.code()).as("%s", promote).isZero();
        assertThat(cluster.vipDeliveredTo()).hasValue("node-b");
        assertThat(cluster.floatingIpTarget("vip-fip")).isEqualTo(cluster.interfaceId("node-b"));
        assertThat(promote.vpcRounds())
                .as("the stale id's PATCH is refused (404); found again as a start finds it, bound, read back")
                .containsExactly(
                        List.of(PATCH), List.of(GET), List.of("GET /v1/floating_ips"), List.of(PATCH), List.of(GET));
        assertThat(monitor("node-b", resource).code()).as("Promoted").isEqualTo(8);
    }

    @Test
    void aPromoteNoRecentReadinessCheckVouchesForReadsFirst() {
        Map<String, String> resource = FloatingIpCluster.parameters("CRM_meta_promotable", "true");
        readyStandby("node-b", resource);
        // the Unpromoted monitor stopped: 3 default intervals and a little more since its last check
        cluster.harness.clock().advance(Duration.ofSeconds(91));

        Outcome promote = slowly(() -> run("node-b", "promote", resource));

        assertThat(promote.code()).as("%s", promote).isZero();
        assertThat(cluster.vipDeliveredTo()).hasValue("node-b");
        assertThat(promote.vpcRounds())
                .as("read, bind, read back")
                .containsExactly(List.of(GET), List.of(PATCH), List.of(GET));
    }

    @Test
    void aNodeInAnotherZoneIsNotReadyAndNotFailed() {
        Map<String, String> resource = FloatingIpCluster.parameters("CRM_meta_promotable", "true");

        Outcome start = run("node-c", "start", resource);
        assertThat(start.code()).as("%s", start).isZero();
        Outcome monitor = monitor("node-c", resource);

        // not ready is a successful Unpromoted monitor; the promotion score and the node attribute say it
        assertThat(monitor.code()).as("%s", monitor).isZero();
        assertThat(monitor.reason()).isEmpty();
        assertThat(tools.takeCalls())
                .contains("crm_attribute --promotion -v 1")
                .anySatisfy(call -> assertThat(call)
                        .startsWith("crm_attribute -N node-c -n vpc-ha-readiness-")
                        .contains("not ready: floating IP vip-fip")
                        .contains("is in zone us-south-1 but this node's network interface"));
        assertThat(cluster.vipDeliveredTo()).hasValue("node-a");
    }

    @Test
    void aNodeWithoutTheMetadataServiceItNeedsIsNotReady() {
        Map<String, String> resource = FloatingIpCluster.parameters("CRM_meta_promotable", "true");

        Outcome monitor = run("node-m", "start", resource);
        assertThat(monitor.code()).isZero();
        monitor = monitor("node-m", resource);

        assertThat(monitor.code()).as("%s", monitor).isZero();
        assertThat(tools.takeCalls())
                .contains("crm_attribute --promotion -v 1")
                .anySatisfy(call -> assertThat(call)
                        .startsWith("crm_attribute -N node-m -n vpc-ha-readiness-")
                        .contains("not ready: ")
                        .contains("metadata"));
    }

    /** {@code node} started Unpromoted and its readiness monitor run once: ready, the floating IP elsewhere. */
    private void readyStandby(String node, Map<String, String> resource) {
        assertThat(run(node, "start", resource).code()).isZero();
        Outcome readiness = monitor(node, resource);
        assertThat(readiness.code()).as("%s", readiness).isZero();
        assertThat(tools.takeCalls()).contains("crm_attribute --promotion -v 100");
        assertThat(cluster.vipDeliveredTo()).hasValue("node-a");
    }

    /**
     * {@code action} with every VPC request answered after a latency far above the time it takes to send
     * a round's requests: the journal then tells the rounds apart ({@link Outcome#vpcRounds}), whatever
     * the machine's load.
     */
    private Outcome slowly(Supplier<Outcome> action) {
        return simulator.faults().during(FaultRule.latency(ROUND_MILLIS, 0).service("vpc"), action);
    }

    private Outcome run(String node, String action, Map<String, String> resource) {
        return cluster.run(
                node,
                action,
                resource,
                Duration.ZERO,
                Duration.ofSeconds(20),
                Map.of("HA_SBIN_DIR", tools.directory()));
    }

    private Outcome monitor(String node, Map<String, String> resource) {
        return cluster.run(
                node,
                "monitor",
                resource,
                Duration.ofSeconds(30),
                Duration.ofSeconds(20),
                Map.of("HA_SBIN_DIR", tools.directory()));
    }
}
