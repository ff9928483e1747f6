package io.vpcha.toolkit.bench;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * The switches that take a shipped strategy back to an older, slower path, each an environment variable
 * of the agent. They exist so that bench/ can measure the older path against the newer one in the same
 * run (docs/performance.md, "Failover: promote of a warm standby vs a cold start"), and so that a
 * newer path suspected of a fault can be ruled out without a new build. {@code off} means the older
 * path; unset, or any other value, the newer one, which is the default everywhere.
 *
 * <p>The host's own switches (the plugin index, connections opened ahead) are the host's; a plugin never
 * sees them.
 */
public enum ComparisonSwitch {
    /**
     * custom-route: a promotion writes the routes its readiness check vouched for in place, with no read
     * first; {@code off} reads them first.
     */
    ROUTES_IN_PLACE("VPC_HA_ROUTES_IN_PLACE"),
    /**
     * floating-ip: a promotion binds the floating IP with what its readiness check saw, with no read
     * first; {@code off} reads it first.
     */
    FLOATING_IP_DIRECT("VPC_HA_FLOATING_IP_DIRECT");

    private static final String OFF = "off";

    private final String variable;

    ComparisonSwitch(String variable) {
        this.variable = variable;
    }

    /** The environment variable that turns the newer path off. */
    public String variable() {
        return variable;
    }

    /** Whether the agent's environment leaves the newer path on. */
    public boolean on() {
        return on(System.getenv());
    }

    /** Whether {@code environment} leaves the newer path on: anything but {@code off}. */
    public boolean on(Map<String, String> environment) {
        requireNonNull(environment, "environment is null");
        return !OFF.equals(environment.get(variable));
    }
}
