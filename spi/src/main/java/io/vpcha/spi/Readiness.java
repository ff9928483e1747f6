package io.vpcha.spi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Whether this node could take a resource over now, and if not why: the outcome of
 * {@link FailoverStrategy#readiness()}. The host turns it into the node's promotion score, a node
 * attribute the administrator sees ({@code not ready: REASON}) and a metric.
 *
 * @since 1.2
 */
public final class Readiness {
    private static final Readiness READY = new Readiness(null, "");

    private final ReadinessProblem problem;
    private final String reason;

    private Readiness(ReadinessProblem problem, String reason) {
        this.problem = problem;
        this.reason = reason;
    }

    /** Everything a takeover needs was seen working. */
    public static Readiness ready() {
        return READY;
    }

    /**
     * Not ready.
     *
     * @param reason one line naming what is missing and, where it helps, what to do about it
     */
    public static Readiness notReady(ReadinessProblem problem, String reason) {
        requireNonNull(problem, "problem is null");
        requireNonNull(reason, "reason is null");
        if (reason.isBlank()) {
            throw new IllegalArgumentException("a node that is not ready needs a reason");
        }
        return new Readiness(problem, StrategyException.oneLine(reason));
    }

    public boolean isReady() {
        return problem == null;
    }

    /** Empty when ready. */
    public Optional<ReadinessProblem> problem() {
        return Optional.ofNullable(problem);
    }

    /** Empty when ready. */
    public String reason() {
        return reason;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Readiness that && that.problem == problem && that.reason.equals(reason);
    }

    @Override
    public int hashCode() {
        return (problem == null ? 0 : problem.hashCode()) * 31 + reason.hashCode();
    }

    @Override
    public String toString() {
        return isReady() ? "ready" : "not ready (" + problem.code() + "): " + reason;
    }
}
