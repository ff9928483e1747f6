package io.vpcha.strategy.loadbalancer;

import java.util.Locale;

/** How the load balancer is made to send traffic to the active node only. */
enum Mode {
    /**
     * Every node is a pool member; the pool's health monitor probes {@code health_port}, which only the
     * active node answers. No cloud call in any action but validate-all at level 10.
     */
    HEALTH_CHECK,
    /** Through the API: the active node's member gets the weight, every other member weight 0. */
    POOL_MEMBER;

    String parameterValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Mode fromParameterValue(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
