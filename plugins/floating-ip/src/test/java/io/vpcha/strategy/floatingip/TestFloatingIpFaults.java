package io.vpcha.strategy.floatingip;

import static io.vpcha.strategy.floatingip.FloatingIpCluster.parameters;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.MonitorGraceChecks;
import io.vpcha.host.testing.SimulatedCluster.Outcome;
import io.vpcha.simulator.fault.FaultRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * API failures: a monitor never reports "not running" because the API could not be asked (within the
 * grace it is running, after it degraded); start reads back through slow moves and says why it failed.
 */
class TestFloatingIpFaults extends FloatingIpClusterFixture {
    private static final String FLOATING_IP_PATH = "/v1/floating_ips/*";

    @Test
    void rateLimitedMonitorWithinTheGraceIsRunningWithAWarning() {
        MonitorGraceChecks.assertARateLimitedMonitorIsRunningWithAWarning(
                cluster, parameters("max_attempts", "2"), "WARNING: cannot verify floating IP vip-fip (169.59.10.20)");
    }

    @Test
    void serverErrorsBeyondTheGraceDegradeButNeverStopTheResource() {
        Map<String, String> resource = parameters("max_attempts", "1", "monitor_grace", "0");
        assertThat(cluster.start("node-b", resource).code()).isZero();
        simulator.faults().add(FaultRule.status(503).service("vpc"));

        Outcome monitor = cluster.monitor("node-b", resource);

        assertThat(monitor.code()).isEqualTo(190);
        assertThat(monitor.reason())
                .startsWith("cannot verify floating IP vip-fip (169.59.10.20) (last seen bound " + "here")
                .contains("beyond monitor_grace 0s")
                .contains("HTTP 503");
    }

    @Test
    void theGraceRunsFromTheLastSuccessfulVerification() {
        MonitorGraceChecks.assertTheGraceRunsFromTheLastVerification(
                cluster, parameters("max_attempts", "1", "monitor_grace", "60"));
    }

    @Test
    void anIamOutageWithAnExpiredTokenCacheIsTransient() throws Exception {
        Map<String, String> resource = parameters("max_attempts", "1");
        assertThat(cluster.start("node-b", resource).code()).isZero();
        deleteTokenCache("node-b");
        simulator.faults().add(FaultRule.iamOutage());

        Outcome monitor = cluster.monitor("node-b", resource);

        assertThat(monitor.code()).as(monitor.toString()).isZero();
        assertThat(monitor.result().stderr()).contains("WARNING: cannot verify");
        assertThat(monitor.result().iamRequests()).isPositive();
        assertThat(monitor.result().vpcRequests()).isZero();
    }

    @Test
    void aMetadataOutageWithATrustedProfileIsTransient() throws Exception {
        Map<String, String> resource = parameters("api_key", null, "max_attempts", "1", "monitor_grace", "0");
        assertThat(cluster.start("node-b", resource).code()).isZero();
        deleteTokenCache("node-b");
        simulator.faults().add(FaultRule.metadataOutage());

        Outcome monitor = cluster.monitor("node-b", resource);

        assertThat(monitor.code()).as(monitor.toString()).isEqualTo(190);
        assertThat(monitor.reason()).startsWith("cannot verify floating IP vip-fip (169.59.10.20)");
    }

