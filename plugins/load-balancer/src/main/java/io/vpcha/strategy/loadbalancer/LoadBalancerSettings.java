package io.vpcha.strategy.loadbalancer;

import static io.vpcha.strategy.loadbalancer.LoadBalancerParameters.HEALTH_ADDRESS;
import static io.vpcha.strategy.loadbalancer.LoadBalancerParameters.HEALTH_PORT;
import static io.vpcha.strategy.loadbalancer.LoadBalancerParameters.LOAD_BALANCER;
import static io.vpcha.strategy.loadbalancer.LoadBalancerParameters.MODE;
import static io.vpcha.strategy.loadbalancer.LoadBalancerParameters.MONITOR_GRACE;
import static io.vpcha.strategy.loadbalancer.LoadBalancerParameters.NODE_MEMBERS;
import static io.vpcha.strategy.loadbalancer.LoadBalancerParameters.POOL;
import static io.vpcha.strategy.loadbalancer.LoadBalancerParameters.WEIGHT;
import static java.util.Objects.requireNonNull;

import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.ParameterValues;
import io.vpcha.spi.StrategyException;
import io.vpcha.toolkit.time.MonitorGrace;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The resource's parameters for this node, their combinations checked: what validate-all checks at
 * level 0, without any network call.
 *
 * @param healthPort the listener's port; present in health-check mode
 * @param healthAddress the address the listener binds to; empty for all
 * @param thisNodeMember this node's entry of node_members (a member id, instance id or address), if any
 * @param nodeMembers every entry of node_members, by node name
 */
record LoadBalancerSettings(
        Mode mode,
        String loadBalancer,
        String pool,
        OptionalInt healthPort,
        Optional<String> healthAddress,
        int weight,
        Optional<String> thisNodeMember,
        Map<String, String> nodeMembers,
        Duration monitorGrace) {
    LoadBalancerSettings {
        requireNonNull(mode, "mode is null");
        requireNonNull(loadBalancer, "loadBalancer is null");
        requireNonNull(pool, "pool is null");
        requireNonNull(healthPort, "healthPort is null");
        requireNonNull(healthAddress, "healthAddress is null");
        requireNonNull(thisNodeMember, "thisNodeMember is null");
        nodeMembers = Map.copyOf(requireNonNull(nodeMembers, "nodeMembers is null"));
        requireNonNull(monitorGrace, "monitorGrace is null");
        if (loadBalancer.isBlank() || pool.isBlank()) {
            throw new IllegalArgumentException("loadBalancer or pool is blank");
        }
        if (mode == Mode.HEALTH_CHECK && healthPort.isEmpty()) {
            throw new IllegalArgumentException("health-check mode without a health port");
        }
        if (healthPort.isPresent() && (healthPort.getAsInt() < 1 || healthPort.getAsInt() > 65_535)) {
            throw new IllegalArgumentException("health port out of range: " + healthPort.getAsInt());
        }
        if (weight < 1 || weight > 100) {
            throw new IllegalArgumentException("weight out of range: " + weight);
        }
        if (monitorGrace.isNegative()) {
            throw new IllegalArgumentException("monitorGrace is negative");
        }
    }

    /**
     * @param nodeName this node's Pacemaker name, which selects its entry of node_members
     * @throws StrategyException naming the parameters that do not work together
     */
    static LoadBalancerSettings from(ParameterValues values, String nodeName) throws StrategyException {
        Mode mode = Mode.fromParameterValue(values.require(MODE));
        String loadBalancer = nonBlank(values, LOAD_BALANCER)
                .orElseThrow(() -> StrategyException.notConfigured(
                        LOAD_BALANCER + " is empty: set the load balancer's id or name"));
        String pool = nonBlank(values, POOL)
                .orElseThrow(() -> StrategyException.notConfigured(POOL + " is empty: set the pool's id or name"));
        // ranges are declared and checked by the host before any action
        OptionalInt healthPort = values.integer(HEALTH_PORT).isPresent()
                ? OptionalInt.of((int) values.integer(HEALTH_PORT).getAsLong())
                : OptionalInt.empty();
        if (mode == Mode.HEALTH_CHECK && healthPort.isEmpty()) {
            throw StrategyException.notConfigured(
                    "mode=health-check needs " + HEALTH_PORT + ": the port the pool's health monitor probes");
        }
        Optional<String> healthAddress = nonBlank(values, HEALTH_ADDRESS);
        if (mode == Mode.POOL_MEMBER && (healthPort.isPresent() || healthAddress.isPresent())) {
            throw StrategyException.notConfigured(HEALTH_PORT + " and " + HEALTH_ADDRESS
                    + " belong to mode=health-check; in mode=pool-member the load balancer's own health checks stay "
                    + "as they are: remove them, or set mode=health-check");
        }
        if (mode == Mode.HEALTH_CHECK && values.isExplicit(WEIGHT)) {
            throw StrategyException.notConfigured(WEIGHT + " belongs to mode=pool-member; in mode=health-check the "
                    + "weights stay as configured (every member needs one above 0)");
        }
        int weight = (int) values.integer(WEIGHT).orElse(LoadBalancerParameters.DEFAULT_WEIGHT);
        Map<String, String> nodeMembers = values.map(NODE_MEMBERS);
        Optional<String> thisNodeMember = Optional.empty();
        if (!nodeMembers.isEmpty()) {
            String mine = nodeMembers.get(nodeName);
            if (mine == null || mine.isBlank()) {
                // wrong for this node only: Pacemaker keeps the resource off this node, not off the cluster
                throw new StrategyException(
                        ErrorKind.INVALID_ARGUMENT,
                        NODE_MEMBERS + " has no entry for this node " + nodeName + " (it names "
                                + String.join(", ", nodeMembers.keySet()) + ")");
            }
            thisNodeMember = Optional.of(mine.trim());
        }
        long graceSeconds = values.integer(MONITOR_GRACE).orElse(MonitorGrace.DEFAULT_SECONDS);
        return new LoadBalancerSettings(
                mode,
                loadBalancer,
                pool,
                healthPort,
                healthAddress,
                weight,
                thisNodeMember,
                nodeMembers,
                Duration.ofSeconds(graceSeconds));
    }

    private static Optional<String> nonBlank(ParameterValues values, String name) {
        return values.string(name).map(String::trim).filter(value -> !value.isEmpty());
    }
}
