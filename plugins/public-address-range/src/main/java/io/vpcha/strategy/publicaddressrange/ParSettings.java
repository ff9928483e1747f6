package io.vpcha.strategy.publicaddressrange;

import static io.vpcha.strategy.publicaddressrange.ParParameters.MONITOR_GRACE;
import static io.vpcha.strategy.publicaddressrange.ParParameters.MOVE_TIMEOUT;
import static io.vpcha.strategy.publicaddressrange.ParParameters.NEXT_HOP;
import static io.vpcha.strategy.publicaddressrange.ParParameters.NODE_IPS;
import static io.vpcha.strategy.publicaddressrange.ParParameters.NODE_ZONES;
import static io.vpcha.strategy.publicaddressrange.ParParameters.PUBLIC_ADDRESS_RANGE;
import static io.vpcha.strategy.publicaddressrange.ParParameters.ROUTING_TABLE;
import static io.vpcha.strategy.publicaddressrange.ParParameters.VPC_ID;
import static java.util.Objects.requireNonNull;

import io.vpcha.spi.Ipv4;
import io.vpcha.spi.ParameterValues;
import io.vpcha.spi.StrategyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The resource's parameters, their combinations checked: what validate-all checks at level 0, without
 * any network call.
 *
 * @param range the range's id, name or CIDR, as configured
 * @param routingTable the ingress table's id or name, when configured
 * @param nodeIps next hop per Pacemaker node name
 * @param nodeZones zone per Pacemaker node name
 * @param moveTimeout how long start waits for the range to be stable after binding it
 */
record ParSettings(
        String range,
        Optional<String> routingTable,
        Optional<String> vpcId,
        Optional<String> nextHop,
        Map<String, String> nodeIps,
        Map<String, String> nodeZones,
        Duration monitorGrace,
        Duration moveTimeout) {

    ParSettings {
        requireNonNull(range, "range is null");
        requireNonNull(routingTable, "routingTable is null");
        requireNonNull(vpcId, "vpcId is null");
        requireNonNull(nextHop, "nextHop is null");
        nodeIps = Map.copyOf(nodeIps);
        nodeZones = Map.copyOf(nodeZones);
        requireNonNull(monitorGrace, "monitorGrace is null");
        requireNonNull(moveTimeout, "moveTimeout is null");
        if (range.isBlank()) {
            throw new IllegalArgumentException("range is blank");
        }
        if (monitorGrace.isNegative() || moveTimeout.isNegative() || moveTimeout.isZero()) {
            throw new IllegalArgumentException("monitorGrace or moveTimeout out of range");
        }
    }

    /** @throws StrategyException NOT_CONFIGURED naming every parameter that is wrong, or wrong together */
    static ParSettings from(ParameterValues values) throws StrategyException {
        List<String> problems = new ArrayList<>();
        String range = values.string(PUBLIC_ADDRESS_RANGE).orElse("").trim();
        if (range.isEmpty()) {
            problems.add(PUBLIC_ADDRESS_RANGE + " is empty: set the range's id, name or CIDR");
        } else if (range.contains("/")) {
            Ipv4.cidrProblem(range).ifPresent(problem -> problems.add(PUBLIC_ADDRESS_RANGE + ": " + problem));
            if (Ipv4.cidrProblem(range).isEmpty() && prefixLength(range) < 28) {
                problems.add(PUBLIC_ADDRESS_RANGE + ": " + range + " is larger than a public address range can be "
                        + "(/28 to /32, 16 addresses at most)");
            }
        }
        Map<String, String> nodeIps = values.map(NODE_IPS);
        nodeIps.forEach((node, ip) -> {
            if (!Ipv4.isAddress(ip)) {
                problems.add(NODE_IPS + ": '" + ip + "' of node " + node + " is not an IPv4 address");
            }
        });
        Map<String, String> nodeZones = values.map(NODE_ZONES);
        nodeZones.forEach((node, zone) -> {
            if (!zone.matches("[a-z]{2}-[a-z]+-[0-9]+")) {
                problems.add(NODE_ZONES + ": '" + zone + "' of node " + node + " is not a zone name (e.g. us-south-1)");
            }
        });
        if (!nodeZones.isEmpty()) {
            TreeSet<String> withoutZone = new TreeSet<>(nodeIps.keySet());
            withoutZone.removeAll(nodeZones.keySet());
            if (!withoutZone.isEmpty()) {
                problems.add(NODE_ZONES + " has no zone for node " + String.join(", ", withoutZone) + " of " + NODE_IPS
                        + "; every node's zone must be known");
            }
        }
        if (!problems.isEmpty()) {
            throw StrategyException.notConfigured(String.join("; ", problems));
        }
        // their ranges are declared and checked by the host before any action
        long grace = values.integer(MONITOR_GRACE).orElseThrow();
        long moveTimeout = values.integer(MOVE_TIMEOUT).orElseThrow();
        return new ParSettings(
                range,
                nonBlank(values, ROUTING_TABLE),
                nonBlank(values, VPC_ID),
                nonBlank(values, NEXT_HOP),
                nodeIps,
                nodeZones,
                Duration.ofSeconds(grace),
                Duration.ofSeconds(moveTimeout));
    }

    /** What a record of an earlier start is valid for: the range and table were found by these settings. */
    String placementKey() {
        return range + "|" + routingTable.orElse("") + "|" + vpcId.orElse("");
    }

    private static int prefixLength(String cidr) {
        return Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
    }

    private static Optional<String> nonBlank(ParameterValues values, String name) {
        return values.string(name).map(String::trim).filter(value -> !value.isEmpty());
    }
}
