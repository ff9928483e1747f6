package io.vpcha.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The Markdown table of a run: per action, the median wall time at each RTT, the round trips it waited
 * for (the slope of time over RTT), what it cost on the wire, and its peak memory.
 */
final class ActionTable {
    private ActionTable() {}

    static String header(List<Duration> rtts) {
        String times =
                rtts.stream().map(rtt -> "ms at " + rtt.toMillis() + " ms RTT").collect(Collectors.joining(" | "));
        String line = "|---".repeat(rtts.size() + 7) + "|";
        return "| action | " + times + " | min–max at "
                + rtts.get(rtts.size() - 1).toMillis()
                + " ms | round trips waited (fit) | round trips on the wire | connections VPC / IAM / metadata"
                + " | requests VPC / IAM / metadata | peak RSS MB |\n" + line;
    }

    static String baselineRow(Measured measured, List<Duration> rtts) {
        String times = rtts.stream()
                .map(rtt -> rtt.isZero() ? Long.toString(measured.medianMillis()) : "-")
                .collect(Collectors.joining(" | "));
        return "| " + measured.name + " | " + times + " | " + measured.min() + "–" + measured.max()
                + " | - | - | - | - | " + String.format("%.0f", measured.medianRssMb()) + " |";
    }

    /** One action at every RTT (same order as {@code rtts}). */
    static String row(String strategy, List<Measured> atEachRtt, List<Duration> rtts) {
        Measured last = atEachRtt.get(atEachRtt.size() - 1);
        String times =
                atEachRtt.stream().map(m -> Long.toString(m.medianMillis())).collect(Collectors.joining(" | "));
        int failures = atEachRtt.stream().mapToInt(m -> m.failures).sum();
        return "| " + strategy + ": " + last.name + " | " + times + " | " + last.min() + "–" + last.max() + " | "
                + fit(atEachRtt, rtts) + " | " + BenchMain.format(Measured.average(last.cloudRoundTrips)) + " | "
                + BenchMain.format(Measured.average(last.vpcConnections)) + " / "
                + BenchMain.format(Measured.average(last.iamConnections)) + " / "
                + BenchMain.format(Measured.average(last.metadataConnections)) + " | "
                + BenchMain.format(Measured.average(last.vpcRequests)) + " / "
                + BenchMain.format(Measured.average(last.iamRequests)) + " / "
                + BenchMain.format(Measured.average(last.metadataRequests)) + " | "
                + String.format("%.0f", last.medianRssMb()) + " |"
                + (failures > 0 ? " " + failures + " run(s) failed" : "");
    }

    /**
     * The round trips an action waits for one after the other: per round (one run at each RTT, run
     * back to back), the least-squares slope of time over RTT; the median of the rounds' slopes.
     * Parallel requests overlap, so this can be less than the round trips on the wire.
     */
    static String fit(List<Measured> atEachRtt, List<Duration> rtts) {
        if (rtts.size() < 2) {
            return "-";
        }
        double meanX = rtts.stream().mapToLong(Duration::toMillis).average().orElse(0);
        double variance = 0;
        for (Duration rtt : rtts) {
            variance += (rtt.toMillis() - meanX) * (rtt.toMillis() - meanX);
        }
        if (variance == 0) {
            return "-";
        }
        int rounds = atEachRtt.stream().mapToInt(m -> m.millis.size()).min().orElse(0);
        List<Double> slopes = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            double meanY = 0;
            for (Measured measured : atEachRtt) {
                meanY += measured.millis.get(round);
            }
            meanY /= atEachRtt.size();
            double covariance = 0;
            for (int i = 0; i < rtts.size(); i++) {
                covariance += (rtts.get(i).toMillis() - meanX)
                        * (atEachRtt.get(i).millis.get(round) - meanY);
            }
            slopes.add(covariance / variance);
        }
        Collections.sort(slopes);
        int middle = slopes.size() / 2;
        double median = slopes.size() % 2 == 1 ? slopes.get(middle) : (slopes.get(middle - 1) + slopes.get(middle)) / 2;
        return BenchMain.format(median);
    }
}
