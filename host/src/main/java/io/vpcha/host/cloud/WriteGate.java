package io.vpcha.host.cloud;

import io.vpcha.spi.cloud.CloudException;

/**
 * Asked before every call that changes something in the VPC (any method but GET), whichever
 * strategy makes it: the one place where the host can refuse a write (see the split-brain guard).
 */
@FunctionalInterface
public interface WriteGate {
    /** Lets every write through. */
    WriteGate OPEN = (method, path) -> {};

    /**
     * Returns when the write may go ahead.
     *
     * @throws CloudException when it must not; the call is then not made
     */
    void beforeWrite(String method, String path) throws CloudException;
}
