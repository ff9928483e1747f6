package io.vpcha.host.ocf;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.cloud.WriteGate;
import io.vpcha.host.files.PropertiesText;
import io.vpcha.host.files.SafeFiles;
import io.vpcha.host.files.WriteFence;
import io.vpcha.spi.MonitorResult;
import io.vpcha.spi.ResourceState;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Keeps vpc-ha from making a cluster without fencing worse in a split brain. The host puts it around
 * every strategy: recurring monitors tell it when the resource was taken away from this node, and
 * every VPC API write of a start passes its {@link #writeGate() gate}.
 *
 * <p>Without fencing, a partition leaves both nodes running: each one's monitor finds the traffic
 * moved to the other and reports "not running", Pacemaker restarts the resource, the start moves the
 * traffic back, and the two nodes take it from each other every few seconds (a route war: writes
 * without end, traffic split across zones). So a start that would write, on a node whose recurring
 * monitor found the resource taken away within {@link #WINDOW}, asks this node's cluster who is
 * there ({@code crm_node -l}) and does not take it back when
 *
 * <ul>
 *   <li>another node is lost to this node's partition and the cluster does not fence
 *       ({@code stonith-enabled=false}): it took the resource and cannot be seen, a split brain (with
 *       fencing, Pacemaker starts a lost node's resources only after fencing it), or
 *   <li>this node already took it back once within the window (taken, taken back, taken again).
 * </ul>
 *
 * It then logs one ERROR naming the other node and saying "split brain? configure fencing", makes
 * no API write, and the start fails with a short reason naming the node; Pacemaker keeps the
 * resource off this node until an operator runs {@code crm_resource --cleanup} (whose probe makes
 * the guard forget the takeaways) or the failure expires. So a node takes a resource back at most
 * once per window, and never from a node it cannot see.
 *
 * <p>Everything else passes untouched: a start that follows no takeaway on this node (the first
 * failover after a real node loss, a move, a standby) asks nothing and is never delayed; a restart
 * that writes nothing (the VIP was only missing on this node) is never refused; stop, monitor and
 * validate-all are never gated. The state is a small file beside the resources' state directories,
 * in the node's runtime directory (gone at reboot).
 */
final class SplitBrainGuard {
    /** A takeaway this recent makes a start's write a takeback; two takebacks within it are a war. */
    static final Duration WINDOW = Duration.ofMinutes(10);

    private static final String TAKEAWAYS = "takeaways";
    private static final String TAKEBACKS = "takebacks";

    private final Path file;
    private final String node;
    private final String resource;
    private final Supplier<Optional<ClusterMembership>> membership;
    private final Clock clock;
    private final System.Logger log;
    private final WriteFence fence;
    private Optional<String> decided;

    /**
     * @param fence asked right before the guard's file is written: a warm action whose client gave up
     *     records nothing (what it saw is old news by then); {@link WriteFence#OPEN} where nothing can
     *     give up
     */
    SplitBrainGuard(
            Path file,
            String node,
            String resource,
            Supplier<Optional<ClusterMembership>> membership,
            Clock clock,
            System.Logger log,
            WriteFence fence) {
        this.fence = requireNonNull(fence, "fence is null");
        this.file = requireNonNull(file, "file is null");
        this.node = requireNonNull(node, "node is null");
        this.resource = requireNonNull(resource, "resource is null");
        this.membership = requireNonNull(membership, "membership is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.log = requireNonNull(log, "log is null");
    }

    /** The guard file of a resource: {@code <state root>/vpc-ha/.split-brain-<instance>}. */
    static Path fileOf(Path stateRoot, String resourceInstance) {
        Path directory = HostStrategyContext.stateDirectoryOf(stateRoot, resourceInstance);
        // resource directories never start with a dot, so this name cannot be one of them
        return directory.resolveSibling(".split-brain-" + directory.getFileName());
    }

    /**
     * What a monitor found: a recurring monitor that finds the resource not running here records a
     * takeaway; a probe (a cleanup, a refresh, a node joining) forgets them all.
     */
    void afterMonitor(MonitorResult found, boolean probe) {
        if (probe) {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                record(new State(), "forget the takeaways");
            }
            return;
        }
        if (found.state() == ResourceState.NOT_RUNNING) {
            State state = State.read(file, clock.instant());
            state.takeaways.add(clock.instant());
            record(state, "record a takeaway");
        }
    }

    /** The gate for one start's writes: decided at the first write, the same for the rest. */
    WriteGate writeGate() {
        return (method, path) -> {
            Optional<String> refusal = decide();
            if (refusal.isPresent()) {
                throw new CloudException(CloudErrorKind.PERMISSION, 0, "split_brain", refusal.get(), null, null);
            }
        };
    }

    /** Why this start's writes were refused, when they were. */
    Optional<String> refusal() {
        return decided == null ? Optional.empty() : decided;
    }

    private synchronized Optional<String> decide() {
        if (decided != null) {
            return decided;
        }
        Instant now = clock.instant();
        State state = State.read(file, now);
        if (state.takeaways.isEmpty()) {
            decided = Optional.empty();
            return decided;
        }
        Instant takeaway = state.takeaways.get(state.takeaways.size() - 1);
        long ago = Duration.between(takeaway, now).toSeconds();
        Optional<ClusterMembership> cluster = membership.get();
        Set<String> lost = cluster.map(m -> m.lostPeersOf(node)).orElse(Set.of());
        String reason;
        if (!lost.isEmpty() && cluster.map(ClusterMembership::fencing).orElse(false)) {
            // a fencing cluster starts a lost node's resources only after fencing it: a real failover
            log.log(
                    Level.INFO,
                    resource + " was taken away from " + node + " " + ago + " s ago; " + String.join(", ", lost)
                            + " is lost and the cluster fences: taking it over");
            decided = Optional.empty();
            return decided;
        }
        if (!lost.isEmpty()) {
            reason = "not taking it back from " + String.join(", ", lost) + " (offline to " + node
                    + "): split brain? configure fencing";
        } else if (!state.takebacks.isEmpty()) {
            reason = "taken from " + node + " again " + ago + " s after it took it back"
                    + cluster.map(m -> " (members " + m.signature() + ")").orElse("")
                    + ": split brain? configure fencing";
        } else {
            state.takebacks.add(now);
            record(state, "record a takeback");
            log.log(
                    Level.WARNING,
                    resource + " was taken away from " + node + " " + ago + " s ago; taking it back (once within "
                            + WINDOW.toMinutes() + " min)");
            decided = Optional.empty();
            return decided;
        }
        log.log(
                Level.ERROR,
                resource + " was taken away from " + node + " " + ago + " s ago; " + reason + ". No API write for it "
                        + "from " + node + " until an operator runs crm_resource --cleanup " + resource
                        + " (or the takeaway is " + WINDOW.toMinutes() + " min old)");
        decided = Optional.of(reason);
        return decided;
    }

    private void record(State state, String what) {
        try {
            state.write(file, fence);
        } catch (WriteFence.Closed closed) {
            log.log(Level.INFO, () -> resource + ": not written (" + what + "): " + closed.getMessage());
        }
    }

    /** The guard's file: the takeaways and takebacks of this resource on this node within the window. */
    private static final class State {
        final List<Instant> takeaways = new ArrayList<>();
        final List<Instant> takebacks = new ArrayList<>();

        static State read(Path file, Instant now) {
            State state = new State();
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return state;
            }
            Properties properties = new Properties();
            try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException | IllegalArgumentException e) {
                return state; // an unreadable file remembers nothing: the guard never blocks on its own state
            }
            state.takeaways.addAll(instants(properties.getProperty(TAKEAWAYS, ""), now));
            state.takebacks.addAll(instants(properties.getProperty(TAKEBACKS, ""), now));
            return state;
        }

        private static List<Instant> instants(String text, Instant now) {
            List<Instant> instants = new ArrayList<>();
            for (String value : text.split(",", -1)) {
                try {
                    Instant at = Instant.ofEpochMilli(Long.parseLong(value.strip()));
                    if (!at.isBefore(now.minus(WINDOW)) && !at.isAfter(now)) {
                        instants.add(at);
                    }
                } catch (NumberFormatException e) {
                    // an empty list, or a damaged entry: skipped
                }
            }
            return instants;
        }

        /**
         * Written to a new file beside it, then renamed over it: never through a link, never half
         * written. A failure to write only loses the guard's memory, never the action.
         *
         * @throws WriteFence.Closed when the action may no longer write: nothing is written
         */
        void write(Path file, WriteFence fence) throws WriteFence.Closed {
            Map<String, String> values = new TreeMap<>();
            values.put(TAKEAWAYS, join(takeaways));
            values.put(TAKEBACKS, join(takebacks));
            try {
                byte[] text = PropertiesText.bytes("vpc-ha split-brain guard", values);
                // the state directories' one safe place: no planted link, no directory others write to
                SafeFiles.privateDirectory(file.getParent());
                SafeFiles.writeAtomically(file, text, PosixFilePermissions.fromString("rw-------"), fence);
            } catch (WriteFence.Closed closed) {
                throw closed;
            } catch (IOException e) {
                // only the guard's memory is lost, never the action
            }
        }

        private static String join(List<Instant> instants) {
            return instants.stream().map(at -> Long.toString(at.toEpochMilli())).collect(Collectors.joining(","));
        }
    }
}
