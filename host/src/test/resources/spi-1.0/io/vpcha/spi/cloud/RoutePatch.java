package io.vpcha.spi.cloud;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalInt;

/** The fields of a route that may change; empty ones are left as they are. */
public record RoutePatch(
        Optional<String> name, Optional<String> nextHopAddress, OptionalInt priority, Optional<Boolean> advertise) {
    public RoutePatch {
        requireNonNull(name, "name is null");
        requireNonNull(nextHopAddress, "nextHopAddress is null");
        requireNonNull(priority, "priority is null");
        requireNonNull(advertise, "advertise is null");
    }

    public static RoutePatch nextHop(String address) {
        return new RoutePatch(Optional.empty(), Optional.of(address), OptionalInt.empty(), Optional.empty());
    }
}
