package io.vpcha.host;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * The switches that take the host back to an older, slower path, each an environment variable of the
 * agent. They exist so that bench/ can measure the older path against the newer one in the same run
 * (docs/performance.md), and so that a newer path suspected of a fault can be ruled out without a new
 * build. {@code off} means the older path; unset, or any other value, the newer one, which is the
 * default everywhere.
 *
 * <p>A strategy's own switches live in the plugin toolkit ({@code io.vpcha.toolkit.bench}), which the
 * host never loads.
 */
public enum ComparisonSwitch {
    /**
     * An action loads only the plugin of its strategy, through the plugin index; {@code off} loads every
     * plugin always.
     */
    PLUGIN_INDEX("VPC_HA_PLUGIN_INDEX"),
    /**
     * {@link io.vpcha.spi.cloud.VpcApi#prepareConnections} opens the connections a strategy says it will
     * need while its reads run; {@code off} opens nothing ahead, each connection by the request that
     * needs it.
     */
    CONNECT_AHEAD("VPC_HA_CONNECT_AHEAD");

    private static final String OFF = "off";

    private final String variable;

    ComparisonSwitch(String variable) {
        this.variable = variable;
    }

    /** The environment variable that turns the newer path off. */
    public String variable() {
        return variable;
    }

    /** Whether this process's environment (the agent's) leaves the newer path on. */
    public boolean on() {
        return on(System.getenv());
    }

    /** Whether {@code environment} leaves the newer path on: anything but {@code off}. */
    public boolean on(Map<String, String> environment) {
        requireNonNull(environment, "environment is null");
        return !OFF.equals(environment.get(variable));
    }
}
