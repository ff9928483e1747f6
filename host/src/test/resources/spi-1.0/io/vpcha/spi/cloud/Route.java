package io.vpcha.spi.cloud;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A route of a routing table. {@code zone}, {@code destination} and {@code action} cannot change;
 * only routes of origin {@code user} can be updated or deleted.
 *
 * @param nextHopAddress the next hop's IP address, empty for a VPN-connection next hop or none
 */
public record Route(
        String id,
        String name,
        String destination,
        String zone,
        String action,
        Optional<String> nextHopAddress,
        int priority,
        String origin,
        boolean advertise,
        String lifecycleState) {
    public Route {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(destination, "destination is null");
        requireNonNull(zone, "zone is null");
        requireNonNull(action, "action is null");
        requireNonNull(nextHopAddress, "nextHopAddress is null");
        requireNonNull(origin, "origin is null");
        requireNonNull(lifecycleState, "lifecycleState is null");
    }

    public boolean isUserRoute() {
        return origin.equals("user");
    }
}
