package io.vpcha.host.metrics;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.files.SafeFiles;
import io.vpcha.host.files.WriteFence;
import io.vpcha.spi.Readiness;
import io.vpcha.spi.ReadinessProblem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One resource's metrics on this node in Prometheus' text format, for node_exporter's textfile
 * collector: {@code DIRECTORY/vpc-ha-RESOURCE.prom}, rewritten by every action (a new file moved into
 * place, so the collector never reads half of one). Counters carry on from the file the last action
 * wrote; a file that is missing or damaged starts them again from zero, which Prometheus reads as a
 * counter reset.
 *
 * <p>Label values come from fixed sets (actions, results, services, readiness problems) and the
 * resource and strategy names the administrator configured: never an address, an id, a URL or a
 * reason's text, and never a secret.
 */
public final class MetricsFile {
    private static final int LARGEST_FILE = 1 << 20;

    /** A metric family: its name, Prometheus type and help text. */
    private record Family(String name, String type, String help) {
        boolean owns(String series) {
            return series.equals(name)
                    || (type.equals("summary") && (series.equals(name + "_sum") || series.equals(name + "_count")));
        }
    }

    private static final List<Family> FAMILIES = List.of(
            new Family("vpc_ha_actions_total", "counter", "OCF actions run, by action and result."),
            new Family(
                    "vpc_ha_action_duration_seconds",
                    "summary",
                    "Time of OCF actions from the agent's start to its answer, by action and result."),
            new Family("vpc_ha_last_action_duration_seconds", "gauge", "Time the last action of each kind took."),
            new Family("vpc_ha_last_action_timestamp_seconds", "gauge", "When the last action of each kind ended."),
            new Family(
                    "vpc_ha_api_requests_total",
                    "counter",
                    "Requests to the cloud by service (vpc, iam, metadata), method class (read, write) and answer "
                            + "class (2xx, 4xx, 5xx, none)."),
            new Family("vpc_ha_api_retries_total", "counter", "Requests sent again after a failure."),
            new Family(
                    "vpc_ha_token_requests_total",
                    "counter",
                    "IAM tokens obtained (a token from the node's cache costs none)."),
            new Family(
                    "vpc_ha_ready",
                    "gauge",
                    "Whether this node could take the resource over at its last readiness check (promotable)."),
            new Family(
                    "vpc_ha_not_ready",
                    "gauge",
                    "1 for the reason this node is not ready, from a fixed set; 0 for the others."),
            new Family(
                    "vpc_ha_last_failover_timestamp_seconds",
                    "gauge",
                    "When the last start or promote that moved the resource here ended."),
            new Family(
                    "vpc_ha_last_failover_duration_seconds",
                    "gauge",
                    "How long the last start or promote on this node took, from the agent's start."));

    private final Path directory;
    private final String resource;

    public MetricsFile(Path directory, String resource) {
        this.directory = requireNonNull(directory, "directory is null");
        this.resource = requireNonNull(resource, "resource is null");
    }

    /** What one action did, for its metrics. */
    public record Action(
            String strategy,
            String action,
            String result,
            Duration duration,
            Instant end,
            RequestCounts requests,
            Optional<Readiness> readiness,
            boolean tookOver) {
        public Action {
            requireNonNull(strategy, "strategy is null");
            requireNonNull(action, "action is null");
            requireNonNull(result, "result is null");
            requireNonNull(duration, "duration is null");
            requireNonNull(end, "end is null");
            requireNonNull(requests, "requests is null");
            requireNonNull(readiness, "readiness is null");
        }
    }

    public Path file() {
        return directory.resolve("vpc-ha-" + resource.replaceAll("[^A-Za-z0-9_.-]", "_") + ".prom");
    }

