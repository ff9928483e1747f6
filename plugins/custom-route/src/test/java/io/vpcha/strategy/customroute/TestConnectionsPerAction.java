package io.vpcha.strategy.customroute;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.AgentHarness;
import io.vpcha.host.testing.AgentHarness.Result;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.scenario.Scenario;
import io.vpcha.simulator.wire.ProxiedEndpoints;
import io.vpcha.simulator.wire.ProxiedEndpoints.Counts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TCP connections per action, counted on the simulator's side (a proxy in front of each endpoint, over
 * TLS as in production): one per endpoint, whatever the methods (PATCH included), more only for
 * table requests that run at the same time. Every connection costs a TCP and a TLS handshake: two
 * round trips to the cloud before the request's own.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestConnectionsPerAction {
    private static final String VIP = "10.0.0.100";
    private static final String HA_KEY = "sim-test-apikey-ha-0000000000000001";
    private static final Map<String, String> RESOURCE =
            Map.of("strategy", "custom-route", "vip", VIP, "manage_local_ip", "false", "api_key", HA_KEY);

    @TempDir
    Path work;

    @Test
    void aMonitorOfOneTableIsOneConnection() throws IOException {
        try (Cloud cloud = new Cloud(Scenario.threeZone())) {
            Map<String, String> resource = resource("routing_tables", "vip-egress");
            assertThat(cloud.run("node-a", "start", resource).code()).isZero();

            Result monitor = cloud.monitor("node-a", resource);

            assertThat(monitor.code()).as("%s", monitor).isZero();
            assertThat(monitor.vpcRequests()).isEqualTo(1);
            Counts wire = monitor.wire().orElseThrow();
            assertThat(wire.vpc().connections()).as("%s", monitor).isEqualTo(1);
            assertThat(wire.iam().connections()).isZero();
            assertThat(wire.metadata().connections()).isZero();
        }
    }

    @Test
    void aFailoverSendsEveryRequestPatchesIncludedOnOneConnectionPerEndpoint() throws IOException {
        try (Cloud cloud = new Cloud(Scenario.threeZone())) {
            // two tables: an egress table (3 PATCHes) and an ingress table (POST, DELETE, PATCH to move its
            // route); one table at a time, so that no two requests ever run at once
            Map<String, String> resource = resource("parallelism", "1");
            Result failover = cloud.run("node-b", "start", resource);

            assertThat(failover.code()).as("%s", failover).isZero();
            assertThat(cloud.simulator.journal().find(entry -> entry.method().equals("PATCH")))
                    .hasSizeGreaterThanOrEqualTo(4);
            assertThat(failover.vpcRequests()).isGreaterThanOrEqualTo(10);
            Counts wire = failover.wire().orElseThrow();
            assertThat(wire.vpc().connections()).as("%s", failover).isEqualTo(1);
            assertThat(wire.iam().connections()).as("a token for node-b").isEqualTo(1);
            assertThat(wire.metadata().connections())
                    .as("identity token and instance: one connection")
                    .isEqualTo(1);
            assertThat(failover.metadataRequests()).isGreaterThanOrEqualTo(2);

            Result monitor = cloud.monitor("node-b", resource);
            assertThat(monitor.code()).isZero();
            assertThat(monitor.vpcRequests()).as("one per table").isEqualTo(2);
            Counts monitorWire = monitor.wire().orElseThrow();
            assertThat(monitorWire.vpc().connections()).isEqualTo(1);
            assertThat(monitorWire.iam().connections() + monitorWire.metadata().connections())
                    .isZero();
        }
    }

    @Test
    void tablesReadAtTheSameTimeUseNoMoreConnectionsThanRunAtOnce() throws IOException {
        try (Cloud cloud = new Cloud(Scenario.fromJson("seven-tables", MoreEgressTables.scenario("more", 5, VIP, 0)))) {
            Map<String, String> resource = resource("parallelism", "3");
            assertThat(cloud.run("node-a", "start", resource).code()).isZero();

            Result parallel = cloud.monitor("node-a", resource);
            Result sequential = cloud.monitor("node-a", resource("parallelism", "1"));

            assertThat(parallel.code()).as("%s", parallel).isZero();
            assertThat(parallel.vpcRequests()).isEqualTo(7);
            // the first table is read alone, then three threads share the rest
            assertThat(parallel.wire().orElseThrow().vpc().connections())
                    .as("%s", parallel)
                    .isBetween(1L, 3L);
            assertThat(sequential.vpcRequests()).isEqualTo(7);
            assertThat(sequential.wire().orElseThrow().vpc().connections()).isEqualTo(1);
        }
    }

    @Test
    void aWarmPromoteOpensTheConnectionsOfItsWidestRoundWhileItReadsAndNoMore() throws IOException {
        try (Cloud cloud = new Cloud(Scenario.threeZone())) {
            Map<String, String> resource = resource("CRM_meta_promotable", "true");
            cloud.readyStandby(resource);

            Result promote = cloud.run("node-b", "promote", resource);

            assertThat(promote.code()).as("%s", promote).isZero();
            assertThat(promote.vpcRequests()).isEqualTo(10);
            Counts wire = promote.wire().orElseThrow();
            // 2 tables read at once, then 3 egress PATCHes and the ingress route's POST at once: the four
            // connections of the widest round, opened while the tables are read, and not one more
            assertThat(wire.vpc().connections()).as("%s", promote).isEqualTo(4);
            assertThat(wire.iam().connections()).isZero();

            assertThat(cloud.run("node-b", "demote", resource).code()).isZero();
            Result again = cloud.run("node-b", "promote", resource);
            assertThat(again.code()).as("%s", again).isZero();
            assertThat(again.vpcRequests())
                    .as("the routes deliver here: the two tables read, no write")
                    .isEqualTo(2);
            assertThat(again.wire().orElseThrow().vpc().connections())
                    .as("no connection opened for writes that a node already active makes none of: %s", again)
                    .isEqualTo(2);
        }
    }

    @Test
    void aPromoteThatWritesInPlaceOpensAConnectionPerWriteAtOnceAndNoMore() throws IOException {
        try (Cloud cloud = new Cloud(Scenario.threeZone())) {
            Map<String, String> resource = resource("CRM_meta_promotable", "true");
            resource.put("routing_tables", "vip-egress");
            cloud.readyStandby(resource);

            Result promote = cloud.run("node-b", "promote", resource);

            assertThat(promote.code()).as("%s", promote).isZero();
            assertThat(promote.vpcRequests())
                    .as("3 PATCHes, the table read back")
                    .isEqualTo(4);
            // the three PATCHes are the first round: their connections open together, the read-back reuses one
            assertThat(promote.wire().orElseThrow().vpc().connections())
                    .as("%s", promote)
                    .isEqualTo(3);
            assertThat(promote.wire().orElseThrow().iam().connections()).isZero();
        }
    }

    /** The simulator over HTTPS behind counting proxies, and the agent running actions against it. */
    private final class Cloud implements AutoCloseable {
        final VpcSimulator simulator;
        final ProxiedEndpoints endpoints;
        final AgentHarness harness;

        Cloud(Scenario scenario) {
            simulator = VpcSimulator.builder()
                    .scenario(scenario)
                    .perInstanceMetadata(true)
                    .https(true)
                    .caCertificateFile(work.resolve("ca.pem"))
                    .start();
            endpoints = ProxiedEndpoints.start(simulator, Duration.ZERO);
            harness = new AgentHarness(simulator, work, List.of(HA_KEY), new CustomRouteStrategyProvider())
                    .through(endpoints);
        }

        Result run(String node, String action, Map<String, String> resource) {
            return harness.node(node).run(action, resource);
        }

        Result monitor(String node, Map<String, String> resource) {
            return harness.node(node).monitor(resource);
        }

        /** node-a holds the resource Promoted, node-b is Unpromoted and ready, node-a is demoted. */
        void readyStandby(Map<String, String> resource) {
            assertThat(run("node-a", "start", resource).code()).isZero();
            assertThat(run("node-a", "promote", resource).code()).isZero();
            assertThat(run("node-b", "start", resource).code()).isZero();
            assertThat(monitor("node-b", resource).code()).as("node-b ready").isZero();
            assertThat(run("node-a", "demote", resource).code()).isZero();
        }

        @Override
        public void close() {
            endpoints.close();
            simulator.close();
        }
    }

    private static Map<String, String> resource(String name, String value) {
        Map<String, String> parameters = new HashMap<>(RESOURCE);
        parameters.put(name, value);
        return parameters;
    }
}
