package io.vpcha.strategy.secondaryip;

import static io.vpcha.strategy.secondaryip.SecondaryIpCluster.parameters;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.IamPolicyDoc;
import io.vpcha.host.testing.MonitorGraceChecks;
import io.vpcha.host.testing.SimulatedCluster.Outcome;
import io.vpcha.simulator.fault.FaultRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** API trouble: a monitor within the grace says running, beyond it degraded, never "not running". */
class TestSecondaryIpFaults extends SecondaryIpClusterFixture {
    @Test
    void theRawRequestsNameTheActionsThePolicyLists() {
        IamPolicyDoc.assertListsEveryRequest(CloudReads.IAM_ACTIONS.byRequest());
    }

    @Test
    void aRateLimitedMonitorWithinTheGraceIsRunningWithAWarning() {
        MonitorGraceChecks.assertARateLimitedMonitorIsRunningWithAWarning(
                cluster, parameters("max_attempts", "2"), "cannot verify reserved IP vip (10.240.0.100)");
    }

    @Test
    void theGraceRunsFromTheLastSuccessfulVerificationThenDegrades() {
        MonitorGraceChecks.assertTheGraceRunsFromTheLastVerification(
                cluster, parameters("max_attempts", "1", "monitor_grace", "60"));
    }

    @Test
    void aRefusedBindNamesTheInterfacesActionAsProbable() {
        simulator.faults().forbid("vpc", "PUT", "DELETE");

        Outcome start = cluster.start("node-b", parameters());

        assertThat(start.code()).as(start.toString()).isEqualTo(4);
        assertThat(start.result().shownReason())
                .as("which action binding checks is not public: it says so")
                .startsWith("probably needs IAM action "
                        + "is.virtual-network-interface.virtual-network-interface.update: ");
        assertThat(start.reason()).contains("HTTP 403 not_authorized");
    }

    @Test
    void aMissingPermissionDegradesAtOnce() {
        Map<String, String> resource = parameters();
        assertThat(cluster.start("node-b", resource).code()).isZero();
        simulator.faults().add(FaultRule.status(403).service("vpc").method("GET"));

        Outcome monitor = cluster.monitor("node-b", resource);

        assertThat(monitor.code()).as(monitor.toString()).isEqualTo(190);
        assertThat(monitor.reason())
                .startsWith("needs IAM action is.subnet.subnet.read: cannot verify reserved IP vip (10.240.0.100)");
    }

    @Test
    void aHangingApiStillGetsTheMonitorAnsweredBeforeItsTimeout() {
        Map<String, String> resource = parameters();
        assertThat(cluster.start("node-b", resource).code()).isZero();
        simulator.faults().add(FaultRule.hang(30_000).service("vpc"));

        Outcome monitor =
                cluster.run("node-b", "monitor", resource, Duration.ofSeconds(10), Duration.ofSeconds(4), Map.of());

        assertThat(monitor.code()).as(monitor.toString()).isZero();
        assertThat(monitor.result().elapsed()).isLessThan(Duration.ofSeconds(4));
        assertThat(monitor.result().stderr()).contains("no answer in the time this action has");
    }

    @Test
    void aVipUnboundBehindTheClustersBackIsNotRunning() {
        Map<String, String> resource = parameters();
        assertThat(cluster.start("node-b", resource).code()).isZero();
        simulator.state().write(state -> {
            state.reservedIps.values().stream()
                    .filter(ip -> ip.address.equals(SecondaryIpCluster.VIP))
                    .forEach(ip -> ip.targetId = null);
            state.virtualNetworkInterfaces
                    .values()
                    .forEach(vni -> vni.secondaryIpIds.removeIf(
                            id -> state.reservedIps.get(id).address.equals(SecondaryIpCluster.VIP)));
            return null;
        });

        Outcome monitor = cluster.monitor("node-b", resource);

        assertThat(monitor.code()).isEqualTo(7);
        assertThat(monitor.reason()).contains("is not bound to any interface");
    }

    @Test
    void readOnlyCredentialsAreAPermissionErrorAndChangeNothing() {
        Outcome start = cluster.start("node-b", parameters("api_key", SecondaryIpCluster.READONLY_KEY));

        assertThat(start.code()).as(start.toString()).isEqualTo(4);
        assertThat(start.result().shownReason())
                .as("the one line Pacemaker shows names what to grant first")
                .startsWith("needs IAM action is.subnet.subnet.update: ");
        assertThat(cluster.boundTo(SecondaryIpCluster.VIP)).hasValue("vni-a");
        assertThat(cluster.reservedIp(SecondaryIpCluster.VIP).orElseThrow().autoDelete)
                .as("still as it was")
                .isTrue();
    }

    @Test
    void aCorruptCacheIsResolvedAgain() throws Exception {
        Map<String, String> resource = parameters();
        assertThat(cluster.start("node-b", resource).code()).isZero();
        try (var files = Files.walk(work.resolve("node-b"))) {
            for (Path file : files.filter(path -> path.getFileName().toString().startsWith("secondary-ip"))
                    .toList()) {
                Files.writeString(file, "garbage\n");
            }
        }

        assertThat(cluster.monitor("node-b", resource).code()).isZero();
        Outcome again = cluster.start("node-b", resource);
        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(again.vpcWrites()).isZero();
    }
}
