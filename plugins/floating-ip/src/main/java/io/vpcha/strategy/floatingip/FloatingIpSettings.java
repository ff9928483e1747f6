package io.vpcha.strategy.floatingip;

import static io.vpcha.strategy.floatingip.FloatingIpParameters.FLOATING_IP;
import static io.vpcha.strategy.floatingip.FloatingIpParameters.MONITOR_GRACE;
import static io.vpcha.strategy.floatingip.FloatingIpParameters.NODE_TARGETS;
import static io.vpcha.strategy.floatingip.FloatingIpParameters.STOP_POLICY;
import static io.vpcha.strategy.floatingip.FloatingIpParameters.TARGET;
import static io.vpcha.strategy.floatingip.FloatingIpParameters.VNI_ID_1;
import static io.vpcha.strategy.floatingip.FloatingIpParameters.VNI_ID_2;
import static java.util.Objects.requireNonNull;

import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.ParameterValues;
import io.vpcha.spi.StrategyException;
import io.vpcha.toolkit.stop.StopPolicy;
import io.vpcha.toolkit.time.MonitorGrace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resource's parameters for this node, their combinations checked: what validate-all checks at
 * level 0, without any network call.
 *
 * @param floatingIp the floating IP's id, name or address, as configured
 * @param monitorGrace how long after the last successful verification an API failure still counts as running
 */
record FloatingIpSettings(
        String floatingIp, TargetSelection targetSelection, StopPolicy stopPolicy, Duration monitorGrace) {
    FloatingIpSettings {
        requireNonNull(floatingIp, "floatingIp is null");
        requireNonNull(targetSelection, "targetSelection is null");
        requireNonNull(stopPolicy, "stopPolicy is null");
        requireNonNull(monitorGrace, "monitorGrace is null");
        if (floatingIp.isBlank()) {
            throw new IllegalArgumentException("floatingIp is blank");
        }
        if (monitorGrace.isNegative()) {
            throw new IllegalArgumentException("monitorGrace is negative");
        }
    }

    /**
     * @param nodeName this node's Pacemaker name, which selects its entry of node_targets
     * @throws StrategyException naming the parameters that do not work together
     */
    static FloatingIpSettings from(ParameterValues values, String nodeName) throws StrategyException {
        String floatingIp = values.string(FLOATING_IP).orElse("").trim();
        if (floatingIp.isEmpty()) {
            throw StrategyException.notConfigured(FLOATING_IP + " is empty: set the floating IP's id, name or address");
        }
        // its range is declared and checked by the host before any action
        long graceSeconds = values.integer(MONITOR_GRACE).orElse(MonitorGrace.DEFAULT_SECONDS);
        StopPolicy stopPolicy = StopPolicy.fromParameterValue(values.require(STOP_POLICY));
        return new FloatingIpSettings(
                floatingIp, targetSelection(values, nodeName), stopPolicy, Duration.ofSeconds(graceSeconds));
    }

    private static TargetSelection targetSelection(ParameterValues values, String nodeName) throws StrategyException {
        Optional<String> target = nonBlank(values, TARGET);
        Map<String, String> nodeTargets = values.map(NODE_TARGETS);
        List<String> legacy = new ArrayList<>();
        nonBlank(values, VNI_ID_1).ifPresent(legacy::add);
        nonBlank(values, VNI_ID_2).ifPresent(legacy::add);

        if (target.isPresent() && !nodeTargets.isEmpty()) {
            throw StrategyException.notConfigured("set " + TARGET + " or " + NODE_TARGETS + ", not both");
        }
        if (!legacy.isEmpty() && (target.isPresent() || !nodeTargets.isEmpty())) {
            throw StrategyException.notConfigured(
                    "the deprecated " + VNI_ID_1 + "/" + VNI_ID_2 + " cannot be combined " + "with " + TARGET + " or "
                            + NODE_TARGETS + "; keep only " + (target.isPresent() ? TARGET : NODE_TARGETS));
        }
        if (legacy.size() == 2 && legacy.get(0).equals(legacy.get(1))) {
            throw StrategyException.notConfigured(
                    VNI_ID_1 + " and " + VNI_ID_2 + " are both " + legacy.get(0) + "; they are the two nodes' targets");
        }
        if (target.isPresent()) {
            return new TargetSelection.Explicit(target.get(), TARGET);
        }
        if (!nodeTargets.isEmpty()) {
            String mine = nodeTargets.get(nodeName);
            if (mine == null) {
                // wrong for this node only: Pacemaker keeps the resource off this node, not off the cluster
                throw new StrategyException(
                        ErrorKind.INVALID_ARGUMENT,
                        NODE_TARGETS + " has no entry for this node " + nodeName + " (it names "
                                + String.join(", ", nodeTargets.keySet()) + ")");
            }
            return new TargetSelection.Explicit(mine, NODE_TARGETS);
        }
        if (!legacy.isEmpty()) {
            return new TargetSelection.Candidates(legacy);
        }
        return new TargetSelection.PrimaryInterface();
    }

    private static Optional<String> nonBlank(ParameterValues values, String name) {
        return values.string(name).map(String::trim).filter(value -> !value.isEmpty());
    }
}
