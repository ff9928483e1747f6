package io.vpcha.strategy.customroute;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.cloud.Route;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a node remembers about its resource between actions (a record of the state directory): where
 * the VIP's routes are, so a steady-state monitor asks for them directly with one request per table,
 * and this node's next hop, zone and VPC, so a monitor needs no metadata call. Only valid for the
 * configuration it was made for: {@code key} says which.
 */
record RouteCache(String key, String vpcId, String nextHop, Optional<String> zone, Map<String, CachedTable> tables) {
    /** Its record in the state directory. */
    static final String RECORD = "routes";

    /**
     * A routing table holding VIP routes: whether it is an ingress table, the routes, their zones (in the
     * order of the routes; none in a cache written before zones were remembered), and its size.
     */
    record CachedTable(boolean ingress, List<String> routeIds, List<String> routeZones, int routeCount) {
        CachedTable {
            routeIds = List.copyOf(routeIds);
            routeZones = List.copyOf(routeZones);
        }

        /** Whether its routes can be pointed at this node in place, each by its id: see {@link #writableInPlace}. */
        private boolean writableInPlace(Optional<String> zone) {
            if (routeIds.isEmpty()) {
                return false;
            }
            // an ingress route delivers only in its own zone: one route, remembered in this node's zone
            return !ingress || (routeIds.size() == 1 && zone.isPresent() && routeZones.equals(List.of(zone.get())));
        }
    }

    RouteCache {
        requireNonNull(key, "key is null");
        requireNonNull(vpcId, "vpcId is null");
        requireNonNull(nextHop, "nextHop is null");
        requireNonNull(zone, "zone is null");
        tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }

    /** The cache kept, if it was made for the configuration {@code key} names; a damaged one is none. */
    static Optional<RouteCache> from(Optional<Map<String, String>> kept, String key) {
        return kept.filter(values -> key.equals(values.get("key"))).flatMap(values -> {
            try {
                Map<String, CachedTable> tables = new LinkedHashMap<>();
                for (String table : split(values.getOrDefault("tables", ""))) {
                    tables.put(
                            table,
                            new CachedTable(
                                    Boolean.parseBoolean(values.get("table." + table + ".ingress")),
                                    split(values.getOrDefault("table." + table + ".routes", "")),
                                    split(values.getOrDefault("table." + table + ".zones", "")),
                                    Integer.parseInt(values.getOrDefault("table." + table + ".route_count", "0"))));
                }
                String zone = values.getOrDefault("zone", "");
                return Optional.of(new RouteCache(
                        key,
                        values.get("vpc_id"),
                        values.get("next_hop"),
                        zone.isEmpty() ? Optional.empty() : Optional.of(zone),
                        tables));
            } catch (RuntimeException damaged) {
                // only a cache: discover again
                return Optional.empty();
            }
        });
    }

    /**
     * How many requests the widest round of a start that moves every remembered route sends at once:
     * the reads (one list per table) or the writes (one PATCH per egress route, one move per ingress
     * table), whichever is more.
     */
    int widestRound() {
        int writes = tables.values().stream()
                .mapToInt(table -> table.ingress() ? 1 : table.routeIds().size())
                .sum();
        return Math.max(tables.size(), writes);
    }

    /**
     * Whether every remembered route can be pointed at this node where it is, by its remembered id, with
     * no read first: every egress route, and an ingress table's route when it is the table's only VIP
     * route and sits in {@code zone}, this node's (else it must move zones: create, delete, rename, in
     * that order, after a read of the table).
     */
    boolean writableInPlace(Optional<String> zone) {
        return !tables.isEmpty() && tables.values().stream().allMatch(table -> table.writableInPlace(zone));
    }

    /** The same cache with {@code tables} as last seen. */
    RouteCache withTables(Map<String, CachedTable> seen) {
        return new RouteCache(key, vpcId, nextHop, zone, seen);
    }

    /** What to remember of {@code tables}: per table, whether ingress, its VIP routes' ids and its size. */
    static Map<String, CachedTable> tablesOf(Map<String, TableRoutes> tables) {
        Map<String, CachedTable> cached = new LinkedHashMap<>();
        tables.forEach((id, table) -> cached.put(
                id,
                new CachedTable(
                        table.ingress(),
                        table.vipRoutes().stream().map(Route::id).toList(),
                        table.vipRoutes().stream().map(Route::zone).toList(),
                        table.routeCount())));
        return cached;
    }

    Map<String, String> toRecord() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("key", key);
        values.put("vpc_id", vpcId);
        values.put("next_hop", nextHop);
        values.put("zone", zone.orElse(""));
        values.put("tables", String.join(",", tables.keySet()));
        tables.forEach((id, table) -> {
            values.put("table." + id + ".ingress", Boolean.toString(table.ingress()));
            values.put("table." + id + ".routes", String.join(",", table.routeIds()));
            values.put("table." + id + ".zones", String.join(",", table.routeZones()));
            values.put("table." + id + ".route_count", Integer.toString(table.routeCount()));
        });
        return values;
    }

    private static List<String> split(String text) {
        List<String> items = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }
}
