package io.vpcha.host.accelerator;

import static java.util.Objects.requireNonNull;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the accelerator tells its operator, on its stderr (the journal under systemd): one line when it
 * starts and when it ends, and a summary of what it did (actions served warm, refused and why, given
 * up) every {@code summaryEvery} in which it did anything, so that an operator can tell from the
 * journal whether monitors are served warm. With {@code eachAction}, a line per action too (debugging,
 * and the cluster tests' proof that monitors ran here). Never a request's environment: it holds
 * parameters, and those may name secrets' files.
 */
final class AcceleratorLog {
    private final PrintStream out;
    private final boolean eachAction;
    private final Duration summaryEvery;
    private final Map<String, Integer> refusals = new TreeMap<>();
    private long served;
    private long givenUp;
    private long totalMillis;
    private long maxMillis;
    private long lastSummary = System.nanoTime();

    AcceleratorLog(PrintStream out, boolean eachAction, Duration summaryEvery) {
        this.out = requireNonNull(out, "out is null");
        this.eachAction = eachAction;
        this.summaryEvery = requireNonNull(summaryEvery, "summaryEvery is null");
    }

    /** Logs nothing: a service embedded in a test or a bench. */
    static AcceleratorLog none() {
        return new AcceleratorLog(new PrintStream(OutputStream.nullOutputStream()), false, Duration.ofDays(365));
    }

    synchronized void message(String text) {
        out.println("vpc-ha accelerator: " + text);
        out.flush();
    }

    synchronized void served(String action, String resource, long millis) {
        served++;
        totalMillis += millis;
        maxMillis = Math.max(maxMillis, millis);
        if (eachAction) {
            message("served " + action + " of " + resource + " in " + millis + " ms");
        }
        summaryIfDue();
    }

    synchronized void refused(String action, String resource, String reason) {
        refusals.merge(reason, 1, Integer::sum);
        if (eachAction) {
            message("refused " + action + " of " + resource + ": " + reason);
        }
        summaryIfDue();
    }

    /** An action whose client got no end: it went away, or the action outlived its deadline. */
    synchronized void gaveUp(String action, String resource, String why) {
        givenUp++;
        if (eachAction) {
            message("gave up " + action + " of " + resource + " (the client runs it cold): " + why);
        }
        summaryIfDue();
    }

    /** The totals since the last summary, if anything happened; then starts counting again. */
    synchronized void summary() {
        lastSummary = System.nanoTime();
        if (served == 0 && givenUp == 0 && refusals.isEmpty()) {
            return;
        }
        StringBuilder line = new StringBuilder("served ").append(served).append(" actions warm");
        if (served > 0) {
            line.append(" (mean ")
                    .append(totalMillis / served)
                    .append(" ms, max ")
                    .append(maxMillis)
                    .append(" ms)");
        }
        line.append(", gave up ").append(givenUp);
        int refused = refusals.values().stream().mapToInt(Integer::intValue).sum();
        line.append(", refused ").append(refused);
        if (refused > 0) {
            line.append(' ').append(refusals);
        }
        message(line.toString());
        served = 0;
        givenUp = 0;
        totalMillis = 0;
        maxMillis = 0;
        refusals.clear();
    }

    private void summaryIfDue() {
        if (System.nanoTime() - lastSummary >= summaryEvery.toNanos()) {
            summary();
        }
    }
}
