package io.vpcha.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The runs of one measured thing: wall times, peak RSS, and API and IAM requests per run. */
final class Measured {
    final String name;
    final List<Long> millis = new ArrayList<>();
    final List<Long> rssKb = new ArrayList<>();
    final List<Long> vpcRequests = new ArrayList<>();
    final List<Long> iamRequests = new ArrayList<>();
    int failures;

    Measured(String name) {
        this.name = name;
    }

    static long median(List<Long> values) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    String row(boolean withRequests) {
        return String.format(
                "| %s | %d | %d | %d | %.0f | %s | %s |%s",
                name,
                median(millis),
                millis.stream().mapToLong(Long::longValue).min().orElse(-1),
                millis.stream().mapToLong(Long::longValue).max().orElse(-1),
                median(rssKb) / 1024.0,
                withRequests ? String.format("%.1f", average(vpcRequests)) : "-",
                withRequests ? String.format("%.1f", average(iamRequests)) : "-",
                failures > 0 ? " " + failures + " run(s) failed" : "");
    }

    private static double average(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).average().orElse(0);
    }
}
