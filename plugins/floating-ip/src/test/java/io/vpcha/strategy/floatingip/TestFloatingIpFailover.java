package io.vpcha.strategy.floatingip;

import static io.vpcha.strategy.floatingip.FloatingIpCluster.parameters;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.SimulatedCluster.Outcome;
import io.vpcha.simulator.fault.FaultRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Failover between a node with a network interface and a node with a VNI, as Pacemaker drives it. */
class TestFloatingIpFailover extends FloatingIpClusterFixture {
    @Test
    void startMovesTheFloatingIpToAVniNodeInOnePatchAndBackToANetworkInterfaceNode() {
        Map<String, String> resource = parameters();
        assertThat(cluster.vipDeliveredTo()).hasValue("node-a");

        Outcome toB = cluster.start("node-b", resource);

        assertThat(toB.code()).as(toB.toString()).isZero();
        assertThat(cluster.vipDeliveredTo()).hasValue("node-b");
        assertThat(cluster.floatingIpTarget("vip-fip")).isEqualTo(cluster.interfaceId("node-b"));
        assertThat(toB.vpcRequests("PATCH", "/floating_ips/")).isEqualTo(1);
        assertThat(toB.vpcWrites()).isEqualTo(1);
        // list (name lookup), PATCH, read back; one IAM token for the API key
        assertThat(toB.result().vpcRequests()).isEqualTo(3);
        assertThat(toB.result().iamRequests()).isEqualTo(1);

        Outcome monitorB = cluster.monitor("node-b", resource);
        assertThat(monitorB.code()).as(monitorB.toString()).isZero();
        assertThat(monitorB.result().vpcRequests()).isEqualTo(1);
        assertThat(monitorB.result().iamRequests()).isZero();
        assertThat(monitorB.result().metadataRequests()).isZero();

        assertThat(cluster.stop("node-b", resource).code()).isZero();
        Outcome toA = cluster.start("node-a", resource);

        assertThat(toA.code()).as(toA.toString()).isZero();
        assertThat(cluster.vipDeliveredTo()).hasValue("node-a");
        assertThat(toA.vpcWrites()).isEqualTo(1);
        Outcome monitorA = cluster.monitor("node-a", resource);
        assertThat(monitorA.code()).isZero();
        assertThat(monitorA.result().vpcRequests()).isEqualTo(1);
    }

    @Test
    void theNodeThatLostTheFloatingIpIsNotRunningAndSaysWhere() {
        Map<String, String> resource = parameters();
        assertThat(cluster.start("node-a", resource).code()).isZero();
        assertThat(cluster.start("node-b", resource).code()).isZero();

        Outcome monitorA = cluster.monitor("node-a", resource);

        assertThat(monitorA.code()).isEqualTo(7);
        assertThat(monitorA.reason())
                .contains("vip-fip (169.59.10.20) is bound to virtual network interface")
                .contains(cluster.interfaceId("node-b"))
                .contains("not to this node node-a");
        assertThat(monitorA.result().vpcRequests()).isEqualTo(1);
    }

    @Test
    void startIsIdempotentWithNoWriteWhenTheFloatingIpIsAlreadyHere() {
        Map<String, String> resource = parameters();

        Outcome first = cluster.start("node-a", resource);
        Outcome again = cluster.start("node-a", resource);

        assertThat(first.code()).as(first.toString()).isZero();
        assertThat(first.vpcWrites()).isZero();
        assertThat(again.code()).isZero();
        assertThat(again.vpcWrites()).isZero();
        // the id cached by the first start: one GET, no list, no metadata (the target is cached too)
        assertThat(again.result().vpcRequests()).isEqualTo(1);
        assertThat(again.vpcRequests("GET", "/floating_ips/{")).isEqualTo(1);
        assertThat(again.result().metadataRequests()).isZero();
        assertThat(cluster.vipDeliveredTo()).hasValue("node-a");
    }

    @Test
    void aProbeOnANodeThatNeverRanTheResourceAsksNothing() {
        Outcome probe = cluster.probe("node-b", parameters());

        assertThat(probe.code()).isEqualTo(7);
        assertThat(probe.result().vpcRequests()).isZero();
        assertThat(probe.result().iamRequests()).isZero();
        assertThat(probe.result().metadataRequests()).isZero();
        assertThat(probe.result().stderr()).doesNotContain("ocf-exit-reason");
    }

    @Test
    void aProbeAfterStartFindsItRunningAndAfterStopNotRunning() {
        Map<String, String> resource = parameters();
        cluster.start("node-b", resource);

        assertThat(cluster.probe("node-b", resource).code()).isZero();
        Outcome stop = cluster.stop("node-b", resource);
        assertThat(stop.code()).isZero();
        assertThat(stop.entries()).as("keep: stop asks nothing").isEmpty();
        assertThat(cluster.vipDeliveredTo()).as("keep leaves it bound").hasValue("node-b");
        Outcome probe = cluster.probe("node-b", resource);
        assertThat(probe.code()).isEqualTo(7);
        assertThat(probe.entries()).isEmpty();
    }