    @Test
    void aHangingApiStillGetsTheMonitorAnsweredBeforeItsTimeout() {
        Map<String, String> resource = parameters();
        assertThat(cluster.start("node-b", resource).code()).isZero();
        simulator.faults().add(FaultRule.hang(30_000).service("vpc"));

        Outcome monitor =
                cluster.run("node-b", "monitor", resource, Duration.ofSeconds(10), Duration.ofSeconds(4), Map.of());

        assertThat(monitor.code()).as(monitor.toString()).isZero();
        assertThat(monitor.result().stderr()).contains("no answer in the time this action has");
        assertThat(monitor.result().elapsed()).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void permissionAndNotFoundAnswersDegradeImmediately() {
        Map<String, String> resource = parameters();
        assertThat(cluster.start("node-b", resource).code()).isZero();
        FaultRule forbidden = simulator.faults().add(FaultRule.status(403).service("vpc"));

        Outcome monitor = cluster.monitor("node-b", resource);

        assertThat(monitor.code()).isEqualTo(190);
        assertThat(monitor.reason())
                .startsWith("needs IAM action is.floating-ip.floating-ip.read: "
                        + "cannot verify floating IP vip-fip (169.59.10.20): ")
                .contains("HTTP 403");

        simulator.faults().remove(forbidden.id());
        simulator.state().update(state -> state.floatingIps.remove(cluster.floatingIpId("vip-fip")));
        Outcome deleted = cluster.monitor("node-b", resource);
        assertThat(deleted.code()).isEqualTo(190);
        assertThat(deleted.reason()).contains("HTTP 404");
    }

    @Test
    void anUnboundFloatingIpIsNotRunning() {
        Map<String, String> resource = parameters();
        assertThat(cluster.start("node-b", resource).code()).isZero();
        simulator.state().update(state -> state.floatingIps.get(cluster.floatingIpId("vip-fip")).targetId = null);

        Outcome monitor = cluster.monitor("node-b", resource);

        assertThat(monitor.code()).isEqualTo(7);
        assertThat(monitor.reason()).isEqualTo("floating IP vip-fip (169.59.10.20) is not bound to any interface");
    }

    @Test
    void startReadsBackUntilASlowMoveIsEffective() {
        simulator.faults().add(FaultRule.applyDelay(1_500).method("PATCH").path(FLOATING_IP_PATH));

        Outcome start = cluster.start("node-b", parameters());

        assertThat(start.code()).as(start.toString()).isZero();
        assertThat(cluster.vipDeliveredTo()).hasValue("node-b");
        assertThat(start.vpcRequests("GET", "/floating_ips/{")).isGreaterThan(1);
        assertThat(start.vpcWrites()).isEqualTo(1);
        assertThat(start.result().elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(1_500));
    }

    @Test
    void aMoveNotEffectiveBeforeTheTimeoutFailsStartWithWhereItIs() {
        simulator.faults().add(FaultRule.applyDelay(30_000).method("PATCH").path(FLOATING_IP_PATH));

        Outcome start = cluster.run("node-b", "start", parameters(), Duration.ZERO, Duration.ofSeconds(3), Map.of());

        assertThat(start.code()).isEqualTo(1);
        assertThat(start.reason())
                .startsWith("floating IP vip-fip (169.59.10.20) was not seen bound to this node's "
                        + "virtual network interface " + cluster.interfaceId("node-b")
                        + " and available before the start "
                        + "timeout; it was last seen bound to network interface eth0 (" + cluster.interfaceId("node-a")
                        + "), status available");
        assertThat(start.vpcWrites()).as("one write, no tug of war with itself").isEqualTo(1);
        assertThat(start.result().elapsed()).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aFailedPatchIsRetriedByTheHostAndAFinalFailureSaysWhereTheFloatingIpIs() {
        simulator
                .faults()
                .add(FaultRule.status(503)
                        .method("PATCH")
                        .path(FLOATING_IP_PATH)
                        .count(1));
        Outcome retried = cluster.start("node-b", parameters());
        assertThat(retried.code()).as(retried.toString()).isZero();
        assertThat(cluster.vipDeliveredTo()).hasValue("node-b");

        simulator.faults().add(FaultRule.status(500).method("PATCH").path(FLOATING_IP_PATH));
        Outcome failed = cluster.start("node-f", parameters("max_attempts", "2"));

        assertThat(failed.code()).isEqualTo(1);
        assertThat(failed.reason())
                .contains("HTTP 500")
                .endsWith("floating IP vip-fip (169.59.10.20) is still bound "
                        + "to virtual network interface node-b-vni (" + cluster.interfaceId("node-b") + ")");
        assertThat(cluster.vipDeliveredTo()).hasValue("node-b");
    }

    @Test
    void aHangingPatchFailsStartBeforeItsTimeoutAndTheNextStartFindsItDone() {
        Map<String, String> resource = parameters();
        simulator
                .faults()
                .add(FaultRule.hang(30_000)
                        .hangAfterProcessing(true)
                        .method("PATCH")
                        .path(FLOATING_IP_PATH)
                        .count(1));

        Outcome start = cluster.run("node-b", "start", resource, Duration.ZERO, Duration.ofSeconds(4), Map.of());

        assertThat(start.code()).isEqualTo(1);
        assertThat(start.reason())
                .startsWith("bind floating IP vip-fip (169.59.10.20) to virtual network interface "
                        + cluster.interfaceId("node-b")
                        + ": no answer in the time this action has; whether it took effect is "
                        + "unknown: ");
        assertThat(start.result().elapsed()).isLessThan(Duration.ofSeconds(4));

        Outcome again = cluster.start("node-b", resource);
        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(again.vpcWrites()).as("it had taken effect").isZero();
        assertThat(cluster.vipDeliveredTo()).hasValue("node-b");
    }

    @Test
    void aCorruptCacheIsRebuiltAndTheMonitorStaysRight() throws IOException {
        Map<String, String> resource = parameters();
        assertThat(cluster.start("node-b", resource).code()).isZero();
        Path state = work.resolve("node-b").resolve("run").resolve("vpc-ha").resolve("vip");
        Files.writeString(state.resolve(KnownFloatingIp.RECORD), "id=\\u00zz\n");
        Files.writeString(state.resolve(KnownTarget.RECORD), "selection=primary\nid=x\nkind=NOT_A_KIND\n");

        Outcome rebuilt = cluster.monitor("node-b", resource);
        Outcome steady = cluster.monitor("node-b", resource);

        assertThat(rebuilt.code()).as(rebuilt.toString()).isZero();
        assertThat(steady.code()).isZero();
        assertThat(steady.result().vpcRequests()).isEqualTo(1);
        assertThat(steady.result().metadataRequests()).isZero();
    }

    @Test
    void credentialsWithoutWriteAccessAreAPermissionError() {
        Outcome start = cluster.start("node-b", parameters("api_key", FloatingIpCluster.READONLY_KEY));

        assertThat(start.code()).isEqualTo(4);
        assertThat(start.result().shownReason())
                .as("the one line Pacemaker shows names what to grant first")
                .startsWith("needs IAM action is.floating-ip.floating-ip.update and probably "
                        + "is.floating-ip.floating-ip.operate: cannot bind");
        assertThat(start.reason())
                .startsWith("needs IAM action is.floating-ip.floating-ip.update and probably "
                        + "is.floating-ip.floating-ip.operate: cannot bind floating IP vip-fip (169.59.10.20) to this "
                        + "node's virtual network interface " + cluster.interfaceId("node-b") + ": ")
                .contains("HTTP 403")
                .doesNotContain("(needs IAM action");
        assertThat(cluster.vipDeliveredTo()).hasValue("node-a");
    }

    @Test
    void aSecondStartNeedsNeitherTheMetadataServiceNorAList() {
        Map<String, String> resource = parameters();
        assertThat(cluster.start("node-b", resource).code()).isZero();
        assertThat(cluster.stop("node-b", resource).code()).isZero();
        assertThat(cluster.start("node-a", resource).code()).isZero();
        simulator.faults().add(FaultRule.metadataOutage());

        Outcome start = cluster.start("node-b", resource);

        assertThat(start.code()).as(start.toString()).isZero();
        assertThat(start.result().metadataRequests()).isZero();
        // GET by cached id, PATCH, read back
        assertThat(start.result().vpcRequests()).isEqualTo(3);
        assertThat(cluster.vipDeliveredTo()).hasValue("node-b");
    }

    private void deleteTokenCache(String node) throws IOException {
        Path tokens = work.resolve(node).resolve("tokens");
        try (Stream<Path> files = Files.walk(tokens)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                if (!file.equals(tokens)) {
                    Files.delete(file);
                }
            }
        }
    }
}
