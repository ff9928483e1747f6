package io.vpcha.spi;

/**
 * A failover strategy bound to one resource for one action. Every method is idempotent: start when
 * already started and stop when already stopped succeed without changing anything.
 *
 * <p>Each method must return before {@link StrategyContext#deadline()}; the host reports an action
 * that does not as failed.
 */
public interface FailoverStrategy {
    /** Makes this node the one the resource's traffic reaches; returns once that is verified. */
    void start() throws StrategyException;

    /**
     * Stops serving on this node. Must succeed when the cloud cannot be reached: a stop that fails
     * makes Pacemaker fence the node.
     */
    void stop() throws StrategyException;

    /**
     * Whether the resource is active on this node. A probe ({@link MonitorRequest#isProbe()}) may run
     * on a node that never ran the resource and must then say {@link ResourceState#NOT_RUNNING}.
     */
    MonitorResult monitor(MonitorRequest request) throws StrategyException;

    /**
     * Checks the configuration. {@link CheckLevel#SYNTAX} checks the parameter values and their
     * combinations only, with no network call; {@link CheckLevel#CLOUD} may also ask the cloud.
     *
     * @throws StrategyException naming what is wrong, usually {@link ErrorKind#NOT_CONFIGURED}
     */
    void validate(CheckLevel level) throws StrategyException;

    /**
     * Applies changed reloadable parameters without a restart (OCF reload-agent). The host has
     * already created this strategy with the new values; by default nothing more is needed.
     */
    default void reload() throws StrategyException {}
}
