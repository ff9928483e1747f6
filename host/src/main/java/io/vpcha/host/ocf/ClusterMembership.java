package io.vpcha.host.ocf;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The cluster's nodes as this node's Pacemaker sees them: which are members of its partition and
 * which it knows but has lost ({@code crm_node -l}: "ID NAME STATE" per node), and whether the
 * cluster fences ({@code stonith-enabled}, true unless set to false). With fencing, Pacemaker starts
 * a lost node's resources only after fencing it, so a lost node cannot be holding them.
 */
public record ClusterMembership(Set<String> members, Set<String> lost, boolean fencing) {
    public ClusterMembership {
        members = Set.copyOf(new TreeSet<>(requireNonNull(members, "members is null")));
        lost = Set.copyOf(new TreeSet<>(requireNonNull(lost, "lost is null")));
    }

    /** {@code crm_node -l} output, in a cluster that fences or not. */
    public static ClusterMembership parse(String crmNodeList, boolean fencing) {
        ClusterMembership nodes = parse(crmNodeList);
        return new ClusterMembership(nodes.members(), nodes.lost(), fencing);
    }

    /** {@code crm_node -l} output: one "ID NAME STATE" line per node; STATE "member" or anything else. */
    public static ClusterMembership parse(String crmNodeList) {
        Set<String> members = new TreeSet<>();
        Set<String> lost = new TreeSet<>();
        crmNodeList.lines().forEach(line -> {
            List<String> fields = List.of(line.strip().split("\\s+", -1));
            if (fields.size() >= 3) {
                (fields.get(2).equals("member") ? members : lost).add(fields.get(1));
            }
        });
        return new ClusterMembership(members, lost, false);
    }

    /**
     * Asks this node's Pacemaker; empty when it does not answer within {@code timeout} (no cluster, or
     * its controller is down), which callers treat as "membership unknown".
     */
    public static Optional<ClusterMembership> ofCrmNode(Duration timeout) {
        Optional<ClusterMembership> nodes = run(timeout, "crm_node", "-l")
                .map(ClusterMembership::parse)
                .filter(membership -> !membership.members().isEmpty());
        if (nodes.isEmpty()) {
            return Optional.empty();
        }
        // unset means true (Pacemaker's default); unreadable counts as no fencing, which keeps the
        // split-brain guard on
        boolean fencing = run(
                        timeout,
                        "crm_attribute",
                        "--type",
                        "crm_config",
                        "--name",
                        "stonith-enabled",
                        "--query",
                        "--quiet",
                        "--default",
                        "true")
                .map(ClusterMembership::isTrue)
                .orElse(false);
        return Optional.of(
                new ClusterMembership(nodes.get().members(), nodes.get().lost(), fencing));
    }

    /** A Pacemaker boolean: true, on, yes, y or 1 (crm_is_true). */
    static boolean isTrue(String value) {
        return Set.of("true", "on", "yes", "y", "1").contains(value.strip().toLowerCase(Locale.ROOT));
    }

    /** A Pacemaker tool's standard output, or empty when it fails or does not answer in time. */
    private static Optional<String> run(Duration timeout, String... command) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.exitValue() == 0 ? Optional.of(output) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The nodes other than {@code self} that the cluster knows but this partition does not hold. */
    public Set<String> lostPeersOf(String self) {
        Set<String> peers = new TreeSet<>(lost);
        peers.remove(self);
        return peers;
    }

    /** The members, sorted and comma-separated: what "the membership changed" compares. */
    public String signature() {
        return String.join(",", new TreeSet<>(members));
    }
}
