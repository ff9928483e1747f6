package io.vpcha.host.files;

import java.io.IOException;

/**
 * Asked right before every write an action makes to this node's local state (the split-brain guard's
 * record, the metrics, the resource's state directory, Pacemaker attributes, a VPC write): whether the
 * action may still write at all.
 *
 * <p>A cold action is Pacemaker's own process, which Pacemaker waits for or kills: its fence is always
 * {@link #OPEN}. A warm action (the resident accelerator, docs/accelerator.md) runs in a service that
 * can be stopped (SIGSTOP) and resumed after its client gave up and ran the action cold; what it found
 * then is old news, and recording it after the fact is wrong (a late takeaway made the split-brain guard
 * refuse a legitimate failover). Its fence closes once its client no longer waits or its deadline
 * passed, and every write after that is dropped.
 */
@FunctionalInterface
public interface WriteFence {
    /** The fence of an action Pacemaker runs itself: never closed. */
    WriteFence OPEN = () -> {};

    /**
     * Returns when the action may write now.
     *
     * @throws Closed when it must not: the write is then not made, and nothing the action writes after
     *     it is either
     */
    void check() throws Closed;

    /** The action may no longer write: its client gave up on it, or its deadline passed. */
    final class Closed extends IOException {
        private static final long serialVersionUID = 1L;

        public Closed(String reason) {
            super(reason);
        }
    }
}
