package io.vpcha.strategy.floatingip;

import static io.vpcha.strategy.floatingip.FloatingIpCluster.parameters;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.RecordedPacemakerTools;
import io.vpcha.host.testing.SimulatedCluster.Outcome;
import io.vpcha.simulator.fault.FaultRule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Two nodes starting at once (a split brain, or an operator's mistake): the cloud keeps one binding,
 * and every node's view agrees with it: at most one node is running, and it is where traffic goes.
 * The order of the racing steps is set by what the simulator shows, never by sleeping.
 */
class TestFloatingIpRace extends FloatingIpClusterFixture {
    @RepeatedTest(3)
    void twoNodesStartingAtOnceLeaveExactlyOneRunningWhereTrafficGoes() throws Exception {
        Map<String, String> resource = parameters();
        // warm each node's caches so both reach the PATCH at about the same time
        cluster.validate("node-b", resource, 10);
        cluster.validate("node-f", resource, 10);

        List<Outcome> starts = startTogether(resource, "node-b", "node-f");

        assertThat(starts)
                .anySatisfy(
                        start -> assertThat(start.code()).as(start.toString()).isZero());
        String holder = cluster.vipDeliveredTo().orElseThrow();
        assertThat(holder).isIn("node-b", "node-f");
        String other = holder.equals("node-b") ? "node-f" : "node-b";
        assertThat(cluster.monitor(holder, resource).code()).isZero();
        Outcome loser = cluster.monitor(other, resource);
        assertThat(loser.code()).as(loser.toString()).isEqualTo(7);
    }

    @Test
    void aStartThatSeesAnotherNodeTakeTheFloatingIpFailsInsteadOfTakingItBackAndOneOwnerRemains() throws Exception {
        // trusted profiles: their tokens tell the simulator which instance calls
        Map<String, String> resource = parameters("api_key", null);
        CompletableFuture<Outcome> startB = withNodeBsMoveLate(() -> cluster.start("node-b", resource));
        Outcome startF = cluster.start("node-f", resource);
        Outcome b = startB.get(60, TimeUnit.SECONDS);

        nodeBSawNodeFTakeIt(startF, b);
        // node-b's late move landed last: the cloud has one binding, and no node claims what it has not got
        assertThat(cluster.vipDeliveredTo()).hasValue("node-b");
        assertThat(cluster.monitor("node-f", resource).code())
                .as("node-f sees it moved away")
                .isEqualTo(7);
        assertThat(cluster.monitor("node-b", resource).code())
                .as("node-b's start failed")
                .isEqualTo(7);

        // Pacemaker recovers by starting it once more, here on node-b: one owner, where the traffic goes
        Outcome recovery = cluster.start("node-b", resource);
        assertThat(recovery.code()).as(recovery.toString()).isZero();
        assertThat(recovery.vpcWrites()).as("already bound there").isZero();
        assertThat(cluster.monitor("node-b", resource).code()).isZero();
        assertThat(cluster.monitor("node-f", resource).code()).isEqualTo(7);
        assertThat(cluster.vipDeliveredTo()).hasValue("node-b");
    }

    @Test
    void aWarmPromoteThatSeesAnotherNodeTakeTheFloatingIpAfterItsPatchFailsAsAStartDoes() throws Exception {
        RecordedPacemakerTools tools = RecordedPacemakerTools.in(work.resolve("sbin"));
        Map<String, String> environment = Map.of("HA_SBIN_DIR", tools.directory());
        // trusted profiles: their tokens tell the simulator which instance calls
        Map<String, String> promotable = parameters("api_key", null, "CRM_meta_promotable", "true");
        assertThat(cluster.run("node-b", "start", promotable, Duration.ZERO, Duration.ofSeconds(20), environment)
                        .code())
                .isZero();
        Outcome readiness = cluster.run(
                "node-b", "monitor", promotable, Duration.ofSeconds(30), Duration.ofSeconds(20), environment);
        assertThat(readiness.code()).as("%s", readiness).isZero();
        assertThat(tools.takeCalls()).contains("crm_attribute --promotion -v 100");
        CompletableFuture<Outcome> promoteB = withNodeBsMoveLate(
                () -> cluster.run("node-b", "promote", promotable, Duration.ZERO, Duration.ofSeconds(20), environment));
        Outcome startF = cluster.start("node-f", parameters("api_key", null));
        Outcome b = promoteB.get(60, TimeUnit.SECONDS);

        assertThat(b.entries().stream()
                        .filter(entry -> entry.service().equals("vpc"))
                        .findFirst()
                        .map(entry -> entry.method() + " " + entry.endpoint()))
                .as("the promotion bound it with no read first")
                .hasValue("PATCH /v1/floating_ips/{id}");
        nodeBSawNodeFTakeIt(startF, b);
        assertThat(cluster.monitor("node-f", parameters("api_key", null)).code())
                .as("node-f sees it moved away")
                .isEqualTo(7);
    }

    /**
     * Runs {@code action}, node-b's, in the background with its move taking effect 6 s late, and returns
     * once node-b's PATCH was accepted (not after a guessed pause): another node's move made now lands in
     * between, while node-b reads back.
     */
    private CompletableFuture<Outcome> withNodeBsMoveLate(Supplier<Outcome> action) throws InterruptedException {
        simulator
                .faults()
                .add(FaultRule.applyDelay(6_000)
                        .method("PATCH")
                        .path("/v1/floating_ips/*")
                        .instance("node-b"));
        long before = simulator.journal().lastSequence();
        CompletableFuture<Outcome> outcome = CompletableFuture.supplyAsync(action);
        awaitUntil(
                Duration.ofSeconds(20),
                "node-b's PATCH",
                () -> simulator.journal().entriesAfter(before).stream()
                        .anyMatch(entry ->
                                entry.method().equals("PATCH") && "node-b".equals(entry.callerInstanceName())));
        return outcome;
    }

    /**
     * node-f's start succeeded, node-b's action saw node-f take the floating IP while it read back and
     * failed with its one write (no tug of war), and node-b's late move has landed.
     */
    private static void nodeBSawNodeFTakeIt(Outcome startF, Outcome b) throws InterruptedException {
        assertThat(startF.code()).as(startF.toString()).isZero();
        assertThat(b.code()).as("node-b saw node-f take it: %s", b).isEqualTo(1);
        assertThat(b.reason()).contains("by someone else (another node starting it?)");
        assertThat(b.vpcWritesBy("node-b")).as("no second write, no tug of war").isEqualTo(1);
        awaitUntil(
                Duration.ofSeconds(20),
                "node-b's delayed move",
                () -> simulator.state().pendingChanges() == 0);
    }

    private List<Outcome> startTogether(Map<String, String> resource, String... nodes) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(nodes.length);
        List<CompletableFuture<Outcome>> futures = Arrays.stream(nodes)
                .map(node -> CompletableFuture.supplyAsync(() -> {
                    await(barrier);
                    return cluster.start(node, resource);
                }))
                .toList();
        List<Outcome> outcomes = new ArrayList<>();
        for (CompletableFuture<Outcome> future : futures) {
            outcomes.add(future.get(60, TimeUnit.SECONDS));
        }
        return outcomes;
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits for something the simulator will show (a request it received, a delayed change it made),
     * at most {@code bound}: the order of events comes from the events, never from a guessed pause.
     */
    private static void awaitUntil(Duration bound, String what, BooleanSupplier condition) throws InterruptedException {
        Instant until = Instant.now().plus(bound);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for %s", what).isBefore(until);
            Thread.sleep(20);
        }
    }
}
