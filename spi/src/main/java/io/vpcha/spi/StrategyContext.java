package io.vpcha.spi;

import io.vpcha.spi.cloud.CloudAccess;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** What the host gives a strategy for one action on one resource. */
public interface StrategyContext {
    /**
     * The name of the "started here" marker in {@link #stateDirectory()}: a regular file there under
     * this name says the strategy started the resource on this node and has not stopped it since. A
     * strategy that keeps such a marker names it so (the plugin toolkit's StateStore does). The host reads
     * it only when the strategy's plugin is gone and cannot be asked: a stop then fails (the node is
     * fenced) where the marker says something may still run, and clears the state where it is absent.
     *
     * @since 1.2
     */
    String STARTED_MARKER = "started";

    /** This node's name in the cluster (Pacemaker's node name, which may differ from the host name). */
    String nodeName();

    /** The resource instance, e.g. {@code vip} or {@code vip:1} for a clone instance. */
    String resourceInstance();

    /**
     * When the action must have returned: the action's Pacemaker timeout, counted from the start of
     * this process, minus a safety margin.
     */
    Instant deadline();

    /** Time left until {@link #deadline()} by {@link #clock()}; negative when it has passed. */
    default Duration remaining() {
        return Duration.between(clock().instant(), deadline());
    }

    /**
     * The clock of this action: what "now" is for the deadline, for the time a state was last
     * verified and for a monitor's grace. Use it instead of {@link Instant#now()}, so that a test can
     * advance time (a grace running out) instead of waiting for it. The host's clock runs in step with
     * real time; a test's may be ahead of it. Waiting is still done in real time.
     *
     * <p>The default, for contexts written against SPI 1.0 (a test's own context), is the system clock.
     *
     * @since 1.1
     */
    default Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Where the strategy logs. Messages reach the cluster log; debug messages only when HA debugging
     * is on. Never log a secret: the host masks known secrets, but only those it knows.
     */
    System.Logger logger();

    /**
     * A directory private to this resource on this node (mode 0700), emptied at boot: the place for
     * a "started here" marker and cached ids. Created on first use.
     */
    Path stateDirectory();

    /** Authenticated access to the cloud the host is configured for. */
    CloudAccess cloud();
}
