package io.vpcha.strategy.loadbalancer;

import java.util.Map;
import java.util.Optional;

/**
 * The health listener this node started, kept in the state directory: its process (id and start time,
 * which together name one process even after the id is reused) and where it listens.
 *
 * @param startedAt the process's start time, epoch milliseconds, as the kernel reports it
 * @param address the address it binds to; 0.0.0.0 for all
 */
record ListenerRecord(long pid, long startedAt, int port, String address) {
    /** Its record in the state directory. */
    static final String RECORD = "listener";

    ListenerRecord {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid " + pid + " is not a process id");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is out of range");
        }
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("address is empty");
        }
    }

    static Optional<ListenerRecord> from(Optional<Map<String, String>> kept) {
        return kept.flatMap(values -> {
            try {
                return Optional.of(new ListenerRecord(
                        Long.parseLong(values.getOrDefault("pid", "")),
                        Long.parseLong(values.getOrDefault("started_at", "")),
                        Integer.parseInt(values.getOrDefault("port", "")),
                        values.getOrDefault("address", "")));
            } catch (IllegalArgumentException damaged) {
                return Optional.empty();
            }
        });
    }

    Map<String, String> toRecord() {
        return Map.of(
                "pid", Long.toString(pid),
                "started_at", Long.toString(startedAt),
                "port", Integer.toString(port),
                "address", address);
    }

    String describe() {
        return "health listener (socat, pid " + pid + ") on " + address + ":" + port;
    }
}
