package io.vpcha.strategy.secondaryip;

import static io.vpcha.strategy.secondaryip.SecondaryIpParameters.INTERFACE;
import static io.vpcha.strategy.secondaryip.SecondaryIpParameters.IP;
import static io.vpcha.strategy.secondaryip.SecondaryIpParameters.MANAGE_LOCAL_IP;
import static io.vpcha.strategy.secondaryip.SecondaryIpParameters.MONITOR_GRACE;
import static io.vpcha.strategy.secondaryip.SecondaryIpParameters.NODE_TARGETS;
import static io.vpcha.strategy.secondaryip.SecondaryIpParameters.STOP_POLICY;
import static io.vpcha.strategy.secondaryip.SecondaryIpParameters.TARGET;
import static java.util.Objects.requireNonNull;

import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.Ipv4;
import io.vpcha.spi.ParameterValues;
import io.vpcha.spi.StrategyException;
import io.vpcha.toolkit.net.LocalAddress;
import io.vpcha.toolkit.stop.StopPolicy;
import io.vpcha.toolkit.time.MonitorGrace;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resource's parameters for this node, their combinations checked: what validate-all checks at
 * level 0, without any network call.
 *
 * @param ip the address, or a reserved IP's id or name, as configured
 * @param clusterVnis the VNIs of node_targets (every node's), from which start may take the VIP; empty
 *     when node_targets is not set
 * @param interfaceName the guest interface for the VIP, when set; else found by the VNI's MAC address
 */
record SecondaryIpSettings(
        String ip,
        VniSelection vniSelection,
        List<String> clusterVnis,
        boolean manageLocalIp,
        Optional<String> interfaceName,
        StopPolicy stopPolicy,
        Duration monitorGrace) {
    SecondaryIpSettings {
        requireNonNull(ip, "ip is null");
        requireNonNull(vniSelection, "vniSelection is null");
        clusterVnis = List.copyOf(requireNonNull(clusterVnis, "clusterVnis is null"));
        requireNonNull(interfaceName, "interfaceName is null");
        requireNonNull(stopPolicy, "stopPolicy is null");
        requireNonNull(monitorGrace, "monitorGrace is null");
        if (ip.isBlank()) {
            throw new IllegalArgumentException("ip is blank");
        }
        if (monitorGrace.isNegative()) {
            throw new IllegalArgumentException("monitorGrace is negative");
        }
    }

    /** Whether ip is an address (else it names a reserved IP by id or name). */
    boolean ipIsAddress() {
        return Ipv4.isAddress(ip);
    }

    /** What the guest interface setting is, for the state directory's cache. */
    String interfaceKey() {
        return manageLocalIp ? interfaceName.map(name -> "name:" + name).orElse("mac") : "none";
    }

    /**
     * @param nodeName this node's Pacemaker name, which selects its entry of node_targets
     * @throws StrategyException naming the parameters that do not work together
     */
    static SecondaryIpSettings from(ParameterValues values, String nodeName) throws StrategyException {
        String ip = values.string(IP).orElse("").trim();
        if (ip.isEmpty()) {
            throw StrategyException.notConfigured(
                    IP + " is empty: set the VIP's address, or the id or name of its reserved IP");
        }
        if (looksLikeAnAddress(ip) && !Ipv4.isAddress(ip)) {
            throw StrategyException.notConfigured(IP + " '" + ip + "' is not an IPv4 address");
        }
        Optional<String> interfaceName = nonBlank(values, INTERFACE);
        if (interfaceName.isPresent() && !LocalAddress.isInterfaceName(interfaceName.get())) {
            throw StrategyException.notConfigured(
                    INTERFACE + " '" + interfaceName.get() + "' is not an interface name");
        }
        // its range is declared and checked by the host before any action
        long graceSeconds = values.integer(MONITOR_GRACE).orElse(MonitorGrace.DEFAULT_SECONDS);
        StopPolicy stopPolicy = StopPolicy.fromParameterValue(values.require(STOP_POLICY));
        boolean manageLocalIp = values.flag(MANAGE_LOCAL_IP);

        Optional<String> target = nonBlank(values, TARGET);
        Map<String, String> nodeTargets = values.map(NODE_TARGETS);
        if (target.isPresent() && !nodeTargets.isEmpty()) {
            throw StrategyException.notConfigured("set " + TARGET + " or " + NODE_TARGETS + ", not both");
        }
        List<String> clusterVnis =
                nodeTargets.values().stream().map(String::trim).distinct().toList();
        if (clusterVnis.size() < nodeTargets.size()) {
            throw StrategyException.notConfigured(
                    NODE_TARGETS + " names one VNI for two nodes; each node has a VNI of its own");
        }
        VniSelection selection;
        if (target.isPresent()) {
            selection = new VniSelection.Explicit(target.get(), TARGET);
        } else if (!nodeTargets.isEmpty()) {
            String mine = nodeTargets.get(nodeName);
            if (mine == null || mine.isBlank()) {
                // wrong for this node only: Pacemaker keeps the resource off this node, not off the cluster
                throw new StrategyException(
                        ErrorKind.INVALID_ARGUMENT,
                        NODE_TARGETS + " has no entry for this node " + nodeName + " (it names "
                                + String.join(", ", nodeTargets.keySet()) + ")");
            }
            selection = new VniSelection.Explicit(mine.trim(), NODE_TARGETS);
        } else {
            selection = new VniSelection.FromMetadata();
        }
        return new SecondaryIpSettings(
                ip, selection, clusterVnis, manageLocalIp, interfaceName, stopPolicy, Duration.ofSeconds(graceSeconds));
    }

    /** Digits and dots only: meant as an address, so one that does not parse is a typo, not a name. */
    private static boolean looksLikeAnAddress(String value) {
        return value.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private static Optional<String> nonBlank(ParameterValues values, String name) {
        return values.string(name).map(String::trim).filter(value -> !value.isEmpty());
    }
}
