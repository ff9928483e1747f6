package io.vpcha.spi.cloud;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The fields of a route that may change; empty ones are left as they are. Build one with
 * {@link #nextHop(String)}, {@link #rename(String)} or {@link #builder()}.
 */
public record RoutePatch(
        Optional<String> name, Optional<String> nextHopAddress, OptionalInt priority, Optional<Boolean> advertise) {
    /**
     * The canonical constructor.
     *
     * @deprecated the components of this record may grow in a later SPI, and a plugin calling this
     *     constructor would then fail to link; use {@link #builder()} or the factories
     */
    @Deprecated
    public RoutePatch {
        requireNonNull(name, "name is null");
        requireNonNull(nextHopAddress, "nextHopAddress is null");
        requireNonNull(priority, "priority is null");
        requireNonNull(advertise, "advertise is null");
    }

    public static RoutePatch nextHop(String address) {
        return builder().nextHopAddress(address).build();
    }

    /**
     * A patch that gives the route a new name.
     *
     * @since 1.1
     */
    public static RoutePatch rename(String name) {
        return builder().name(name).build();
    }

    /**
     * A patch that changes nothing until told what.
     *
     * @since 1.1
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a {@link RoutePatch}.
     *
     * @since 1.1
     */
    public static final class Builder {
        private String name;
        private String nextHopAddress;
        private OptionalInt priority = OptionalInt.empty();
        private Boolean advertise;

        private Builder() {}

        public Builder name(String name) {
            this.name = requireNonNull(name, "name is null");
            return this;
        }

        public Builder nextHopAddress(String address) {
            this.nextHopAddress = requireNonNull(address, "address is null");
            return this;
        }

        public Builder priority(int priority) {
            this.priority = OptionalInt.of(priority);
            return this;
        }

        public Builder advertise(boolean advertise) {
            this.advertise = advertise;
            return this;
        }

        public RoutePatch build() {
            return new RoutePatch(
                    Optional.ofNullable(name),
                    Optional.ofNullable(nextHopAddress),
                    priority,
                    Optional.ofNullable(advertise));
        }
    }
}
