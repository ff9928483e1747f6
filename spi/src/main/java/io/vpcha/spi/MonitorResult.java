package io.vpcha.spi;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of a monitor: a state and, except for a plain {@link ResourceState#RUNNING}, a one-line
 * reason that the host reports (as the exit reason for {@code NOT_RUNNING} and {@code DEGRADED}).
 */
public record MonitorResult(ResourceState state, String reason) {
    /**
     * The canonical constructor.
     *
     * @deprecated the components of this record may grow in a later SPI; use {@link #running()},
     *     {@link #notRunning(String)}, {@link #degraded(String)} or {@link #of(ResourceState, String)}
     */
    @Deprecated
    public MonitorResult {
        requireNonNull(state, "state is null");
        requireNonNull(reason, "reason is null");
        reason = reason.isBlank() ? "" : StrategyException.oneLine(reason);
    }

    public static MonitorResult running() {
        return new MonitorResult(ResourceState.RUNNING, "");
    }

    public static MonitorResult notRunning(String reason) {
        return new MonitorResult(ResourceState.NOT_RUNNING, reason);
    }

    public static MonitorResult degraded(String reason) {
        return new MonitorResult(ResourceState.DEGRADED, reason);
    }

    /**
     * A result in a state chosen at run time; the reason may be empty only for {@code RUNNING}.
     *
     * @since 1.1
     */
    public static MonitorResult of(ResourceState state, String reason) {
        return new MonitorResult(state, reason);
    }
}
