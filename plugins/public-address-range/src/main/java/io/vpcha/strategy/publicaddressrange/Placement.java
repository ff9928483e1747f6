package io.vpcha.strategy.publicaddressrange;

import static java.util.Objects.requireNonNull;

import io.vpcha.toolkit.route.RouteMover;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the last successful start on this node put the range and its route, kept in the state
 * directory: a monitor asks about exactly these (two requests), and a later start needs no lookup.
 *
 * @param key {@link ParSettings#placementKey()} of the settings it was found by
 */
record Placement(
        String key,
        String rangeId,
        String rangeName,
        String cidr,
        String vpcId,
        String zone,
        String nextHop,
        String tableId,
        String tableName,
        String routeId) {
    /** Its record in the state directory. */
    static final String RECORD = "placement";

    private static final List<String> REQUIRED =
            List.of("key", "range_id", "cidr", "vpc_id", "zone", "next_hop", "table_id", "route_id");

    Placement {
        requireNonNull(key, "key is null");
        requireNonNull(rangeId, "rangeId is null");
        requireNonNull(rangeName, "rangeName is null");
        requireNonNull(cidr, "cidr is null");
        requireNonNull(vpcId, "vpcId is null");
        requireNonNull(zone, "zone is null");
        requireNonNull(nextHop, "nextHop is null");
        requireNonNull(tableId, "tableId is null");
        requireNonNull(tableName, "tableName is null");
        requireNonNull(routeId, "routeId is null");
    }

    /** What was kept, if it was found by these very settings; a damaged record is none. */
    static Optional<Placement> from(Optional<Map<String, String>> kept, String key) {
        return kept.filter(values -> key.equals(values.get("key"))).flatMap(Placement::read);
    }

    private static Optional<Placement> read(Map<String, String> values) {
        for (String required : REQUIRED) {
            if (values.get(required) == null) {
                return Optional.empty();
            }
        }
        return Optional.of(new Placement(
                values.get("key"),
                values.get("range_id"),
                values.getOrDefault("range_name", ""),
                values.get("cidr"),
                values.get("vpc_id"),
                values.get("zone"),
                values.get("next_hop"),
                values.get("table_id"),
                values.getOrDefault("table_name", ""),
                values.get("route_id")));
    }

    /**
     * Where {@code range} is put, found by {@code settings}: delivered to {@code nextHop} in {@code zone}
     * by the route {@code routeId} (empty: none yet) of the ingress {@code table}.
     */
    static Placement of(
            ParSettings settings,
            AddressRange range,
            String vpcId,
            String zone,
            String nextHop,
            RouteMover.Table table,
            String routeId) {
        return new Placement(
                settings.placementKey(),
                range.id(),
                range.name(),
                range.cidr(),
                vpcId,
                zone,
                nextHop,
                table.id(),
                table.name(),
                routeId);
    }

    Placement withRoute(String otherRouteId) {
        return new Placement(key, rangeId, rangeName, cidr, vpcId, zone, nextHop, tableId, tableName, otherRouteId);
    }

    Map<String, String> toRecord() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("key", key);
        values.put("range_id", rangeId);
        values.put("range_name", rangeName);
        values.put("cidr", cidr);
        values.put("vpc_id", vpcId);
        values.put("zone", zone);
        values.put("next_hop", nextHop);
        values.put("table_id", tableId);
        values.put("table_name", tableName);
        values.put("route_id", routeId);
        return values;
    }

    String describeRange() {
        return AddressRange.describe(rangeName, cidr);
    }
}