    /**
     * Why metrics cannot be written into the directory, without writing anything; empty when they can.
     * The rules of every directory vpc-ha writes into ({@link SafeFiles#directoryProblem}): a real
     * directory, not a link, owned by root (or this process) and writable by no one else, so nothing of
     * vpc-ha's goes where another user can plant or replace files. The directories above are not judged:
     * Debian's {@code /var/lib/prometheus} belongs to the prometheus user, and what is written here is
     * public (no secret), into a new file that never follows a link.
     */
    public Optional<String> problem() {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(directory + " does not exist (node_exporter's textfile collector not installed?)");
        }
        return SafeFiles.directoryProblem(directory, false);
    }

    /** Adds {@code action} to the counters of the file and rewrites it. */
    public void record(Action action) throws IOException {
        record(action, WriteFence.OPEN);
    }

    /**
     * {@link #record(Action)}, if {@code fence} lets the action write when the new file is ready.
     *
     * @throws WriteFence.Closed when it does not: the file is left as it was
     */
    public void record(Action action, WriteFence fence) throws IOException {
        Map<String, Map<String, Double>> series = read();
        String each = labels(
                "resource",
                resource,
                "strategy",
                action.strategy(),
                "action",
                action.action(),
                "result",
                action.result());
        double seconds = action.duration().toNanos() / 1e9;
        add(series, "vpc_ha_actions_total", each, 1);
        add(series, "vpc_ha_action_duration_seconds_sum", each, seconds);
        add(series, "vpc_ha_action_duration_seconds_count", each, 1);
        String kind = labels("resource", resource, "action", action.action());
        set(series, "vpc_ha_last_action_duration_seconds", kind, seconds);
        set(series, "vpc_ha_last_action_timestamp_seconds", kind, epochSeconds(action.end()));
        action.requests().requests().forEach((key, count) -> {
            String[] parts = key.split(",", 3);
            add(
                    series,
                    "vpc_ha_api_requests_total",
                    labels("resource", resource, "service", parts[0], "method", parts[1], "status", parts[2]),
                    (double) count);
        });
        String mine = labels("resource", resource);
        add(series, "vpc_ha_api_retries_total", mine, (double) action.requests().retries());
        add(series, "vpc_ha_token_requests_total", mine, (double)
                action.requests().tokenRequests());
        action.readiness().ifPresent(readiness -> {
            set(series, "vpc_ha_ready", mine, readiness.isReady() ? 1 : 0);
            for (ReadinessProblem problem : ReadinessProblem.values()) {
                set(
                        series,
                        "vpc_ha_not_ready",
                        labels("resource", resource, "reason", problem.code()),
                        readiness.problem().equals(Optional.of(problem)) ? 1 : 0);
            }
        });
        if (action.tookOver()) {
            set(series, "vpc_ha_last_failover_timestamp_seconds", mine, epochSeconds(action.end()));
            set(series, "vpc_ha_last_failover_duration_seconds", mine, seconds);
        }
        SafeFiles.writeAtomically(
                file(),
                render(series).getBytes(StandardCharsets.UTF_8),
                PosixFilePermissions.fromString("rw-r--r--"),
                fence);
    }

    /** The series of the file as the last action wrote it: name, then label text, then value. */
    private Map<String, Map<String, Double>> read() {
        Map<String, Map<String, Double>> series = new TreeMap<>();
        byte[] content;
        try (SeekableByteChannel channel = Files.newByteChannel(
                        file(), Set.<OpenOption>of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
                InputStream in = Channels.newInputStream(channel)) {
            if (channel.size() > LARGEST_FILE) {
                return series;
            }
            content = in.readNBytes(LARGEST_FILE);
        } catch (NoSuchFileException missing) {
            return series;
        } catch (IOException | RuntimeException unreadable) {
            return series;
        }
        for (String line : new String(content, StandardCharsets.UTF_8).split("\n", -1)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String key = line.substring(0, space);
            int brace = key.indexOf('{');
            String name = brace < 0 ? key : key.substring(0, brace);
            String labelText = brace < 0 ? "" : key.substring(brace);
            if (FAMILIES.stream().noneMatch(family -> family.owns(name))) {
                continue;
            }
            try {
                double value = Double.parseDouble(line.substring(space + 1));
                series.computeIfAbsent(name, n -> new TreeMap<>()).put(labelText, value);
            } catch (NumberFormatException damaged) {
                // a damaged line is dropped: its counter starts again
            }
        }
        return series;
    }

    static String render(Map<String, Map<String, Double>> series) {
        StringBuilder text = new StringBuilder(4096);
        for (Family family : FAMILIES) {
            Map<String, Map<String, Double>> own = new LinkedHashMap<>();
            series.forEach((name, values) -> {
                if (family.owns(name)) {
                    own.put(name, values);
                }
            });
            if (own.isEmpty()) {
                continue;
            }
            text.append("# HELP ")
                    .append(family.name())
                    .append(' ')
                    .append(family.help())
                    .append('\n');
            text.append("# TYPE ")
                    .append(family.name())
                    .append(' ')
                    .append(family.type())
                    .append('\n');
            own.forEach((name, values) -> values.forEach((labelText, value) -> text.append(name)
                    .append(labelText)
                    .append(' ')
                    .append(format(value))
                    .append('\n')));
        }
        return text.toString();
    }

    private static void add(Map<String, Map<String, Double>> series, String name, String labelText, double amount) {
        series.computeIfAbsent(name, n -> new TreeMap<>()).merge(labelText, amount, Double::sum);
    }

    private static void set(Map<String, Map<String, Double>> series, String name, String labelText, double value) {
        series.computeIfAbsent(name, n -> new TreeMap<>()).put(labelText, value);
    }

    /** {@code {a="1",b="2"}} from name, value pairs, values escaped as the format asks. */
    static String labels(String... pairs) {
        StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) {
                text.append(',');
            }
            text.append(pairs[i]).append("=\"");
            for (char c : pairs[i + 1].toCharArray()) {
                switch (c) {
                    case '\\' -> text.append("\\\\");
                    case '"' -> text.append("\\\"");
                    case '\n' -> text.append("\\n");
                    default -> text.append(c);
                }
            }
            text.append('"');
        }
        return text.append('}').toString();
    }

    private static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    private static double epochSeconds(Instant instant) {
        return ((double) instant.toEpochMilli()) / 1000.0;
    }
}
