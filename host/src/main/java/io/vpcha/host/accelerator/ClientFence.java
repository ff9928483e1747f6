package io.vpcha.host.accelerator;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.files.WriteFence;
import io.vpcha.host.ocf.ActionDeadline;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The write fence of one warm action: open while its client (the launcher) still waits for it and its
 * deadline has not passed; once closed, closed for good.
 *
 * <p>Whether the client waits is asked of the client's connection itself, at the moment of the write: a
 * heartbeat is written to it. The launcher's socat ends when it heard nothing for its wait, and closes
 * the connection before the launcher runs the action cold; a write to a Unix stream socket whose peer
 * closed fails at once (EPIPE), with no delay as on TCP. So a service that was stopped (SIGSTOP) in the
 * middle of a monitor and resumed after its client gave up finds the fence closed at its next write,
 * whichever of its threads runs first; a heartbeat that reaches a client still waiting is one the
 * protocol allows at any time.
 *
 * <p>What this cannot close: a service stopped after the check and before the write's own system call
 * (the rename of a file already written, a few microseconds); see docs/accelerator.md.
 */
final class ClientFence implements WriteFence {
    private final AcceleratorReply client;
    private final ActionDeadline deadline;
    private final Clock clock;
    /** Why the fence closed; null while open. */
    private final AtomicReference<String> closed = new AtomicReference<>();

    ClientFence(AcceleratorReply client, ActionDeadline deadline, Clock clock) {
        this.client = requireNonNull(client, "client is null");
        this.deadline = requireNonNull(deadline, "deadline is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public void check() throws Closed {
        if (closed.get() == null) {
            reasonNow().ifPresent(this::close);
        }
        String reason = closed.get();
        if (reason != null) {
            throw new Closed(reason);
        }
    }

    /** Closes the fence for good (the first reason stays): e.g. a heartbeat could not be sent. */
    void close(String reason) {
        closed.compareAndSet(null, requireNonNull(reason, "reason is null"));
    }

    /** Why the fence closed, if it did. */
    Optional<String> closedBecause() {
        return Optional.ofNullable(closed.get());
    }

    private Optional<String> reasonNow() {
        if (deadline.remaining(clock).isNegative()) {
            return Optional.of("the warm action's deadline passed; its client runs it cold");
        }
        try {
            client.heartbeat();
            return Optional.empty();
        } catch (IOException gone) {
            return Optional.of("the warm action's client gave up on it and runs it cold (" + gone.getMessage() + ")");
        }
    }
}
