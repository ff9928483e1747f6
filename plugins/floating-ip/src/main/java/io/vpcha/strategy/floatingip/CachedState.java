package io.vpcha.strategy.floatingip;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.cloud.FloatingIp;
import java.time.Instant;
import java.util.Optional;

/**
 * What this node remembers about the resource between actions, so that a steady-state monitor needs
 * exactly one API request: the floating IP's id (resolved from a name or address once), this node's
 * target, and when the floating IP was last seen bound here.
 */
record CachedState(Optional<KnownFloatingIp> floatingIp, Optional<KnownTarget> target, Optional<Instant> lastVerified) {
    CachedState {
        requireNonNull(floatingIp, "floatingIp is null");
        requireNonNull(target, "target is null");
        requireNonNull(lastVerified, "lastVerified is null");
    }

    static CachedState empty() {
        return new CachedState(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The floating IP, if it was resolved from this very parameter value. */
    Optional<KnownFloatingIp> floatingIpFor(String parameter) {
        return floatingIp.filter(known -> known.parameter().equals(parameter));
    }

    /** This node's target, if it was chosen the way the resource now says. */
    Optional<NodeTarget> targetFor(TargetSelection selection) {
        return target.filter(known -> known.selectionKey().equals(selection.cacheKey()))
                .map(KnownTarget::target);
    }

    CachedState verifiedAt(Instant when) {
        return new CachedState(floatingIp, target, Optional.of(when));
    }

    /**
     * A floating IP as resolved from the {@code floating_ip} parameter.
     *
     * @param parameter the parameter value it was resolved from (an id, name or address)
     */
    record KnownFloatingIp(String parameter, String id, String name, String address, String zone) {
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

        String describe() {
            return Describe.floatingIp(name, address);
        }
    }

    /** This node's target and how it was chosen. */
    record KnownTarget(String selectionKey, NodeTarget target) {
        KnownTarget {
            requireNonNull(selectionKey, "selectionKey is null");
            requireNonNull(target, "target is null");
        }
    }
}
