package io.vpcha.spi;

import io.vpcha.spi.cloud.CloudAccess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** What the host gives a strategy for one action on one resource. */
public interface StrategyContext {
    /** This node's name in the cluster (Pacemaker's node name, which may differ from the host name). */
    String nodeName();

    /** The resource instance, e.g. {@code vip} or {@code vip:1} for a clone instance. */
    String resourceInstance();

    /**
     * When the action must have returned: the action's Pacemaker timeout, counted from the start of
     * this process, minus a safety margin.
     */
    Instant deadline();

    /** Time left until {@link #deadline()}; negative when it has passed. */
    default Duration remaining() {
        return Duration.between(Instant.now(), deadline());
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
