package io.vpcha.host.testing;

import io.vpcha.simulator.journal.JournalEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The rounds of requests an action waited for, read from the simulator's journal: what a round-trip
 * time multiplies. A request's round is one more than the latest round of the requests that had been
 * answered when it arrived; requests sent at the same time are in one round. Needs a latency on every
 * request (a fault rule) far above the time between sending the requests of one round, so that no
 * request of a round is answered before the last of its round arrives: a count, not a timing.
 */
public final class RequestRounds {
    private RequestRounds() {}

    /** The requests of each round, in order, as {@code METHOD endpoint}, sorted within the round. */
    public static List<List<String>> of(List<JournalEntry> requests) {
        List<JournalEntry> byArrival = requests.stream()
                .sorted(Comparator.comparing(JournalEntry::time))
                .toList();
        List<Integer> roundOf = new ArrayList<>();
        List<List<String>> rounds = new ArrayList<>();
        for (int i = 0; i < byArrival.size(); i++) {
            JournalEntry request = byArrival.get(i);
            int round = 0;
            for (int earlier = 0; earlier < i; earlier++) {
                if (!answered(byArrival.get(earlier)).isAfter(request.time())) {
                    round = Math.max(round, roundOf.get(earlier) + 1);
                }
            }
            roundOf.add(round);
            while (rounds.size() <= round) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(round).add(request.method() + " " + request.endpoint());
        }
        rounds.forEach(round -> round.sort(Comparator.naturalOrder()));
        return rounds;
    }

    private static Instant answered(JournalEntry request) {
        return request.time().plusMillis(request.latencyMillis());
    }
}
