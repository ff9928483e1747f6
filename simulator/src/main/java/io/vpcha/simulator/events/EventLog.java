package io.vpcha.simulator.events;

import com.google.gson.JsonObject;
import io.vpcha.simulator.http.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What happened to the simulated cloud, in order, for whoever has to act on it at once: a test
 * harness that powers a network-namespace node off when the API stopped its instance, or boots it
 * when the instance was started. Events carry a sequence number that never goes back (not even on
 * reset), so a reader asks for everything after the last one it saw and may wait for the next
 * ({@link #await}, {@code GET /sim/events?since=N&wait=S}).
 */
public final class EventLog {
    /** An instance's {@code status} changed (API power action, its transitions, or the admin API). */
    public static final String INSTANCE_STATUS = "instance_status";
    /** A load-balancer pool member's {@code health} changed (health checks or the admin API). */
    public static final String MEMBER_HEALTH = "load_balancer_member_health";
    /** A public address range's binding or lifecycle state changed. */
    public static final String PUBLIC_ADDRESS_RANGE = "public_address_range";
    /** The simulation went back to its scenario. */
    public static final String RESET = "reset";

    private final int capacity;
    private final Supplier<Instant> clock;
    private final Deque<Event> events = new ArrayDeque<>();
    private long sequence;

    public EventLog(int capacity, Supplier<Instant> clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.clock = Objects.requireNonNull(clock, "clock is null");
    }

    /** Records an event and wakes every reader waiting for one. */
    public Event publish(String type, JsonObject details) {
        synchronized (this) {
            Event event = new Event(++sequence, clock.get(), type, details.deepCopy());
            events.addLast(event);
            while (events.size() > capacity) {
                events.removeFirst();
            }
            notifyAll();
            return event;
        }
    }

    /** The events after {@code sequence} (exclusive) still held, oldest first. */
    public synchronized List<Event> after(long sequence) {
        List<Event> result = new ArrayList<>();
        for (Event event : events) {
            if (event.sequence() > sequence) {
                result.add(event);
            }
        }
        return result;
    }

    /**
     * The events after {@code sequence}; when there are none yet, waits up to {@code timeout} (real
     * time) for the next. Returns an empty list on timeout.
     */
    public List<Event> await(long sequence, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                List<Event> found = after(sequence);
                long left = deadline - System.nanoTime();
                if (!found.isEmpty() || left <= 0) {
                    return found;
                }
                long millis = Math.max(1, left / 1_000_000);
                wait(millis);
            }
        }
    }

    /** The sequence number of the newest event (0 when none happened yet). */
    public synchronized long lastSequence() {
        return sequence;
    }

    /**
     * One event. {@code details} holds the type's own fields, for an instance status change
     * {@code instance {id, name}, status, previous, cause}.
     */
    public record Event(long sequence, Instant time, String type, JsonObject details) {
        public JsonObject toJson() {
            JsonObject json = Json.object()
                    .put("sequence", sequence)
                    .put("time", time.toString())
                    .put("type", type)
                    .build();
            details.entrySet().forEach(entry -> json.add(entry.getKey(), entry.getValue()));
            return json;
        }
    }
}
