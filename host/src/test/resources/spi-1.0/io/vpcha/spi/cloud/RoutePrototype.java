package io.vpcha.spi.cloud;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** A route to create: a deliver route to {@code nextHopAddress} for {@code destination} in {@code zone}. */
public record RoutePrototype(
        Optional<String> name,
        String destination,
        String zone,
        String action,
        String nextHopAddress,
        int priority,
        boolean advertise) {
    public RoutePrototype {
        requireNonNull(name, "name is null");
        requireNonNull(destination, "destination is null");
        requireNonNull(zone, "zone is null");
        requireNonNull(action, "action is null");
        requireNonNull(nextHopAddress, "nextHopAddress is null");
        if (priority < 0 || priority > 4) {
            throw new IllegalArgumentException("priority " + priority + " is not 0 to 4");
        }
    }

    /** The route {@code route} would be if it lived in {@code zone} with next hop {@code nextHopAddress}. */
    public static RoutePrototype movedTo(Route route, String zone, String nextHopAddress) {
        return new RoutePrototype(
                Optional.of(route.name()),
                route.destination(),
                zone,
                route.action(),
                nextHopAddress,
                route.priority(),
                route.advertise());
    }
}
