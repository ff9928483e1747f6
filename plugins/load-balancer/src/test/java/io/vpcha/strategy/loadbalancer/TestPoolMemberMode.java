package io.vpcha.strategy.loadbalancer;

import static io.vpcha.strategy.loadbalancer.LoadBalancerCluster.poolMember;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.SimulatedCluster.Outcome;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.fault.FaultRule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mode=pool-member: start makes this node's member the only one with a weight, waiting out
 * update_pending (the simulator keeps the load balancer update_pending 300 ms after each change, on its
 * own clock) within the action's deadline; the oracle shows where new connections go.
 */
class TestPoolMemberMode {
    private static VpcSimulator simulator;

    @TempDir
    Path work;

    private LoadBalancerCluster cluster;

    @BeforeAll
    static void startSimulator() {
        simulator =
                LoadBalancerCluster.poolMemberSimulator(LoadBalancerCluster.freePort(), LoadBalancerCluster.freePort());
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    @BeforeEach
    void reset() {
        simulator.reset();
        simulator.behaviour().loadBalancerHealthChecks = "off";
        simulator.behaviour().loadBalancerUpdateMillis = 300;
        cluster = new LoadBalancerCluster(simulator, work, 0);
    }

    @Test
    void failoverBothWaysMovesTheWeightAndTheTraffic() {
        Map<String, String> resource = poolMember();
        assertThat(cluster.deliveredTo("wrr-pool")).hasValue("node-a");

        Outcome startB = cluster.start("node-b", resource);

        assertThat(startB.code()).as(startB.toString()).isZero();
        assertThat(cluster.weights("wrr-pool")).containsEntry("node-a", 0).containsEntry("node-b", 100);
        assertThat(cluster.deliveredTo("wrr-pool")).hasValue("node-b");
        assertThat(startB.vpcRequests("PATCH", "/members/"))
                .as("node-a to 0, then node-b to 100")
                .isEqualTo(2);
        assertThat(cluster.monitor("node-b", resource).code()).isZero();
        assertThat(cluster.probe("node-a", resource).code()).isEqualTo(7);

        assertThat(cluster.stop("node-b", resource).code()).isZero();
        assertThat(cluster.weights("wrr-pool")).containsEntry("node-b", 0);
        Outcome startA = cluster.start("node-a", resource);
        assertThat(startA.code()).as(startA.toString()).isZero();
        assertThat(startA.vpcRequests("PATCH", "/members/"))
                .as("node-b was set to 0 by its stop")
                .isEqualTo(1);
        assertThat(cluster.deliveredTo("wrr-pool")).hasValue("node-a");
        assertThat(cluster.weights("wrr-pool")).containsEntry("node-a", 100).containsEntry("node-b", 0);
    }

    @Test
    void startWhereTheWeightAlreadyIsWritesNothingAndMonitorIsOneRequest() {
        Map<String, String> resource = poolMember();

        Outcome start = cluster.start("node-a", resource);
        Outcome monitor = cluster.monitor("node-a", resource);

        assertThat(start.code()).isZero();
        assertThat(start.vpcWrites()).isZero();
        assertThat(monitor.code()).isZero();
        assertThat(monitor.result().vpcRequests()).isEqualTo(1);
        assertThat(monitor.result().metadataRequests()).isZero();
    }

    @Test
    void aLoadBalancerUpdatePendingIsWaitedOutWithinTheDeadline() {
        simulator.behaviour().loadBalancerUpdateMillis = 1_500;
        Map<String, String> resource = poolMember();
        // someone else's change: the load balancer is update_pending for 1.5 s
        simulator.state().write(state -> {
            state.loadBalancers.values().stream()
                    .filter(lb -> lb.name.equals("app-lb"))
                    .forEach(lb -> lb.pendingUntilNanos = state.clock().nanoTime() + 1_500_000_000L);
            return null;
        });

        Outcome start = cluster.start("node-b", resource);

        assertThat(start.code()).as(start.toString()).isZero();
        assertThat(start.entries().stream().filter(entry -> entry.status() == 409))
                .as("no change sent while pending")
                .isEmpty();
        assertThat(cluster.deliveredTo("wrr-pool")).hasValue("node-b");
    }

    @Test
    void conflictsOnEveryChangeAreRetriedByTheHost() {
        Map<String, String> resource = poolMember();
        simulator
                .faults()
                .add(FaultRule.status(409)
                        .code("load_balancer_update_conflict")
                        .method("PATCH")
                        .count(3));

        Outcome start = cluster.start("node-b", resource);

        assertThat(start.code()).as(start.toString()).isZero();
        assertThat(start.entries().stream().filter(entry -> entry.status() == 409))
                .hasSize(3);
        assertThat(cluster.weights("wrr-pool")).containsEntry("node-a", 0).containsEntry("node-b", 100);
    }

    @Test
    void anUpdatePendingBeyondTheDeadlineFailsTheStartSayingSo() {
        Map<String, String> resource = poolMember();
        simulator.state().write(state -> {
            state.loadBalancers.values().stream()
                    .filter(lb -> lb.name.equals("app-lb"))
                    .forEach(lb -> lb.pendingUntilNanos = state.clock().nanoTime() + 120_000_000_000L);
            return null;
        });

        Outcome start = cluster.run("node-b", "start", resource, Duration.ZERO, Duration.ofSeconds(3), Map.of());

        assertThat(start.code()).isEqualTo(1);
        assertThat(start.reason())
                .contains("did not become active in the time this action has (provisioning_status update_pending)");
        assertThat(start.result().elapsed()).isLessThan(Duration.ofSeconds(5));
        assertThat(cluster.weights("wrr-pool"))
                .as("nothing changed")
                .containsEntry("node-a", 100)
                .containsEntry("node-b", 0);
    }

    @Test
    void anotherNodeTakingOverIsSeenByTheMonitor() {
        Map<String, String> resource = poolMember();
        assertThat(cluster.start("node-a", resource).code()).isZero();
        assertThat(cluster.start("node-b", resource).code()).isZero();

        Outcome monitorA = cluster.monitor("node-a", resource);

        assertThat(monitorA.code()).isEqualTo(7);
        assertThat(monitorA.reason()).contains("has weight 0");
    }

    @Test
    void apiFailuresWithinTheGraceAreRunningAndBeyondItDegraded() {
        Map<String, String> resource = poolMember("max_attempts", "1", "monitor_grace", "30");
        assertThat(cluster.start("node-a", resource).code()).isZero();
        simulator.faults().add(FaultRule.status(503).service("vpc"));

        Outcome within = cluster.monitor("node-a", resource);
        cluster.harness.clock().advance(Duration.ofSeconds(31));
        Outcome beyond = cluster.monitor("node-a", resource);

        assertThat(within.code()).as(within.toString()).isZero();
        assertThat(within.result().stderr()).contains("within monitor_grace 30s");
        assertThat(beyond.code()).isEqualTo(190);
        assertThat(beyond.reason()).contains("beyond monitor_grace 30s");
    }

    @Test
    void stopSucceedsWhenTheApiCannotBeReached() {
        Map<String, String> resource = poolMember("max_attempts", "1");
        assertThat(cluster.start("node-b", resource).code()).isZero();
        simulator.faults().add(FaultRule.status(503).service("vpc"));

        Outcome stop = cluster.stop("node-b", resource);

        assertThat(stop.code()).isZero();
        assertThat(stop.result().stderr()).contains("stop succeeds anyway");
        assertThat(cluster.probe("node-b", resource).code()).isEqualTo(7);
    }

    @Test
    void twoNodesStartingAtOnceNeverEndWithTwoWeightedMembers() throws Exception {
        Map<String, String> resource = poolMember();
        // warm both nodes' lookups so both reach their changes at about the same time
        assertThat(cluster.validate("node-a", resource, 10).code()).isZero();
        assertThat(cluster.validate("node-b", resource, 10).code()).isZero();

        CompletableFuture<Outcome> onA = CompletableFuture.supplyAsync(() -> cluster.start("node-a", resource));
        CompletableFuture<Outcome> onB = CompletableFuture.supplyAsync(() -> cluster.start("node-b", resource));
        Outcome a = onA.get(40, TimeUnit.SECONDS);
        Outcome b = onB.get(40, TimeUnit.SECONDS);

        for (Outcome outcome : new Outcome[] {a, b}) {
            assertThat(outcome.vpcRequests("PATCH", "/members/"))
                    .as("no tug of war: " + outcome)
                    .isLessThanOrEqualTo(2);
        }
        Map<String, Integer> weights = cluster.weights("wrr-pool");
        assertThat(weights.values().stream().filter(weight -> weight > 0).count())
                .as("at most one weighted member: " + weights + "\nA: " + a + "\nB: " + b)
                .isLessThanOrEqualTo(1);
        // Pacemaker's recovery: the node it keeps is started again, and only it then gets traffic
        String kept = a.code() == 0 ? "node-a" : "node-b";
        assertThat(cluster.start(kept, resource).code()).isZero();
        assertThat(cluster.deliveredTo("wrr-pool")).hasValue(kept);
    }

    @Test
    void validateAllAtLevelTenChecksTheAlgorithmAndTheMembers() {
        assertThat(cluster.validate("node-a", poolMember(), 10).code()).isZero();

        Outcome roundRobin = cluster.validate("node-a", poolMember("pool", "rr-pool"), 10);
        assertThat(roundRobin.code()).isEqualTo(6);
        assertThat(roundRobin.reason()).contains("uses algorithm round_robin, which ignores weights");

        Outcome start = cluster.start("node-a", poolMember("pool", "rr-pool"));
        assertThat(start.code()).isEqualTo(6);
        assertThat(start.vpcWrites()).isZero();

        // wrr-pool's members target instances: node_members names them by instance id
        String nodeA = simulator.instanceId("node-a");
        String nodeB = simulator.instanceId("node-b");
        Outcome missingNode =
                cluster.validate("node-a", poolMember("node_members", "node-a=" + nodeA + ",node-b=127.0.0.99"), 10);
        assertThat(missingNode.code()).isEqualTo(6);
        assertThat(missingNode.reason()).contains("node-b=127.0.0.99");

        Outcome byNodeMembers =
                cluster.validate("node-a", poolMember("node_members", "node-a=" + nodeA + ",node-b=" + nodeB), 10);
        assertThat(byNodeMembers.code()).as(byNodeMembers.toString()).isZero();
        assertThat(byNodeMembers.result().metadataRequests()).isZero();

        Outcome readOnly = cluster.start("node-b", poolMember("api_key", LoadBalancerCluster.READONLY_KEY));
        assertThat(readOnly.code()).isEqualTo(4);
        assertThat(readOnly.result().shownReason())
                .as("the one line Pacemaker shows names what to grant first; which action a member's weight "
                        + "checks is not public")
                .startsWith("probably needs IAM action is.load-balancer.load-balancer.update: ");
        assertThat(readOnly.reason()).contains("HTTP 403").doesNotContain("(probably needs");
    }

    @Test
    void aFailedLoadBalancerIsRefusedByValidateAllAndByStartBeforeAnyChange() {
        Map<String, String> broken = poolMember("load_balancer", "broken-lb", "pool", "pool");

        Outcome validate = cluster.validate("node-a", broken, 10);
        Outcome start = cluster.start("node-a", broken);

        for (Outcome outcome : new Outcome[] {validate, start}) {
            assertThat(outcome.code()).as(outcome.toString()).isEqualTo(6);
            assertThat(outcome.reason())
                    .startsWith("load balancer broken-lb")
                    .contains("is in provisioning_status failed")
                    .doesNotContain("\n");
        }
        assertThat(start.vpcWrites()).as("nothing changed").isZero();
        assertThat(cluster.monitor("node-a", broken).code()).as("not started").isEqualTo(7);
    }
}
