package io.vpcha.strategy.loadbalancer;

import static java.util.Objects.requireNonNull;

import io.vpcha.toolkit.json.Json;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A pool as the API shows it, with its health monitor.
 *
 * @param algorithm round_robin, weighted_round_robin or least_connections
 */
record PoolView(String id, String name, String algorithm, String protocol, HealthMonitor healthMonitor) {
    static final String WEIGHTED_ROUND_ROBIN = "weighted_round_robin";

    PoolView {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(algorithm, "algorithm is null");
        requireNonNull(protocol, "protocol is null");
        requireNonNull(healthMonitor, "healthMonitor is null");
    }

    /**
     * How the pool probes its members.
     *
     * @param port the port probed; empty: each member's own port
     * @param delay seconds between probes
     * @param maxRetries failed probes in a row that make a member faulted
     * @param timeout seconds a probe may take
     */
    record HealthMonitor(
            String type, OptionalInt port, int delay, int maxRetries, int timeout, Optional<String> urlPath) {
        HealthMonitor {
            requireNonNull(type, "type is null");
            requireNonNull(port, "port is null");
            requireNonNull(urlPath, "urlPath is null");
        }

        /** How long, at most, until the load balancer stops sending to a member that stopped answering. */
        int secondsToFault() {
            return delay * maxRetries;
        }

        String describe() {
            return type + " health monitor on "
                    + port.stream().mapToObj(p -> "port " + p).findFirst().orElse("the member's port") + " every "
                    + delay + " s, " + maxRetries + " retries, timeout " + timeout + " s";
        }
    }

    static PoolView of(Map<String, Object> json) {
        Map<String, Object> monitor = Json.map(json, "health_monitor").orElse(Map.of());
        HealthMonitor healthMonitor = new HealthMonitor(
                Json.string(monitor, "type").orElse(""),
                Json.integer(monitor, "port")
                        .map(port -> OptionalInt.of(port.intValue()))
                        .orElse(OptionalInt.empty()),
                Json.integer(monitor, "delay").orElse(0L).intValue(),
                Json.integer(monitor, "max_retries").orElse(0L).intValue(),
                Json.integer(monitor, "timeout").orElse(0L).intValue(),
                Json.string(monitor, "url_path"));
        return new PoolView(
                Json.string(json, "id").orElseThrow(() -> new IllegalArgumentException("a pool without id")),
                Json.string(json, "name").orElse(""),
                Json.string(json, "algorithm").orElse(""),
                Json.string(json, "protocol").orElse(""),
                healthMonitor);
    }

    boolean honoursWeights() {
        return algorithm.equals(WEIGHTED_ROUND_ROBIN);
    }

    String describe() {
        return Describe.named("pool", name, id);
    }
}
