package io.vpcha.strategy.loadbalancer;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * This node's pool member, found once by start and kept in the state directory, so that a monitor is
 * one request and a stop needs no lookup.
 */
record KnownMember(String loadBalancerId, String poolId, String memberId) {
    /** Its record in the state directory. */
    static final String RECORD = "member";

    KnownMember {
        requireNonNull(loadBalancerId, "loadBalancerId is null");
        requireNonNull(poolId, "poolId is null");
        requireNonNull(memberId, "memberId is null");
        if (loadBalancerId.isBlank() || poolId.isBlank() || memberId.isBlank()) {
            throw new IllegalArgumentException("an id is blank");
        }
    }

    static Optional<KnownMember> from(Optional<Map<String, String>> kept) {
        return kept.flatMap(values -> {
            try {
                return Optional.of(new KnownMember(
                        values.getOrDefault("load_balancer_id", ""),
                        values.getOrDefault("pool_id", ""),
                        values.getOrDefault("member_id", "")));
            } catch (IllegalArgumentException damaged) {
                return Optional.empty();
            }
        });
    }

    /** Whether it is a member of the pool {@code known} names. */
    boolean isIn(KnownPool known) {
        return known.loadBalancerId().equals(loadBalancerId) && known.poolId().equals(poolId);
    }

    Map<String, String> toRecord() {
        return Map.of("load_balancer_id", loadBalancerId, "pool_id", poolId, "member_id", memberId);
    }
}
