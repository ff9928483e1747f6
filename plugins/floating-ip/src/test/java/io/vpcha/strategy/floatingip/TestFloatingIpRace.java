package io.vpcha.strategy.floatingip;

import static io.vpcha.strategy.floatingip.FloatingIpCluster.parameters;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.fault.FaultRule;
import io.vpcha.strategy.floatingip.FloatingIpCluster.Outcome;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes starting at once (a split brain, or an operator's mistake): the cloud keeps one binding,
 * and every node's view agrees with it: at most one node is running, and it is where traffic goes.
 */
class TestFloatingIpRace {
    private static VpcSimulator simulator;

    @TempDir
    Path work;

    private FloatingIpCluster cluster;

    @BeforeAll
    static void startSimulator() {
        simulator = FloatingIpCluster.startSimulator();
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    @BeforeEach
    void reset() {
        simulator.reset();
        cluster = new FloatingIpCluster(simulator, work);
    }

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
    void aStartThatSeesAnotherNodeTakeTheFloatingIpFailsInsteadOfTakingItBack() throws Exception {
        // trusted profiles: their tokens tell the simulator which instance calls
        Map<String, String> resource = parameters("api_key", null);
        // node-b's move takes effect late, so node-f's move lands in between
        simulator
                .faults()
                .add(FaultRule.applyDelay(3_000)
                        .method("PATCH")
                        .path("/v1/floating_ips/*")
                        .instance("node-b"));

        Outcome startB = CompletableFuture.supplyAsync(() -> cluster.start("node-b", resource))
                .thenCombine(
                        CompletableFuture.supplyAsync(() -> {
                            sleep(300);
                            return cluster.start("node-f", resource);
                        }),
                        (b, f) -> {
                            assertThat(f.code()).as(f.toString()).isZero();
                            return b;
                        })
                .get();

        if (startB.code() != 0) {
            assertThat(startB.reason()).contains("by someone else (another node starting it?)");
        }
        assertThat(startB.vpcWritesBy("node-b"))
                .as("no second write, no tug of war")
                .isEqualTo(1);
        // the delayed move lands last, whatever node-b's start said
        while (simulator.state().pendingChanges() > 0) {
            sleep(50);
        }
        assertThat(cluster.vipDeliveredTo()).hasValue("node-b");
        assertThat(cluster.monitor("node-f", resource).code())
                .as("node-f sees it moved away")
                .isEqualTo(7);
        assertThat(cluster.monitor("node-b", resource).code())
                .as("running only if its start succeeded")
                .isEqualTo(startB.code() == 0 ? 0 : 7);
    }

    private List<Outcome> startTogether(Map<String, String> resource, String... nodes) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(nodes.length);
        List<CompletableFuture<Outcome>> futures = java.util.Arrays.stream(nodes)
                .map(node -> CompletableFuture.supplyAsync(() -> {
                    await(barrier);
                    return cluster.start(node, resource);
                }))
                .toList();
        return futures.stream().map(CompletableFuture::join).toList();
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
