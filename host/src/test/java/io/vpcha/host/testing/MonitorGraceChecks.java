package io.vpcha.host.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.SimulatedCluster.Outcome;
import io.vpcha.simulator.fault.FaultRule;
import java.time.Duration;
import java.util.Map;

/**
 * What every strategy's monitor does when the VPC API cannot be asked, checked the same way for each
 * strategy's cluster: running within {@code monitor_grace} of the last verification (with a warning),
 * degraded beyond it, never "not running". Each check starts the resource on node-b first.
 */
public final class MonitorGraceChecks {
    private MonitorGraceChecks() {}

    /**
     * A monitor while every VPC request is rate limited (429) is running, within the default grace of
     * 60 s, and warns {@code warning}; the host makes its two attempts and no more.
     *
     * @param resource the resource's parameters, with {@code max_attempts=2}
     * @param warning what the warning starts with, e.g. "cannot verify reserved IP vip (10.240.0.100)"
     */
    public static void assertARateLimitedMonitorIsRunningWithAWarning(
            SimulatedCluster cluster, Map<String, String> resource, String warning) {
        assertThat(cluster.start("node-b", resource).code()).isZero();
        cluster.simulator.faults().add(FaultRule.status(429).service("vpc"));

        Outcome monitor = cluster.monitor("node-b", resource);

        assertThat(monitor.code()).as(monitor.toString()).isZero();
        assertThat(monitor.result().stderr())
                .contains(warning)
                .contains("within monitor_grace 60s")
                .contains("HTTP 429");
        assertThat(monitor.result().vpcRequests())
                .as("the host's retries, no more")
                .isEqualTo(2);
    }

    /**
     * With server errors (500) on every VPC request, a monitor is running 59 s after the last
     * successful verification and degraded at 61 s, saying why; once the API answers again a monitor
     * verifies, and the grace starts afresh from it.
     *
     * @param resource the resource's parameters, with {@code max_attempts=1} and {@code monitor_grace=60}
     */
    public static void assertTheGraceRunsFromTheLastVerification(
            SimulatedCluster cluster, Map<String, String> resource) {
        assertThat(cluster.start("node-b", resource).code()).isZero();
        assertThat(cluster.monitor("node-b", resource).code()).isZero();
        FaultRule outage = cluster.simulator.faults().add(FaultRule.status(500).service("vpc"));

        cluster.harness.clock().advance(Duration.ofSeconds(59));
        assertThat(cluster.monitor("node-b", resource).code())
                .as("59 s after the last verification")
                .isZero();
        cluster.harness.clock().advance(Duration.ofSeconds(2));
        Outcome late = cluster.monitor("node-b", resource);
        assertThat(late.code()).as("61 s after it").isEqualTo(190);
        assertThat(late.reason()).contains("ago, beyond monitor_grace 60s)").contains("HTTP 500");

        cluster.simulator.faults().remove(outage.id());
        assertThat(cluster.monitor("node-b", resource).code())
                .as("verified again")
                .isZero();
        cluster.simulator.faults().add(FaultRule.status(500).service("vpc"));
        assertThat(cluster.monitor("node-b", resource).code())
                .as("a fresh grace")
                .isZero();
    }
}
