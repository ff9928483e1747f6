package io.vpcha.strategy.floatingip;

import static io.vpcha.strategy.floatingip.FloatingIpCluster.API_KEY;
import static io.vpcha.strategy.floatingip.FloatingIpCluster.parameters;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.AgentHarness;
import io.vpcha.host.testing.AgentHarness.Result;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.wire.ProxiedEndpoints;
import io.vpcha.simulator.wire.ProxiedEndpoints.Counts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TCP connections per action, counted on the simulator's side (a proxy in front of each endpoint, over
 * TLS): the failover's lookup, PATCH and read-back share one connection; a monitor is one connection.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestFloatingIpConnections {
    @TempDir
    Path work;

    @Test
    void aFailoverIsOneConnectionPerEndpointAndAMonitorOne() {
        try (VpcSimulator simulator = VpcSimulator.builder()
                        .scenario(FloatingIpCluster.scenario())
                        .perInstanceMetadata(true)
                        .https(true)
                        .caCertificateFile(work.resolve("ca.pem"))
                        .start();
                ProxiedEndpoints endpoints = ProxiedEndpoints.start(simulator, Duration.ZERO)) {
            AgentHarness harness = new AgentHarness(simulator, work, List.of(API_KEY), new FloatingIpStrategyProvider())
                    .through(endpoints);
            Map<String, String> resource = parameters();

            Result failover = harness.node("node-b").run("start", resource);

            assertThat(failover.code()).as("%s", failover).isZero();
            assertThat(simulator.journal().find(entry -> entry.method().equals("PATCH")))
                    .hasSize(1);
            assertThat(failover.vpcRequests()).as("lookup, PATCH, read-back").isEqualTo(3);
            Counts wire = failover.wire().orElseThrow();
            assertThat(wire.vpc().connections()).as("%s", failover).isEqualTo(1);
            assertThat(wire.iam().connections()).isEqualTo(1);
            assertThat(wire.metadata().connections()).isLessThanOrEqualTo(1);

            Result monitor = harness.node("node-b").monitor(resource);

            assertThat(monitor.code()).as("%s", monitor).isZero();
            assertThat(monitor.vpcRequests()).isEqualTo(1);
            Counts monitorWire = monitor.wire().orElseThrow();
            assertThat(monitorWire.vpc().connections()).isEqualTo(1);
            assertThat(monitorWire.iam().connections() + monitorWire.metadata().connections())
                    .isZero();
        }
    }
}
