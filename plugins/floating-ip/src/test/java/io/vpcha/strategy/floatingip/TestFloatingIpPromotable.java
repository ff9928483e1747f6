package io.vpcha.strategy.floatingip;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.RecordedPacemakerTools;
import io.vpcha.host.testing.SimulatedCluster.Outcome;
import io.vpcha.simulator.VpcSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** floating-ip as a promotable clone: readiness on the passive node, and a warm promotion. */
class TestFloatingIpPromotable {
    private static VpcSimulator simulator;

    @TempDir
    Path work;

    private FloatingIpCluster cluster;
    private RecordedPacemakerTools tools;

    @BeforeAll
    static void start() {
        simulator = FloatingIpCluster.startSimulator();
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @BeforeEach
    void reset() {
        simulator.reset();
        cluster = new FloatingIpCluster(simulator, work);
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
