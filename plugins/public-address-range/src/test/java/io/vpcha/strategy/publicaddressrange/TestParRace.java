package io.vpcha.strategy.publicaddressrange;

import static io.vpcha.strategy.publicaddressrange.ParCluster.FW_B;
import static io.vpcha.strategy.publicaddressrange.ParCluster.parameters;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.SimulatedCluster.Outcome;
import io.vpcha.simulator.events.EventLog;
import io.vpcha.simulator.journal.JournalEntry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Two nodes starting at once (what a split brain or an operator's mistake does): the later one sees the
 * range moving to the other and fails instead of moving it back, so there is no tug of war, and one
 * node owns the range at the end.
 */
class TestParRace extends ParClusterFixture {
    @Test
    void aStartThatSeesTheRangeMovingElsewhereFailsAndDoesNotMoveItBack() throws Exception {
        // trusted profiles: their tokens tell the simulator which instance made each request, so fw-c's
        // writes are told apart from fw-b's, which go on while fw-c runs (its route, once the range is stable)
        Map<String, String> resource = parameters("api_key", null);
        simulator.behaviour().publicAddressRangeUpdateMillis = 2_000;
        long beforeEvents = simulator.events().lastSequence();
        long beforeRequests = simulator.journal().lastSequence();
        CompletableFuture<Outcome> fwB = CompletableFuture.supplyAsync(() -> cluster.start("fw-b", resource));
        // ordered by what the simulator shows, not by a sleep: fw-b's PATCH has made the range updating
        awaitRangeUpdating(beforeEvents);

        Outcome fwC = cluster.start("fw-c", resource);

        assertThat(fwC.code()).as(fwC.toString()).isEqualTo(1);
        assertThat(fwC.reason()).contains("is updating towards zone us-south-2").contains("another node is moving it");
        Outcome b = fwB.get(30, TimeUnit.SECONDS);
        assertThat(b.code()).as(b.toString()).isZero();
        List<JournalEntry> writes = simulator.journal().entriesAfter(beforeRequests).stream()
                .filter(entry ->
                        entry.service().equals("vpc") && !entry.method().equals("GET"))
                .toList();
        assertThat(writes)
                .as("fw-b moved the range and its route, and only fw-b wrote: no tug of war")
                .extracting(JournalEntry::callerInstanceName)
                .contains("fw-b")
                .containsOnly("fw-b");
        assertThat(writes)
                .as("the range moved once")
                .filteredOn(entry -> entry.endpoint().startsWith("/v1/public_address_ranges/"))
                .hasSize(1);
        assertThat(cluster.ingressRoutes()).containsExactly("par-us-south-1 us-south-2 " + FW_B);
        assertThat(cluster.deliveredTo()).hasValue("fw-b");
        assertThat(cluster.monitor("fw-b", resource).code()).isZero();
        assertThat(cluster.monitor("fw-c", resource).code()).as("one owner").isEqualTo(7);
    }

    @RepeatedTest(3)
    void twoNodesStartingAtOnceLeaveOneRunningWhereTrafficGoes() throws Exception {
        CompletableFuture<Outcome> fwA = CompletableFuture.supplyAsync(() -> cluster.start("fw-a", parameters()));
        CompletableFuture<Outcome> fwB = CompletableFuture.supplyAsync(() -> cluster.start("fw-b", parameters()));
        List<Outcome> outcomes = List.of(fwA.get(40, TimeUnit.SECONDS), fwB.get(40, TimeUnit.SECONDS));

        assertThat(outcomes).anyMatch(outcome -> outcome.code() == 0);
        // what Pacemaker then sees: the monitors say which node the traffic reaches
        List<String> running = List.of("fw-a", "fw-b").stream()
                .filter(node -> cluster.monitor(node, parameters()).code() == 0)
                .toList();
        assertThat(running).hasSize(1);
        assertThat(cluster.deliveredTo()).hasValue(running.get(0));
    }

    private static void awaitRangeUpdating(long after) throws InterruptedException {
        long seen = after;
        long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < giveUp) {
            List<EventLog.Event> events = simulator.events().await(seen, Duration.ofSeconds(1));
            for (EventLog.Event event : events) {
                seen = event.sequence();
                if (event.type().equals(EventLog.PUBLIC_ADDRESS_RANGE)
                        && "updating"
                                .equals(event.details().get("lifecycle_state").getAsString())) {
                    return;
                }
            }
        }
        throw new AssertionError("the range never became updating");
    }
}