    @Test
    void stopSucceedsWithTheApiDown() {
        Map<String, String> resource = parameters("stop_policy", "unbind");
        cluster.start("node-b", resource);
        simulator.faults().add(FaultRule.status(503).service("vpc"));
        simulator.faults().add(FaultRule.iamOutage());

        Outcome stop = cluster.run("node-b", "stop", resource, Duration.ZERO, Duration.ofSeconds(6), Map.of());

        assertThat(stop.code()).as(stop.toString()).isZero();
        assertThat(stop.result().stderr()).contains("WARNING").contains("could not unbind");
        assertThat(stop.result().elapsed()).isLessThan(Duration.ofSeconds(6));
        assertThat(cluster.probe("node-b", resource).code()).isEqualTo(7);
    }

    @Test
    void stopWithUnbindUnbindsOnlyWhenTheFloatingIpIsHere() {
        Map<String, String> resource = parameters("stop_policy", "unbind");
        cluster.start("node-a", resource);
        cluster.start("node-b", resource);

        Outcome stopA = cluster.stop("node-a", resource);

        assertThat(stopA.code()).isZero();
        assertThat(stopA.vpcWrites()).as("node-b holds it now: left alone").isZero();
        assertThat(cluster.vipDeliveredTo()).hasValue("node-b");

        Outcome stopB = cluster.stop("node-b", resource);

        assertThat(stopB.code()).isZero();
        assertThat(stopB.vpcRequests("PATCH", "/floating_ips/")).isEqualTo(1);
        assertThat(cluster.floatingIpTarget("vip-fip")).isNull();
        assertThat(cluster.vipDeliveredTo()).isEmpty();
    }

    @Test
    void theFloatingIpCanBeNamedByIdOrAddress() {
        String id = cluster.floatingIpId("vip-fip");

        Outcome byId = cluster.start("node-b", parameters("floating_ip", id));
        assertThat(byId.code()).as(byId.toString()).isZero();
        assertThat(byId.vpcRequests("GET", "/floating_ips"))
                .as("no list for an id")
                .isEqualTo(byId.vpcRequests("GET", "/floating_ips/{"));
        assertThat(cluster.vipDeliveredTo()).hasValue("node-b");

        Outcome byAddress = cluster.start("node-f", parameters("floating_ip", FloatingIpCluster.VIP));
        assertThat(byAddress.code()).as(byAddress.toString()).isZero();
        assertThat(cluster.vipDeliveredTo()).hasValue("node-f");
    }

    @Test
    void anUnknownFloatingIpIsNotConfigured() {
        Outcome start = cluster.start("node-b", parameters("floating_ip", "no-such-fip"));

        assertThat(start.code()).isEqualTo(6);
        assertThat(start.reason())
                .isEqualTo("no floating IP with id, name or address no-such-fip in this region "
                        + "(4 floating IPs listed)");
    }

    @Test
    void aTargetInAnotherZoneIsNotConfiguredWithTheZonesNamed() {
        Outcome start = cluster.start("node-c", parameters());

        assertThat(start.code()).isEqualTo(6);
        assertThat(start.reason())
                .isEqualTo("floating IP vip-fip (169.59.10.20) is in zone us-south-1 but this "
                        + "node's network interface " + cluster.interfaceId("node-c")
                        + " is in us-south-2; a floating IP "
                        + "binds only to an interface in its own zone");
        assertThat(start.vpcWrites()).as("checked before any write").isZero();
        assertThat(cluster.vipDeliveredTo()).hasValue("node-a");
    }

    @Test
    void anExplicitTargetInAnotherZoneIsRefusedByTheApiAndExplained() {
        String nodeC = cluster.interfaceId("node-c");

        Outcome start = cluster.start("node-a", parameters("target", nodeC));

        assertThat(start.code()).isEqualTo(6);
        assertThat(start.reason())
                .startsWith("cannot bind floating IP vip-fip (169.59.10.20) (zone us-south-1) to "
                        + "this node's target " + nodeC + ": ")
                .contains("floating_ip_zone_mismatch");
        assertThat(cluster.vipDeliveredTo()).hasValue("node-a");
    }

    @Test
    void aNetworkInterfaceAlreadyHoldingAFloatingIpIsNotConfigured() {
        Outcome start = cluster.start("node-d", parameters());

        assertThat(start.code()).isEqualTo(6);
        assertThat(start.reason())
                .isEqualTo("this node's network interface " + cluster.interfaceId("node-d")
                        + " already holds floating IP busy-nic-fip (169.59.10.30); it can hold only one floating IP");
        assertThat(start.vpcWrites())
                .as("seen in the metadata before any write")
                .isZero();
    }

    @Test
    void aVniWithInfrastructureNatAlreadyHoldingAFloatingIpIsNotConfigured() {
        Outcome start = cluster.start("node-e", parameters());

        assertThat(start.code()).isEqualTo(6);
        assertThat(start.reason())
                .isEqualTo("this node's virtual network interface " + cluster.interfaceId("node-e")
                        + " already holds floating IP busy-vni-fip (169.59.10.31); it can hold only one floating IP");
        assertThat(start.vpcWrites()).as("seen in the list before any write").isZero();
    }

