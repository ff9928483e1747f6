package io.vpcha.strategy.customroute;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * What a node remembers about its resource between actions, in the resource's state directory: where
 * the VIP's routes are (so a steady-state monitor asks for them directly, with one request per table),
 * this node's next hop, zone and VPC (so a monitor needs no metadata call), and when the routes were
 * last seen delivering here (for the monitor's grace). Only valid for the configuration it was made
 * for: {@code key} says which.
 */
record RouteCache(
        String key,
        String vpcId,
        String nextHop,
        Optional<String> zone,
        Map<String, CachedTable> tables,
        Instant verifiedAt) {
    private static final String FILE = "routes.properties";

    /** A routing table holding VIP routes: whether it is an ingress table, the routes, and its size. */
    record CachedTable(boolean ingress, List<String> routeIds, int routeCount) {
        CachedTable {
            routeIds = List.copyOf(routeIds);
        }
    }

    RouteCache {
        requireNonNull(key, "key is null");
        requireNonNull(vpcId, "vpcId is null");
        requireNonNull(nextHop, "nextHop is null");
        requireNonNull(zone, "zone is null");
        tables = Map.copyOf(new LinkedHashMap<>(tables));
        requireNonNull(verifiedAt, "verifiedAt is null");
    }

    RouteCache verifiedNow() {
        return new RouteCache(key, vpcId, nextHop, zone, tables, Instant.now());
    }

    static Optional<RouteCache> load(Path directory, String key) {
        Path file = directory.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
            if (!key.equals(properties.getProperty("key"))) {
                return Optional.empty();
            }
            Map<String, CachedTable> tables = new LinkedHashMap<>();
            for (String table : split(properties.getProperty("tables", ""))) {
                tables.put(
                        table,
                        new CachedTable(
                                Boolean.parseBoolean(properties.getProperty("table." + table + ".ingress")),
                                split(properties.getProperty("table." + table + ".routes", "")),
                                Integer.parseInt(properties.getProperty("table." + table + ".route_count", "0"))));
            }
            String zone = properties.getProperty("zone", "");
            return Optional.of(new RouteCache(
                    key,
                    properties.getProperty("vpc_id"),
                    properties.getProperty("next_hop"),
                    zone.isEmpty() ? Optional.empty() : Optional.of(zone),
                    tables,
                    Instant.ofEpochSecond(Long.parseLong(properties.getProperty("verified_at", "0")))));
        } catch (IOException | RuntimeException e) {
            // a damaged cache is only a cache: discover again
            return Optional.empty();
        }
    }

    void save(Path directory) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("key", key);
        properties.setProperty("vpc_id", vpcId);
        properties.setProperty("next_hop", nextHop);
        properties.setProperty("zone", zone.orElse(""));
        properties.setProperty("tables", String.join(",", tables.keySet()));
        tables.forEach((id, table) -> {
            properties.setProperty("table." + id + ".ingress", Boolean.toString(table.ingress()));
            properties.setProperty("table." + id + ".routes", String.join(",", table.routeIds()));
            properties.setProperty("table." + id + ".route_count", Integer.toString(table.routeCount()));
        });
        properties.setProperty("verified_at", Long.toString(verifiedAt.getEpochSecond()));
        Path temporary = directory.resolve(FILE + ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            properties.store(out, "vpc-ha custom-route: where this resource's routes are");
        }
        try {
            Files.move(
                    temporary,
                    directory.resolve(FILE),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, directory.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
        }
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
