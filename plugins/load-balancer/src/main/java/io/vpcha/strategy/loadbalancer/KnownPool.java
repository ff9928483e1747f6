package io.vpcha.strategy.loadbalancer;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * The load balancer and pool the parameters name, resolved to ids, kept in the state directory so that
 * a monitor needs no lookup; valid only while the parameters are the same.
 */
record KnownPool(String loadBalancerParameter, String poolParameter, String loadBalancerId, String poolId) {
    /** Its record in the state directory. */
    static final String RECORD = "pool";

    KnownPool {
        requireNonNull(loadBalancerParameter, "loadBalancerParameter is null");
        requireNonNull(poolParameter, "poolParameter is null");
        requireNonNull(loadBalancerId, "loadBalancerId is null");
        requireNonNull(poolId, "poolId is null");
        if (loadBalancerId.isBlank() || poolId.isBlank()) {
            throw new IllegalArgumentException("an id is blank");
        }
    }

    /** What was kept, if it was resolved from these very parameter values. */
    static Optional<KnownPool> from(Optional<Map<String, String>> kept, LoadBalancerSettings settings) {
        return kept.flatMap(KnownPool::fromAnyParameters)
                .filter(known -> known.loadBalancerParameter.equals(settings.loadBalancer())
                        && known.poolParameter.equals(settings.pool()));
    }

    /** What was kept, whatever parameters it was resolved from (a stop undoes what was done). */
    static Optional<KnownPool> fromAnyParameters(Map<String, String> values) {
        try {
            return Optional.of(new KnownPool(
                    values.getOrDefault("load_balancer_parameter", ""),
                    values.getOrDefault("pool_parameter", ""),
                    values.getOrDefault("load_balancer_id", ""),
                    values.getOrDefault("pool_id", "")));
        } catch (IllegalArgumentException damaged) {
            return Optional.empty();
        }
    }

    Map<String, String> toRecord() {
        return Map.of(
                "load_balancer_parameter", loadBalancerParameter,
                "pool_parameter", poolParameter,
                "load_balancer_id", loadBalancerId,
                "pool_id", poolId);
    }
}
