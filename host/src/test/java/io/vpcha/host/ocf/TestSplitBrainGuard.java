package io.vpcha.host.ocf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcha.host.cloud.WriteGate;
import io.vpcha.host.files.WriteFence;
import io.vpcha.host.testing.RecordingLog;
import io.vpcha.spi.MonitorResult;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestSplitBrainGuard {
    private static final ClusterMembership PARTITIONED = ClusterMembership.parse("1 node1 member\n2 node2 lost\n");
    private static final ClusterMembership WHOLE = ClusterMembership.parse("1 node1 member\n2 node2 member\n");

    @TempDir
    Path stateRoot;

    private Instant now = Instant.parse("2026-11-29T12:00:00Z");
    private Optional<ClusterMembership> cluster = Optional.of(WHOLE);
    private final AtomicInteger membershipAsked = new AtomicInteger();
    private final RecordingLog log = new RecordingLog();

    @Test
    void aStartWithoutATakeawayIsNeverAskedAboutAndNeverRefused() throws Exception {
        cluster = Optional.of(PARTITIONED); // the first failover after node2 died: node2 is lost

        SplitBrainGuard guard = guard();
        guard.writeGate().beforeWrite("PATCH", "/vpcs/v/routing_tables/t/routes/r");

        assertThat(guard.refusal()).isEmpty();
        assertThat(membershipAsked).as("no crm_node on the failover path").hasValue(0);
        assertThat(log.lines()).isEmpty();
    }

    @Test
    void takenByANodeThisPartitionCannotSeeIsNotTakenBack() {
        guard().afterMonitor(MonitorResult.notRunning("route vip-us-south-1 in r006-x delivers to 10.240.0.5"), false);
        cluster = Optional.of(PARTITIONED);
        now = now.plusSeconds(2);

        SplitBrainGuard start = guard();
        WriteGate gate = start.writeGate();
        assertThatThrownBy(() -> gate.beforeWrite("PATCH", "/vpcs/v/routing_tables/t/routes/r"))
                .isInstanceOfSatisfying(
                        CloudException.class,
                        e -> assertThat(e.cloudErrorKind()).isEqualTo(CloudErrorKind.PERMISSION));
        assertThatThrownBy(() -> gate.beforeWrite("PATCH", "/floating_ips/f"))
                .as("every later write of the same start too")
                .isInstanceOf(CloudException.class);

        assertThat(start.refusal())
                .hasValue("not taking it back from node2 (offline to node1): split brain? configure fencing");
        assertThat(start.refusal().get()).hasSizeLessThan(128).doesNotContain("r006");
        assertThat(log.lines())
                .singleElement()
                .asString()
                .startsWith("ERROR vip was taken away from node1 2 s ago; not taking it back from node2")
                .contains("split brain? configure fencing")
                .contains("crm_resource --cleanup vip");
        assertThat(membershipAsked).hasValue(1);
    }

    @Test
    void inAClusterThatFencesALostNodeWasFencedBeforeThisStart() throws Exception {
        guard().afterMonitor(MonitorResult.notRunning("moved"), false);
        cluster = Optional.of(ClusterMembership.parse("1 node1 member\n2 node2 lost\n", true));

        SplitBrainGuard start = guard();
        start.writeGate().beforeWrite("PATCH", "/r");
        assertThat(start.refusal())
                .as("node2 died and was fenced: a real failover")
                .isEmpty();
        assertThat(log.text()).contains("node2 is lost and the cluster fences: taking it over");
    }

    @Test
    void aFencedOffMonitorRecordsNothingAndForgetsNothing() throws Exception {
        WriteFence closed = () -> {
            throw new WriteFence.Closed("its client gave up");
        };
        Path file = SplitBrainGuard.fileOf(stateRoot, "vip");
        guard(closed).afterMonitor(MonitorResult.notRunning("moved"), false);
        assertThat(file).as("no takeaway after the fact").doesNotExist();

        guard().afterMonitor(MonitorResult.notRunning("moved"), false);
        String recorded = Files.readString(file);
        guard(closed).afterMonitor(MonitorResult.notRunning("moved"), true);
        assertThat(Files.readString(file)).as("a late probe forgets nothing").isEqualTo(recorded);
        try (var names = Files.list(file.getParent())) {
            assertThat(names.map(name -> name.getFileName().toString()))
                    .as("no temporary file left")
                    .containsExactly(file.getFileName().toString());
        }
    }

    @Test
    void pacemakerBooleans() {
        assertThat(ClusterMembership.isTrue("true\n")).isTrue();
        assertThat(ClusterMembership.isTrue("Yes")).isTrue();
        assertThat(ClusterMembership.isTrue("1")).isTrue();
        assertThat(ClusterMembership.isTrue("false")).isFalse();
        assertThat(ClusterMembership.isTrue("0")).isFalse();
    }

    @Test
    void aNodeTakesAResourceBackOnlyOncePerWindow() throws Exception {
        guard().afterMonitor(MonitorResult.notRunning("moved"), false);
        now = now.plusSeconds(5);
        SplitBrainGuard first = guard();
        first.writeGate().beforeWrite("PATCH", "/r");
        assertThat(first.refusal()).as("taken once (by hand?), taken back once").isEmpty();
        assertThat(log.text()).contains("WARNING vip was taken away from node1 5 s ago; taking it back");

        now = now.plusSeconds(60);
        guard().afterMonitor(MonitorResult.notRunning("moved again"), false);
        now = now.plusSeconds(5);
        SplitBrainGuard second = guard();
        assertThatThrownBy(() -> second.writeGate().beforeWrite("PATCH", "/r")).isInstanceOf(CloudException.class);
        assertThat(second.refusal())
                .hasValue("taken from node1 again 5 s after it took it back (members node1,node2): "
                        + "split brain? configure fencing");
    }

    @Test
    void takeawaysOlderThanTheWindowAreForgotten() throws Exception {
        guard().afterMonitor(MonitorResult.notRunning("moved"), false);
        cluster = Optional.of(PARTITIONED);
        now = now.plus(SplitBrainGuard.WINDOW).plusSeconds(1);

        SplitBrainGuard later = guard();
        later.writeGate().beforeWrite("PATCH", "/r");
        assertThat(later.refusal()).isEmpty();
    }

    @Test
    void aProbeForgetsTheTakeaways() throws Exception {
        guard().afterMonitor(MonitorResult.notRunning("moved"), false);
        cluster = Optional.of(PARTITIONED);
        guard().afterMonitor(MonitorResult.notRunning("not started here"), true); // crm_resource --cleanup

        SplitBrainGuard start = guard();
        start.writeGate().beforeWrite("PATCH", "/r");
        assertThat(start.refusal()).isEmpty();
    }

    @Test
    void runningAndDegradedMonitorsRecordNothing() throws Exception {
        guard().afterMonitor(MonitorResult.running(), false);
        guard().afterMonitor(MonitorResult.degraded("API unreachable"), false);
        cluster = Optional.of(PARTITIONED);

        SplitBrainGuard start = guard();
        start.writeGate().beforeWrite("PATCH", "/r");
        assertThat(start.refusal()).isEmpty();
    }

    @Test
    void unknownMembershipStillBoundsTheTakebacks() throws Exception {
        cluster = Optional.empty(); // crm_node did not answer
        guard().afterMonitor(MonitorResult.notRunning("moved"), false);
        guard().writeGate().beforeWrite("PATCH", "/r");
        guard().afterMonitor(MonitorResult.notRunning("moved"), false);

        SplitBrainGuard third = guard();
        assertThatThrownBy(() -> third.writeGate().beforeWrite("PATCH", "/r")).isInstanceOf(CloudException.class);
        assertThat(third.refusal())
                .hasValueSatisfying(reason -> assertThat(reason)
                        .startsWith("taken from node1 again")
                        .endsWith("split brain? configure fencing"));
    }

    @Test
    void aDamagedFileRemembersNothingAndALinkIsReplacedNotFollowed() throws Exception {
        Path file = SplitBrainGuard.fileOf(stateRoot, "vip");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "takeaways=\\u12");
        cluster = Optional.of(PARTITIONED);
        SplitBrainGuard start = guard();
        start.writeGate().beforeWrite("PATCH", "/r");
        assertThat(start.refusal()).isEmpty();

        Path elsewhere = Files.writeString(stateRoot.resolve("elsewhere"), "keep");
        Files.delete(file);
        Files.createSymbolicLink(file, elsewhere);
        guard().afterMonitor(MonitorResult.notRunning("moved"), false);
        assertThat(Files.readString(elsewhere, StandardCharsets.UTF_8)).isEqualTo("keep");
        assertThat(Files.isSymbolicLink(file)).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void theFileSitsBesideTheResourceDirectoriesAndCannotBeOne() {
        assertThat(SplitBrainGuard.fileOf(Path.of("/run/resource-agents"), "vip-route"))
                .isEqualTo(Path.of("/run/resource-agents/vpc-ha/.split-brain-vip-route"));
        assertThat(SplitBrainGuard.fileOf(Path.of("/r"), ".x")).isEqualTo(Path.of("/r/vpc-ha/.split-brain-_x"));
    }

    @Test
    void membershipIsReadFromCrmNodeList() {
        ClusterMembership membership =
                ClusterMembership.parse("1 node1 member\n2 node2 lost\n3 node3 member\n\ngarbage\n");
        assertThat(membership.members()).containsExactlyInAnyOrder("node1", "node3");
        assertThat(membership.lostPeersOf("node1")).isEqualTo(Set.of("node2"));
        assertThat(membership.lostPeersOf("node2")).isEmpty();
        assertThat(membership.signature()).isEqualTo("node1,node3");
    }

    private SplitBrainGuard guard() {
        return guard(WriteFence.OPEN);
    }

    private SplitBrainGuard guard(WriteFence fence) {
        return new SplitBrainGuard(
                SplitBrainGuard.fileOf(stateRoot, "vip"),
                "node1",
                "vip",
                () -> {
                    membershipAsked.incrementAndGet();
                    return cluster;
                },
                Clock.fixed(now, ZoneOffset.UTC),
                log,
                fence);
    }
}
