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

    /**
     * Whether this node could take the resource over now, asked on the passive node of a promotable
     * resource at every readiness monitor (and at its start). The host has already checked what every
     * strategy needs: the credentials give a fresh token, and the metadata service knows this instance
     * when the host itself needs it (for the VPC endpoint). A strategy checks the rest without changing
     * anything: that this node's identity (from the metadata service, when the start would ask it) and
     * target interface are what a start would use, and that the cloud resources a start changes exist
     * and are visible. What only a write could prove (an IAM write permission) is not checked.
     *
     * <p>This is also the moment to remember what a start would otherwise look up (ids, in
     * {@link StrategyContext#stateDirectory()}), so that a promotion goes straight to its write. Keep it
     * cheap: at most one cloud API request in steady state, since it runs every interval on every
     * passive node.
     *
     * <p>Throwing is the same as not being ready: the host maps the exception's kind to a
     * {@link ReadinessProblem} and its reason to the node's "not ready" message. A readiness check
     * never fails the resource, it only keeps this node from being promoted while a ready one exists.
     *
     * <p>The default, for strategies that check nothing of their own (and every plugin built against
     * SPI 1.0 or 1.1), returns {@link Readiness#ready()}; the host then also proves the credentials with
     * one read of this instance through the VPC API.
     *
     * @since 1.2
     */
    default Readiness readiness() throws StrategyException {
        return Readiness.ready();
    }
}
