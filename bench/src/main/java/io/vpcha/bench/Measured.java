package io.vpcha.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The runs of one measured thing: wall times, peak RSS, requests per service from the simulator's
 * journal, and connections and round trips per endpoint from the proxies in front of it.
 */
final class Measured {
    final String name;
    final List<Long> millis = new ArrayList<>();
    final List<Long> rssKb = new ArrayList<>();
    /** Wall time of each run in microseconds, where a table resolves less than a millisecond. */
    final List<Long> micros = new ArrayList<>();
    /** CPU time (user + system) of each run, where known. */
    final List<Long> cpuMillis = new ArrayList<>();

    final List<Long> vpcRequests = new ArrayList<>();
    final List<Long> iamRequests = new ArrayList<>();
    final List<Long> metadataRequests = new ArrayList<>();
    final List<Long> vpcConnections = new ArrayList<>();
    final List<Long> iamConnections = new ArrayList<>();
    final List<Long> metadataConnections = new ArrayList<>();
    /** TCP handshakes plus request/answer turns to the VPC API and IAM: the round trips that pay the RTT. */
    final List<Long> cloudRoundTrips = new ArrayList<>();

    int failures;

    Measured(String name) {
        this.name = name;
    }

    long medianMillis() {
        return median(millis);
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

    static double average(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).average().orElse(0);
    }

    long min() {
        return millis.stream().mapToLong(Long::longValue).min().orElse(-1);
    }

    long max() {
        return millis.stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    long medianCpuMillis() {
        return median(cpuMillis);
    }

    double medianRssMb() {
        return median(rssKb) / 1024.0;
    }
}
