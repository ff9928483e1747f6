package io.vpcha.strategy.floatingip;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.cloud.FloatingIp;
import io.vpcha.spi.cloud.FloatingIp.FloatingIpTarget;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A floating IP as resolved from the {@code floating_ip} parameter, kept in the state directory so
 * that later actions need no lookup by name or address, with its status and binding as last seen.
 *
 * @param parameter the parameter value it was resolved from (an id, name or address)
 * @param seen its status and binding when it was last read (none in a record written before they were kept)
 */
record KnownFloatingIp(String parameter, String id, String name, String address, String zone, Optional<Seen> seen) {
    /** Its record in the state directory. */
    static final String RECORD = "floating-ip";

    KnownFloatingIp {
        requireNonNull(parameter, "parameter is null");
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(address, "address is null");
        requireNonNull(zone, "zone is null");
        requireNonNull(seen, "seen is null");
    }

    /** A floating IP's status and the interface it was bound to (none: unbound), as last read. */
    record Seen(String status, Optional<FloatingIpTarget> target) {
        Seen {
            requireNonNull(status, "status is null");
            requireNonNull(target, "target is null");
        }
    }

    static KnownFloatingIp of(String parameter, FloatingIp floatingIp) {
        return new KnownFloatingIp(
                parameter,
                floatingIp.id(),
                floatingIp.name(),
                floatingIp.address(),
                floatingIp.zone(),
                Optional.of(new Seen(floatingIp.status(), floatingIp.target())));
    }

    /** What was kept, if it was resolved from this very parameter value. */
    static Optional<KnownFloatingIp> from(Optional<Map<String, String>> kept, String parameter) {
        return kept.filter(values -> parameter.equals(values.get("parameter")))
                .flatMap(KnownFloatingIp::fromAnyParameter);
    }

    /** What was kept, whatever parameter value it was resolved from. */
    static Optional<KnownFloatingIp> fromAnyParameter(Map<String, String> values) {
        String parameter = values.get("parameter");
        if (parameter == null
                || values.get("id") == null
                || values.get("address") == null
                || values.get("zone") == null) {
            return Optional.empty();
        }
        Optional<Seen> seen = Optional.ofNullable(values.get("status"))
                .filter(status -> !status.isEmpty() && values.containsKey("bound_to"))
                .map(status -> new Seen(status, target(values)));
        return Optional.of(new KnownFloatingIp(
                parameter,
                values.get("id"),
                values.getOrDefault("name", ""),
                values.get("address"),
                values.get("zone"),
                seen));
    }

    private static Optional<FloatingIpTarget> target(Map<String, String> values) {
        String id = values.get("bound_to");
        return id.isEmpty()
                ? Optional.empty()
                : Optional.of(new FloatingIpTarget(
                        id,
                        values.getOrDefault("bound_to_name", ""),
                        values.getOrDefault("bound_to_type", ""),
                        Optional.empty()));
    }

    Map<String, String> toRecord() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("parameter", parameter);
        values.put("id", id);
        values.put("name", name);
        values.put("address", address);
        values.put("zone", zone);
        seen.ifPresent(last -> {
            values.put("status", last.status());
            values.put("bound_to", last.target().map(FloatingIpTarget::id).orElse(""));
            last.target().ifPresent(target -> {
                values.put("bound_to_name", target.name());
                values.put("bound_to_type", target.resourceType());
            });
        });
        return values;
    }

    /** The floating IP as last read, when that was kept (its target's primary address is not). */
    Optional<FloatingIp> lastSeen() {
        return seen.map(last -> new FloatingIp(id, name, address, last.status(), zone, last.target()));
    }

    String describe() {
        return Describe.floatingIp(name, address);
    }
}
