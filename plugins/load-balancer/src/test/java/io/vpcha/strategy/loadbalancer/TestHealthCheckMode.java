package io.vpcha.strategy.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.doctor.Check;
import io.vpcha.host.testing.SimulatedCluster.Outcome;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.time.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mode=health-check: the listener on health_port makes the simulator's real TCP health checks find
 * exactly the active node healthy, and no action but validate-all at level 10 calls the cloud. Health
 * checks run when the test advances the simulator's clock, never by sleeping.
 */
class TestHealthCheckMode {
    private static final ManualClock CLOCK = new ManualClock();
    private static int healthPort;
    private static VpcSimulator simulator;

    @TempDir
    Path work;

    private LoadBalancerCluster cluster;

    @BeforeAll
    static void startSimulator() {
        healthPort = LoadBalancerCluster.freePort();
        simulator = LoadBalancerCluster.healthCheckSimulator(CLOCK, healthPort, LoadBalancerCluster.freePort());
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    @BeforeEach
    void reset() {
        simulator.reset();
        cluster = new LoadBalancerCluster(simulator, work, healthPort);
    }

    @AfterEach
    void stopEverywhere() {
        // never leave a listener behind, whatever the test did
        for (String node : new String[] {"node-a", "node-b", "node-c"}) {
            cluster.stop(node, cluster.healthCheck(node));
        }
    }

    /** Lets the health monitor run the rounds that mark a member faulted (delay 2 s x max_retries 2). */
    private void runHealthChecks() {
        for (int round = 0; round < 2; round++) {
            CLOCK.advance(Duration.ofSeconds(2));
        }
    }

    @Test
    void failoverBothWaysFollowsTheHealthChecksWithoutAnyCloudCall() {
        Map<String, String> onA = cluster.healthCheck("node-a");
        Map<String, String> onB = cluster.healthCheck("node-b");
        runHealthChecks();
        assertThat(cluster.deliveredTo("hc-pool"))
                .as("no node active: no member healthy")
                .isEmpty();

        Outcome startA = cluster.start("node-a", onA);
        assertThat(startA.code()).as(startA.toString()).isZero();
        assertThat(startA.cloudRequests())
                .as("health-check mode calls no cloud")
                .isZero();
        runHealthChecks();
        assertThat(cluster.deliveredTo("hc-pool")).hasValue("node-a");
        assertThat(cluster.monitor("node-a", onA).code()).isZero();
        assertThat(cluster.probe("node-b", onB).code()).isEqualTo(7);

        Outcome stopA = cluster.stop("node-a", onA);
        Outcome startB = cluster.start("node-b", onB);
        assertThat(stopA.code()).isZero();
        assertThat(startB.code()).as(startB.toString()).isZero();
        runHealthChecks();
        assertThat(cluster.deliveredTo("hc-pool")).hasValue("node-b");
        assertThat(cluster.probe("node-a", onA).code()).isEqualTo(7);
        Outcome monitorB = cluster.monitor("node-b", onB);
        assertThat(monitorB.code()).isZero();

        assertThat(cluster.stop("node-b", onB).code()).isZero();
        assertThat(cluster.start("node-a", onA).code()).isZero();
        runHealthChecks();
        assertThat(cluster.deliveredTo("hc-pool")).hasValue("node-a");
        for (Outcome outcome : new Outcome[] {stopA, startB, monitorB}) {
            assertThat(outcome.cloudRequests()).as(outcome.toString()).isZero();
        }
    }

    @Test
    void theListenerRunsInASessionOfItsOwnWithoutTheAgentsEnvironment() throws IOException {
        Map<String, String> onA = cluster.healthCheck("node-a");
        assertThat(cluster.start("node-a", onA).code()).isZero();

        ProcessHandle listener = listener().orElseThrow();
        String stat = Files.readString(Path.of("/proc", Long.toString(listener.pid()), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
        assertThat(fields[3]).as("session id: its own").isEqualTo(Long.toString(listener.pid()));
        String environment = Files.readString(Path.of("/proc", Long.toString(listener.pid()), "environ"));
        assertThat(environment).doesNotContain(LoadBalancerCluster.API_KEY).doesNotContain("OCF_RESKEY");
        assertThat(listener.info().command())
                .hasValueSatisfying(command -> assertThat(command).endsWith("/socat"));
    }

    @Test
    void startTwiceKeepsTheOneListenerAndStopTwiceSucceeds() throws Exception {
        Map<String, String> onA = cluster.healthCheck("node-a");
        assertThat(cluster.start("node-a", onA).code()).isZero();
        long pid = listener().orElseThrow().pid();

        Outcome again = cluster.start("node-a", onA);

        assertThat(again.code()).isZero();
        assertThat(again.result().stderr()).contains("already serves");
        assertThat(listener().orElseThrow().pid()).isEqualTo(pid);
        assertThat(cluster.stop("node-a", onA).code()).isZero();
        assertEnded(pid);
        assertThat(cluster.stop("node-a", onA).code()).isZero();
        assertThat(cluster.probe("node-a", onA).code()).isEqualTo(7);
    }

    @Test
    void aPortTakenBySomethingElseIsRefusedAndLeftAlone() throws IOException {
        Map<String, String> onA = cluster.healthCheck("node-a");
        try (ServerSocket other = new ServerSocket()) {
            other.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.11"), healthPort));

            Outcome start = cluster.start("node-a", onA);

            assertThat(start.code()).isEqualTo(2);
            assertThat(start.reason())
                    .startsWith("health_port " + healthPort + " is taken by another program on this node (pid "
                            + ProcessHandle.current().pid());
            assertThat(other.isClosed()).isFalse();
            assertThat(cluster.probe("node-a", onA).code()).isEqualTo(7);
        }
    }

    @Test
    void aListenerOnTheSamePortOfAnotherAddressIsNoConflictAndAnAddressNotOfThisNodeIsRefused() {
        Map<String, String> onA = cluster.healthCheck("node-a");
        Map<String, String> onB = cluster.healthCheck("node-b");
        assertThat(cluster.start("node-a", onA).code()).isZero();

        Outcome startB = cluster.start("node-b", onB);

        assertThat(startB.code()).as(startB.toString()).isZero();
        assertThat(cluster.monitor("node-a", onA).code()).isZero();
        assertThat(cluster.monitor("node-b", onB).code()).isZero();

        Outcome foreign = cluster.start("node-c", cluster.healthCheck("node-c", "health_address", "192.0.2.1"));
        assertThat(foreign.code()).isEqualTo(2);
        assertThat(foreign.reason()).startsWith("health_address is no address of this node");
    }

    @Test
    void aListenerKilledUnderTheAgentIsNotRunningAndAStartOpensItAgain() throws Exception {
        Map<String, String> onA = cluster.healthCheck("node-a");
        assertThat(cluster.start("node-a", onA).code()).isZero();
        ProcessHandle listener = listener().orElseThrow();
        listener.destroyForcibly();
        listener.onExit().get(10, TimeUnit.SECONDS);

        Outcome monitor = cluster.monitor("node-a", onA);

        assertThat(monitor.code()).isEqualTo(7);
        assertThat(monitor.reason())
                .contains("health listener (socat, pid " + listener.pid())
                .endsWith("is gone");
        assertThat(cluster.stop("node-a", onA).code()).isZero();
        assertThat(cluster.start("node-a", onA).code()).isZero();
        assertThat(cluster.monitor("node-a", onA).code()).isZero();
    }

    @Test
    void aListenerWhoseRecordWasLostIsAdoptedByStartAndEndedByStop() throws Exception {
        Map<String, String> onA = cluster.healthCheck("node-a");
        assertThat(cluster.start("node-a", onA).code()).isZero();
        long pid = listener().orElseThrow().pid();
        deleteTree(work.resolve("node-a").resolve("run"));

        Outcome start = cluster.start("node-a", onA);

        assertThat(start.code()).as(start.toString()).isZero();
        assertThat(start.result().stderr()).contains("held by this resource's listener (pid " + pid + ")");
        deleteTree(work.resolve("node-a").resolve("run"));
        assertThat(cluster.stop("node-a", onA).code()).isZero();
        assertEnded(pid);
    }

    @Test
    void anHttpHealthMonitorGetsItsTwoHundred() throws IOException {
        Map<String, String> onA = cluster.healthCheck("node-a");
        assertThat(cluster.start("node-a", onA).code()).isZero();

        try (Socket socket = new Socket("127.0.0.11", healthPort)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream()
                    .write("GET /health HTTP/1.1\r\nHost: x\r\nUser-Agent: test\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.0 200 OK\r\n").endsWith("\r\n\r\n");
        }
    }

    @Test
    void validateAllAtLevelTenChecksThePoolAndItsHealthMonitor() {
        Outcome good = cluster.validate("node-a", cluster.healthCheck("node-a"), 10);
        assertThat(good.code()).as(good.toString()).isZero();
        assertThat(good.result().stderr()).contains("after at most about 4 s (delay x max_retries)");

        Outcome wrongPort = cluster.validate(
                "node-a", cluster.healthCheck("node-a", "health_port", Integer.toString(healthPort + 1)), 10);
        assertThat(wrongPort.code()).isEqualTo(6);
        assertThat(wrongPort.reason())
                .contains("health monitor probes port " + healthPort + ", not health_port " + (healthPort + 1));

        Outcome notMember = cluster.validate("node-c", cluster.healthCheck("node-c"), 10);
        assertThat(notMember.code()).isEqualTo(2);
        assertThat(notMember.reason()).startsWith("this node node-c is no member of pool hc-pool");

        Outcome noPool = cluster.validate("node-a", cluster.healthCheck("node-a", "pool", "nope"), 10);
        assertThat(noPool.code()).isEqualTo(6);
        assertThat(noPool.reason()).startsWith("no pool with id or name nope in load balancer app-lb");

        Outcome failed = cluster.validate(
                "node-a", cluster.healthCheck("node-a", "load_balancer", "broken-lb", "pool", "pool"), 10);
        assertThat(failed.code()).isEqualTo(6);
        assertThat(failed.reason()).contains("provisioning_status failed");

        Outcome levelZero = cluster.validate("node-a", cluster.healthCheck("node-a"), 0);
        assertThat(levelZero.code()).isZero();
        assertThat(levelZero.cloudRequests()).isZero();
    }

    @Test
    void doctorPassesASoundResourceAndReportsAMonitorOnAnotherPortWithItsFix() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<Check> sound = cluster.harness.node("node-a").doctor(cluster.healthCheck("node-a"), log);
        List<Check> wrongPort = cluster.harness
                .node("node-a")
                .doctor(
                        cluster.healthCheck("node-a", "health_port", Integer.toString(healthPort + 1)),
                        new ByteArrayOutputStream());

        assertThat(sound).as("%s", sound).noneMatch(check -> check.status() == Check.Status.FAIL);
        assertThat(sound).anySatisfy(check -> {
            assertThat(check.subject()).isEqualTo("load-balancer");
            assertThat(check.status()).isEqualTo(Check.Status.OK);
        });
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("after at most about 4 s (delay x max_retries)");
        assertThat(wrongPort).as("%s", wrongPort).anySatisfy(check -> {
            assertThat(check.subject()).isEqualTo("load-balancer");
            assertThat(check.status()).isEqualTo(Check.Status.FAIL);
            assertThat(check.finding())
                    .contains("health monitor probes port " + healthPort + ", not health_port " + (healthPort + 1)
                            + ": set the monitor's port to " + (healthPort + 1))
                    .contains("ibmcloud is load-balancer-pool-update");
        });
    }

    /**
     * Asserts the listener has ended. Started by the agent in this JVM, it is this JVM's child: stop sees
     * it end as soon as it is a zombie, and the JDK's reaper collects it a moment later, which is waited
     * for here (bounded).
     */
    private static void assertEnded(long pid) throws Exception {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isPresent()) {
            process.get().onExit().get(10, TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }

    /** The process listening on the health port (each test has at most one node's listener open). */
    private Optional<ProcessHandle> listener() {
        return ListeningSockets.system().listener(healthPort).flatMap(ProcessHandle::of);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
