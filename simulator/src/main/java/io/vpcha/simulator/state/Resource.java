package io.vpcha.simulator.state;

import java.time.Instant;

/**
 * Common fields of every simulated resource. Model objects are plain mutable holders: they may only be
 * read or changed inside {@link SimulatorState#read} or {@link SimulatorState#write}, which serialise access.
 */
public abstract class Resource {
    public String id;
    public String name;
    public Instant createdAt;
    /** Creation order, used for stable listing and as the pagination cursor. */
    public long sequence;
    /** Bumped on every change; the ETag is derived from it. */
    public long revision = 1;

    public String etag() {
        return "W/\"" + Integer.toHexString((id + "#" + revision).hashCode()) + "-" + revision + "\"";
    }

    public void touch() {
        revision++;
    }
}
