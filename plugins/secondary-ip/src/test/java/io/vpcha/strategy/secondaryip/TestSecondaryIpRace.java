package io.vpcha.strategy.secondaryip;

import static io.vpcha.strategy.secondaryip.SecondaryIpCluster.VIP;
import static io.vpcha.strategy.secondaryip.SecondaryIpCluster.parameters;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.SimulatedCluster.Outcome;
import io.vpcha.simulator.fault.FaultRule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Two nodes starting at once (a split brain, or an operator's mistake): the cloud keeps one binding,
 * every node's view agrees with it, and no node takes the VIP back from the other. The order of the
 * racing steps is set by what the simulator shows, never by sleeping.
 */
class TestSecondaryIpRace extends SecondaryIpClusterFixture {
    @RepeatedTest(3)
    void twoNodesStartingAtOnceLeaveOneBindingOneRunningNodeAndTheReservedIp() throws Exception {
        Map<String, String> resource = parameters();
        String id = cluster.reservedIp(VIP).orElseThrow().id;
        // warm each node's cache so both reach the writes at about the same time
        cluster.validate("node-b", resource, 10);
        cluster.validate("node-t", resource, 10);

        CyclicBarrier barrier = new CyclicBarrier(2);
        List<CompletableFuture<Outcome>> futures = new ArrayList<>();
        for (String node : List.of("node-b", "node-t")) {
            futures.add(CompletableFuture.supplyAsync(() -> {
                await(barrier);
                return cluster.start(node, resource);
            }));
        }
        List<Outcome> starts = new ArrayList<>();
        for (CompletableFuture<Outcome> future : futures) {
            starts.add(future.get(60, TimeUnit.SECONDS));
        }

        assertThat(starts)
                .anySatisfy(
                        start -> assertThat(start.code()).as(start.toString()).isZero());
        String holder = cluster.deliveredFromEveryZone(VIP).get(0);
        assertThat(holder).isIn("node-b", "node-t");
        assertThat(cluster.deliveredFromEveryZone(VIP)).containsOnly(holder);
        assertThat(cluster.reservedIp(VIP).orElseThrow().id).isEqualTo(id);
        String other = holder.equals("node-b") ? "node-t" : "node-b";
        assertThat(cluster.monitor(holder, resource).code()).isZero();
        assertThat(cluster.monitor(other, resource).code()).isEqualTo(7);
    }

    @Test
    void aStartThatSeesAnotherNodeBindItFailsInsteadOfTakingItBack() throws Exception {
        // trusted profiles: their tokens tell the simulator which instance calls
        Map<String, String> resource = parameters("api_key", null);
        // node-b's bind arrives 3 s late, so node-t's start runs entirely in between
        simulator
                .faults()
                .add(FaultRule.latency(3_000, 0)
                        .method("PUT")
                        .path("/v1/virtual_network_interfaces/*/ips/*")
                        .instance("node-b"));
        long before = simulator.journal().lastSequence();

        CompletableFuture<Outcome> startB = CompletableFuture.supplyAsync(() -> cluster.start("node-b", resource));
        // node-t starts once node-b has unbound the VIP from node-a, not after a guessed pause
        awaitUntil(
                Duration.ofSeconds(20),
                "node-b's unbind",
                () -> simulator.journal().entriesAfter(before).stream()
                        .anyMatch(entry -> entry.method().equals("DELETE")
                                && "node-b".equals(entry.callerInstanceName())
                                && entry.status() == 204));
        Outcome startT = cluster.start("node-t", resource);
        Outcome b = startB.get(60, TimeUnit.SECONDS);

        assertThat(startT.code()).as(startT.toString()).isZero();
        assertThat(b.code()).as("node-b saw node-t take it: %s", b).isEqualTo(1);
        assertThat(b.reason()).contains("by someone else (another node starting it?)");
        assertThat(b.vpcWritesBy("node-b"))
                .as("auto_delete, unbind, bind: no second try")
                .isEqualTo(3);
        assertThat(cluster.deliveredFromEveryZone(VIP)).containsOnly("node-t");
        assertThat(cluster.monitor("node-t", resource).code()).isZero();
        assertThat(cluster.monitor("node-b", resource).code()).isEqualTo(7);

        // Pacemaker recovers by starting it on node-b once more: one owner, where the traffic goes
        Outcome recovery = cluster.start("node-b", resource);
        assertThat(recovery.code()).as(recovery.toString()).isZero();
        assertThat(cluster.monitor("node-t", resource).code()).isEqualTo(7);
        assertThat(cluster.deliveredFromEveryZone(VIP)).containsOnly("node-b");
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for something the simulator will show, at most {@code bound}. */
    private static void awaitUntil(Duration bound, String what, BooleanSupplier condition) throws InterruptedException {
        Instant until = Instant.now().plus(bound);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for %s", what).isBefore(until);
            Thread.sleep(20);
        }
    }
}
