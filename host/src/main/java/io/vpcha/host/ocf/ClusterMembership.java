package io.vpcha.host.ocf;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The cluster's nodes as this node's Pacemaker sees them: which are members of its partition and
 * which it knows but has lost. Read from {@code crm_node -l} ("ID NAME STATE" per node).
 */
public record ClusterMembership(Set<String> members, Set<String> lost) {
    public ClusterMembership {
        members = Set.copyOf(new TreeSet<>(requireNonNull(members, "members is null")));
        lost = Set.copyOf(new TreeSet<>(requireNonNull(lost, "lost is null")));
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
        return new ClusterMembership(members, lost);
    }

    /**
     * Asks this node's Pacemaker; empty when it does not answer within {@code timeout} (no cluster, or
     * its controller is down), which callers treat as "membership unknown".
     */
    public static Optional<ClusterMembership> ofCrmNode(Duration timeout) {
        try {
            Process process = new ProcessBuilder("crm_node", "-l")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ClusterMembership membership = parse(output);
            return process.exitValue() == 0 && !membership.members().isEmpty()
                    ? Optional.of(membership)
                    : Optional.empty();
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
