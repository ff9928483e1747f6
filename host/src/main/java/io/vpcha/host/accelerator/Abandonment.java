package io.vpcha.host.accelerator;

import static java.util.Objects.requireNonNull;

import java.io.IOException;

/**
 * What the service does when it leaves a warm action while the action's code still runs: its client went
 * away before the action's end, or the action (or a thread of its strategy) outlived its deadline. The
 * action's write fence is closed by then, so the host's own writes are dropped; but a plugin's thread
 * that keeps running may still write files of its own choosing, which no fence sees. A cold action in
 * the same place is a process Pacemaker waits for or kills, so nothing of it can land late. The
 * service gives the same guarantee by ending itself ({@link #halting}); tests record the ending instead
 * of ending their own JVM.
 */
@FunctionalInterface
interface Abandonment {
    /**
     * The exit status of a service that ended itself because it abandoned an action (sysexits'
     * EX_TEMPFAIL, which systemd shows as {@code status=75/TEMPFAIL}: the socket starts a fresh service
     * on the next connection).
     */
    int EXIT_STATUS = 75;

    /**
     * Called once the action's fence is closed and its thread interrupted; {@link #halting} does not
     * return.
     *
     * @param action the action (monitor, status)
     * @param resource the resource it was for
     * @param why why it was abandoned
     * @param answer the action's answer, when it has one to send before the service ends ({@link
     *     Answer#NONE} otherwise)
     * @throws IOException when the answer cannot be sent (its client went away)
     */
    void abandoned(String action, String resource, String why, Answer answer) throws IOException;

    /** The last thing a service that ends itself sends its client. */
    @FunctionalInterface
    interface Answer {
        /** No answer: the client runs the action cold. */
        Answer NONE = () -> {};

        void send() throws IOException;
    }

    /**
     * Ends this JVM at once ({@link Runtime#halt}: no shutdown hooks, no waiting for any thread), after
     * one line in {@code log} saying which action of which resource and why, and the summary of what the
     * service did. Both go out before anything is closed: closing an inherited listener points the
     * standard streams at /dev/null (see {@code AcceleratorService.closeWhenIdle}), and a halt closes
     * nothing before the process ends.
     */
    static Abandonment halting(AcceleratorLog log) {
        requireNonNull(log, "log is null");
        return (action, resource, why, answer) -> {
            log.summary();
            log.message("abandoned " + action + " of " + resource + " while it still ran (" + why
                    + "): exiting (" + EXIT_STATUS + ") so that nothing of it lands after its client went on;"
                    + " the socket starts a fresh service");
            try {
                // the last thing before the halt: nothing of the action can run between them but
                // the write's own return
                answer.send();
            } catch (IOException | RuntimeException clientGone) {
                // it runs the action cold
            }
            Runtime.getRuntime().halt(EXIT_STATUS);
        };
    }
}
