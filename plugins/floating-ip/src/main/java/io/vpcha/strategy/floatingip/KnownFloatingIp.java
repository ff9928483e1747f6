package io.vpcha.strategy.floatingip;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.cloud.FloatingIp;
import java.util.Map;
import java.util.Optional;

/**
 * A floating IP as resolved from the {@code floating_ip} parameter, kept in the state directory so
 * that later actions need no lookup by name or address.
 *
 * @param parameter the parameter value it was resolved from (an id, name or address)
 */
record KnownFloatingIp(String parameter, String id, String name, String address, String zone) {
    /** Its record in the state directory. */
    static final String RECORD = "floating-ip";

    KnownFloatingIp {
        requireNonNull(parameter, "parameter is null");
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(address, "address is null");
        requireNonNull(zone, "zone is null");
    }

    static KnownFloatingIp of(String parameter, FloatingIp floatingIp) {
        return new KnownFloatingIp(
                parameter, floatingIp.id(), floatingIp.name(), floatingIp.address(), floatingIp.zone());
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
        return Optional.of(new KnownFloatingIp(
                parameter,
                values.get("id"),
                values.getOrDefault("name", ""),
                values.get("address"),
                values.get("zone")));
    }

    Map<String, String> toRecord() {
        return Map.of("parameter", parameter, "id", id, "name", name, "address", address, "zone", zone);
    }

    String describe() {
        return Describe.floatingIp(name, address);
    }
}
