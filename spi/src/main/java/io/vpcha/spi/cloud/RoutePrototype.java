package io.vpcha.spi.cloud;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A route to create: a deliver route to {@code nextHopAddress} for {@code destination} in {@code zone}.
 * Build one with {@link #builder(String, String, String)} or {@link #movedTo(Route, String, String)}.
 */
public record RoutePrototype(
        Optional<String> name,
        String destination,
        String zone,
        String action,
        String nextHopAddress,
        int priority,
        boolean advertise) {
    /** The API's default priority of a new route. */
    private static final int DEFAULT_PRIORITY = 2;

    /**
     * The canonical constructor.
     *
     * @deprecated the components of this record may grow in a later SPI, and a plugin calling this
     *     constructor would then fail to link; use {@link #builder(String, String, String)}
     */
    @Deprecated
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
        return builder(route.destination(), zone, nextHopAddress)
                .name(route.name())
                .action(route.action())
                .priority(route.priority())
                .advertise(route.advertise())
                .build();
    }

    /**
     * A deliver route, unnamed (the API names it), priority 2, not advertised, unless the builder
     * says otherwise.
     *
     * @since 1.1
     */
    public static Builder builder(String destination, String zone, String nextHopAddress) {
        return new Builder(destination, zone, nextHopAddress);
    }

    /**
     * Builds a {@link RoutePrototype}.
     *
     * @since 1.1
     */
    public static final class Builder {
        private final String destination;
        private final String zone;
        private final String nextHopAddress;
        private String name;
        private String action = "deliver";
        private int priority = DEFAULT_PRIORITY;
        private boolean advertise;

        private Builder(String destination, String zone, String nextHopAddress) {
            this.destination = requireNonNull(destination, "destination is null");
            this.zone = requireNonNull(zone, "zone is null");
            this.nextHopAddress = requireNonNull(nextHopAddress, "nextHopAddress is null");
        }

        public Builder name(String name) {
            this.name = requireNonNull(name, "name is null");
            return this;
        }

        /** {@code deliver} (the default), {@code delegate}, {@code delegate_vpc} or {@code drop}. */
        public Builder action(String action) {
            this.action = requireNonNull(action, "action is null");
            return this;
        }

        /** 0 (highest) to 4; 2 by default, as in the API. */
        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        public Builder advertise(boolean advertise) {
            this.advertise = advertise;
            return this;
        }

        public RoutePrototype build() {
            return new RoutePrototype(
                    Optional.ofNullable(name), destination, zone, action, nextHopAddress, priority, advertise);
        }
    }
}
