package io.vpcha.simulator.journal;

import com.google.gson.JsonObject;
import io.vpcha.simulator.http.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** A bounded log of handled calls plus per-endpoint counters; thread-safe. */
public final class RequestJournal {
    private final int capacity;
    private final Deque<JournalEntry> entries = new ArrayDeque<>();
    private final Map<String, EndpointCounter> counters = new TreeMap<>();
    private long sequence;

    public RequestJournal(int capacity) {
        this.capacity = capacity;
    }

    public synchronized JournalEntry record(JournalEntry.Builder builder) {
        JournalEntry entry = builder.build(++sequence);
        entries.addLast(entry);
        while (entries.size() > capacity) {
            entries.removeFirst();
        }
        counters.computeIfAbsent(entry.method() + " " + entry.endpoint(), key -> new EndpointCounter())
                .add(entry);
        return entry;
    }

    public synchronized List<JournalEntry> entries() {
        return List.copyOf(entries);
    }

    public synchronized List<JournalEntry> entriesAfter(long sequenceExclusive) {
        List<JournalEntry> result = new ArrayList<>();
        for (JournalEntry entry : entries) {
            if (entry.sequence() > sequenceExclusive) {
                result.add(entry);
            }
        }
        return result;
    }

    public synchronized List<JournalEntry> find(Predicate<JournalEntry> filter) {
        return entries.stream().filter(filter).toList();
    }

    /** Number of journalled calls with this method whose path matches exactly. */
    public synchronized long count(String method, String path) {
        return entries.stream()
                .filter(e -> e.method().equals(method) && e.path().equals(path))
                .count();
    }

    public synchronized long lastSequence() {
        return sequence;
    }

    /** Counters keyed by {@code "METHOD /path/template"}. */
    public synchronized Map<String, EndpointCounter.Snapshot> counters() {
        Map<String, EndpointCounter.Snapshot> result = new TreeMap<>();
        counters.forEach((key, counter) -> result.put(key, counter.snapshot()));
        return result;
    }

    public synchronized void clear() {
        entries.clear();
        counters.clear();
    }

    public synchronized JsonObject countersJson() {
        JsonObject result = new JsonObject();
        counters.forEach((key, counter) -> result.add(key, counter.snapshot().toJson()));
        return result;
    }

    /** Calls, statuses and latency for one endpoint. */
    public static final class EndpointCounter {
        private long calls;
        private long totalLatencyMillis;
        private final Map<Integer, Long> byStatus = new TreeMap<>();

        void add(JournalEntry entry) {
            calls++;
            totalLatencyMillis += entry.latencyMillis();
            byStatus.merge(entry.status(), 1L, Long::sum);
        }

        Snapshot snapshot() {
            return new Snapshot(calls, totalLatencyMillis, Map.copyOf(byStatus));
        }

        public record Snapshot(long calls, long totalLatencyMillis, Map<Integer, Long> byStatus) {
            public JsonObject toJson() {
                JsonObject statuses = new JsonObject();
                new TreeMap<>(byStatus).forEach((status, count) -> statuses.addProperty(String.valueOf(status), count));
                return Json.object()
                        .put("calls", calls)
                        .put("total_latency_ms", totalLatencyMillis)
                        .put("by_status", statuses)
                        .build();
            }
        }
    }
}