    @Test
    void anExplicitTargetAlreadyHoldingAFloatingIpIsExplainedAfterTheApiRefuses() {
        String id = cluster.floatingIpId("vip-fip");
        String nodeD = cluster.interfaceId("node-d");

        Outcome start = cluster.start("node-d", parameters("floating_ip", id, "target", nodeD));

        assertThat(start.code()).isEqualTo(6);
        assertThat(start.reason())
                .isEqualTo("this node's target " + nodeD + " already holds floating IP "
                        + "busy-nic-fip (169.59.10.30); it can hold only one floating IP");
        assertThat(cluster.vipDeliveredTo()).hasValue("node-a");
    }

    @Test
    void aTargetThatDoesNotExistIsNotConfigured() {
        String missing = "0717-00000000-0000-4000-8000-000000000000";

        Outcome start = cluster.start("node-b", parameters("target", missing));

        assertThat(start.code()).isEqualTo(6);
        assertThat(start.reason())
                .startsWith("cannot bind floating IP vip-fip (169.59.10.20) (zone us-south-1) to "
                        + "this node's target " + missing + ": ")
                .contains("HTTP 404");
        assertThat(cluster.vipDeliveredTo()).hasValue("node-a");
    }

    @Test
    void nodeTargetsWorkWithoutTheMetadataService() {
        String nodeM = cluster.interfaceId("node-m");
        String nodeA = cluster.interfaceId("node-a");
        Map<String, String> resource = parameters("node_targets", "node-a=" + nodeA + ",node-m=" + nodeM);

        Outcome start = cluster.start("node-m", resource);

        assertThat(start.code()).as(start.toString()).isZero();
        assertThat(start.result().metadataRequests()).isZero();
        assertThat(cluster.vipDeliveredTo()).hasValue("node-m");
        Outcome monitor = cluster.monitor("node-m", resource);
        assertThat(monitor.code()).isZero();
        assertThat(monitor.result().vpcRequests()).isEqualTo(1);
        assertThat(monitor.result().metadataRequests()).isZero();
        assertThat(cluster.start("node-a", resource).code()).isZero();
        assertThat(cluster.vipDeliveredTo()).hasValue("node-a");
    }

    @Test
    void aNodeMissingFromNodeTargetsIsAnArgumentErrorForThatNodeOnly() {
        Map<String, String> resource = parameters("node_targets", "node-a=" + cluster.interfaceId("node-a"));

        Outcome start = cluster.start("node-b", resource);

        assertThat(start.code()).isEqualTo(2);
        assertThat(start.reason()).isEqualTo("node_targets has no entry for this node node-b (it names node-a)");
        assertThat(start.entries()).isEmpty();
    }

    @Test
    void withoutTheMetadataServiceTheDefaultTargetCannotBeFoundAndTheReasonSaysWhatToSet() {
        Outcome start = cluster.start("node-m", parameters());

        assertThat(start.code()).isNotZero();
        assertThat(start.reason())
                .startsWith("cannot tell this node's interface (enable it on the instance, or set "
                        + "target or node_targets): ");
        assertThat(start.vpcWrites()).isZero();
    }

    @Test
    void aTrustedProfileNeedsNoSecretAndSteadyStateAsksOnlyTheVpcApi() {
        Map<String, String> resource = parameters("api_key", null);

        Outcome start = cluster.start("node-b", resource);

        assertThat(start.code()).as(start.toString()).isZero();
        assertThat(cluster.vipDeliveredTo()).hasValue("node-b");
        Outcome monitor = cluster.monitor("node-b", resource);
        assertThat(monitor.code()).isZero();
        assertThat(monitor.result().vpcRequests()).isEqualTo(1);
        assertThat(monitor.result().iamRequests()).isZero();
        assertThat(monitor.result().metadataRequests())
                .as("tokens come from the cache")
                .isZero();
    }

    @Test
    void theStateDirectoryHoldsTheMarkerAndTheCachedIdsWithNoTemporaryFilesLeft() throws Exception {
        cluster.start("node-b", parameters());

        Path state = work.resolve("node-b").resolve("run").resolve("vpc-ha").resolve("vip");
        try (var files = Files.list(state)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .containsExactlyInAnyOrder("started", KnownFloatingIp.RECORD, KnownTarget.RECORD, "verified");
        }
        assertThat(Files.readString(state.resolve(KnownFloatingIp.RECORD)))
                .contains("id=" + cluster.floatingIpId("vip-fip"))
                .contains("parameter=vip-fip");
        assertThat(Files.readString(state.resolve(KnownTarget.RECORD))).contains("id=" + cluster.interfaceId("node-b"));
        assertThat(Files.readString(state.resolve("verified"))).contains("at=");
        assertThat(Files.getPosixFilePermissions(state.resolve(KnownFloatingIp.RECORD)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
}
