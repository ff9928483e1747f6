package io.vpcha.host.accelerator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.ocf.OcfEnvironment;
import io.vpcha.host.ocf.OcfExitCode;
import io.vpcha.host.testing.Command;
import io.vpcha.host.testing.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's client ({@code distribution/src/bin/vpc-ha}, run by {@code sh} with {@code socat}) against
 * a real accelerator and against one that is absent, killed or hung: a monitor answers warm when it can,
 * falls back to the cold path otherwise, and a stop never asks the service.
 *
 * <p>The cold path here is a stand-in {@code java} (VPC_HA_JAVA) that only says it ran and exits with
 * {@value #COLD_CODE}: what is under test is which path the launcher takes and when, not the cold JVM,
 * which the ocf module's integration tests run for real.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TestAcceleratorLauncher {
    private static final Path LAUNCHER = Path.of("..", "distribution", "src", "bin", "vpc-ha");
    private static final int COLD_CODE = 42;
    /** The launcher's wait for a word from the service in these tests. */
    private static final String WAIT_SECONDS = "0.5";

    @TempDir
    Path root;

    private AcceleratorFixture accelerator;
    private Path home;

    @BeforeEach
    void start() throws IOException {
        accelerator = new AcceleratorFixture(root.resolve("service"), Duration.ofMinutes(10));
        home = Files.createDirectories(root.resolve("home"));
        Path java = home.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"cold path: $*\" >&2\nexit " + COLD_CODE + "\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
    }

    @AfterEach
    void stop() throws IOException {
        accelerator.close();
    }

    @Test
    void aMonitorAnswersFromTheService() {
        Command.Result result = launch("monitor", accelerator.socket);
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(OcfExitCode.NOT_RUNNING);
        assertThat(result.stderr()).doesNotContain("cold path");
    }

    @Test
    void aMonitorTheServiceAnswersNeedsNoJavaRuntime() {
        // the launcher looks for a runtime only on the cold path: a warm monitor starts no process for it
        Command.Result warm = launch(
                "monitor",
                accelerator.socket,
                "VPC_HA_JAVA",
                root.resolve("no-java").toString());
        assertThat(warm.exitCode()).as(warm.toString()).isEqualTo(OcfExitCode.NOT_RUNNING);

        Command.Result cold = launch(
                "monitor",
                root.resolve("no-such.sock"),
                "VPC_HA_JAVA",
                root.resolve("no-java").toString());
        assertThat(cold.exitCode()).as(cold.toString()).isEqualTo(OcfExitCode.ERR_INSTALLED);
        assertThat(cold.stderr()).contains("ocf-exit-reason:no Java runtime found");
    }

    @Test
    void anAbsentServiceMeansTheColdPath() {
        Command.Result result = launch("monitor", root.resolve("no-such.sock"));
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(COLD_CODE);
    }

    @Test
    void aKilledServiceMeansTheColdPath() throws IOException {
        Path socket = root.resolve("killed.sock");
        // a socket file whose listener is gone, as SIGKILL leaves it
        ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                .bind(UnixDomainSocketAddress.of(socket))
                .close();
        assertThat(socket).exists();
        Command.Result result = launch("monitor", socket);
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(COLD_CODE);
    }

    @Test
    void aHungServiceCostsAMonitorOnlyTheWait() throws IOException {
        Path socket = root.resolve("hung.sock");
        // listening, never answering: the kernel completes the connection, as for a SIGSTOPped service
        try (ServerSocketChannel hung = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            hung.bind(UnixDomainSocketAddress.of(socket));
            Instant before = Instant.now();
            Command.Result result = launch("monitor", socket);
            Duration took = Duration.between(before, Instant.now());
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(COLD_CODE);
            // the wait, plus sh and socat; far below any monitor's timeout
            assertThat(took).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aServiceHungUntilItsQueueIsFullStillCostsOnlyTheWait() throws IOException {
        Path socket = root.resolve("full.sock");
        List<SocketChannel> queued = new ArrayList<>();
        try (ServerSocketChannel hung = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            hung.bind(UnixDomainSocketAddress.of(socket), 1);
            // connections nobody accepts, until the queue takes no more: a Unix socket then makes a
            // blocking connect() wait instead of refusing it
            boolean full = false;
            while (!full && queued.size() < 64) {
                SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX);
                client.configureBlocking(false);
                try {
                    full = !client.connect(UnixDomainSocketAddress.of(socket));
                    queued.add(client);
                } catch (IOException queueFull) {
                    client.close();
                    full = true;
                }
            }
            assertThat(full).as("the listen queue filled up").isTrue();
            Instant before = Instant.now();
            Command.Result result = launch("monitor", socket);
            Duration took = Duration.between(before, Instant.now());
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(COLD_CODE);
            assertThat(took).isLessThan(Duration.ofSeconds(5));
        } finally {
            for (SocketChannel client : queued) {
                client.close();
            }
        }
    }

    @Test
    void aServiceSilentForTheWholeWaitIsKilledAndASocketActivationAsked() throws Exception {
        Path socket = root.resolve("hung.sock");
        // the hung service: its listener never accepts (as a SIGSTOPped one's); the process its
        // watchdog file names is a stand-in, so that the test sees what the launcher does to it
        Process service = standIn();
        try (ServerSocketChannel hung = listening(socket)) {
            writeWatchdogFile(socket, service);

            Command.Result result = launch("monitor", socket);

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(COLD_CODE);
            assertThat(service.waitFor(10, TimeUnit.SECONDS))
                    .as("the hung service killed")
                    .isTrue();
            assertThat(service.exitValue()).as("by SIGKILL").isEqualTo(128 + 9);
            assertThat(result.stderr())
                    .contains("the accelerator (pid " + service.pid() + ") said nothing for 0.5 s: killed it");
            // what the socket holds now: the monitor's request, then a connection without one, which
            // makes socket activation start a fresh service
            hung.configureBlocking(false);
            try (SocketChannel monitor = hung.accept();
                    SocketChannel wakeUp = hung.accept()) {
                assertThat(monitor).isNotNull();
                assertThat(wakeUp).as("a connection after the monitor's").isNotNull();
                assertThat(Channels.newInputStream(monitor).readAllBytes()).isNotEmpty();
                assertThat(Channels.newInputStream(wakeUp).readAllBytes())
                        .as("no request")
                        .isEmpty();
            }
        } finally {
            service.destroyForcibly().waitFor();
        }
    }

    @Test
    void theWatchdogNeverKillsAProcessThatIsNotTheOneItsFileNames() throws Exception {
        Path socket = root.resolve("hung.sock");
        Process other = standIn();
        try (ServerSocketChannel hung = listening(socket)) {
            // a service that ended, and a process that got its pid later: another start time
            writeWatchdogFile(socket, other.pid(), startTicks(other) - 1, startTicks(other) - 1);
            assertThat(launch("monitor", socket).exitCode()).isEqualTo(COLD_CODE);
            assertThat(other.isAlive())
                    .as("another start time: not the service")
                    .isTrue();

            // a service that began to serve after the launcher started: it was starting while the
            // launcher waited, not hung
            long later = ProcessAge.uptimeTicks(Path.of("/proc")) + 6000;
            Files.delete(AcceleratorService.watchdogFile(socket));
            writeWatchdogFile(socket, other.pid(), startTicks(other), later);
            assertThat(launch("monitor", socket).exitCode()).isEqualTo(COLD_CODE);
            assertThat(other.isAlive())
                    .as("serving only since after the launcher started")
                    .isTrue();

            // the right file, but only through a link: not followed
            Path elsewhere = root.resolve("elsewhere.pid");
            Files.writeString(elsewhere, other.pid() + " " + startTicks(other) + " " + startTicks(other) + "\n");
            Files.delete(AcceleratorService.watchdogFile(socket));
            Files.createSymbolicLink(AcceleratorService.watchdogFile(socket), elsewhere);
            assertThat(launch("monitor", socket).exitCode()).isEqualTo(COLD_CODE);
            assertThat(other.isAlive()).as("a link: not followed").isTrue();
            hung.configureBlocking(false);
            try (SocketChannel asked = hung.accept()) {
                assertThat(asked).as("the launchers asked the silent service").isNotNull();
            }
        } finally {
            other.destroyForcibly().waitFor();
        }
    }

    @Test
    void aServiceThatSendsItsHeartbeatsIsNeverKilledHoweverLongItTakes() throws Exception {
        Path socket = root.resolve("slow.sock");
        Process service = standIn();
        try (ServerSocketChannel slow = listening(socket)) {
            writeWatchdogFile(socket, service);
            // a heartbeat every 0.1 s for three times the wait; then the answer, or (the second time) the
            // end of the connection without one, as a service whose action failed in it
            for (String last : List.of("1 still running\nend 0\n", "")) {
                Thread serving = new Thread(() -> {
                    try (SocketChannel connection = slow.accept()) {
                        Channels.newInputStream(connection).readAllBytes();
                        for (int i = 0; i < 15; i++) {
                            connection.write(ByteBuffer.wrap(".\n".getBytes(StandardCharsets.UTF_8)));
                            Thread.sleep(100);
                        }
                        connection.write(ByteBuffer.wrap(last.getBytes(StandardCharsets.UTF_8)));
                    } catch (IOException | InterruptedException e) {
                        // the launcher's side went away: the assertions below say what happened
                    }
                });
                serving.start();
                Command.Result result = launch("monitor", socket);
                serving.join();
                assertThat(result.exitCode())
                        .as(result.toString())
                        .isEqualTo(last.isEmpty() ? COLD_CODE : OcfExitCode.SUCCESS);
                assertThat(service.isAlive()).as("heard all along: not hung").isTrue();
                assertThat(result.stderr()).doesNotContain("killed");
            }
        } finally {
            service.destroyForcibly().waitFor();
        }
    }

    /** A process that stands for the service a watchdog file names: the test sees what the launcher does to it. */
    private static Process standIn() throws IOException {
        return new ProcessBuilder("sleep", "60").start();
    }

    /** A listener on {@code socket} that the test answers itself, or never (a hung service's). */
    private static ServerSocketChannel listening(Path socket) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(socket));
        return listener;
    }

    /** The watchdog file of {@code service}, serving since it started (before any launcher of the test). */
    private static void writeWatchdogFile(Path socket, Process service) throws IOException {
        writeWatchdogFile(socket, service.pid(), startTicks(service), startTicks(service));
    }

    /** The service's watchdog file: its pid, its start and when it began to serve (clock ticks after boot). */
    private static void writeWatchdogFile(Path socket, long pid, long startTicks, long servingTicks)
            throws IOException {
        Path file = AcceleratorService.watchdogFile(socket);
        Files.writeString(file, pid + " " + startTicks + " " + servingTicks + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private static long startTicks(Process process) throws IOException {
        return ProcessAge.startTicks(process.pid(), Path.of("/proc"));
    }

    @Test
    void aServiceThatDiesMidActionMeansTheColdPath() throws Exception {
        Path socket = root.resolve("dying.sock");
        try (ServerSocketChannel dying = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dying.bind(UnixDomainSocketAddress.of(socket));
            // as a service killed while it runs the action: a heartbeat, a line of output, then the end
            // of the connection without "end"
            Thread service = new Thread(() -> {
                try (SocketChannel connection = dying.accept()) {
                    Channels.newInputStream(connection).readAllBytes();
                    connection.write(ByteBuffer.wrap(".\n2 half of it\n".getBytes(StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    // the launcher's side went away: the assertions below say what happened
                }
            });
            service.start();
            Command.Result result = launch("monitor", socket);
            service.join();
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(COLD_CODE);
            assertThat(result.stderr()).as("nothing of the cut-off reply").doesNotContain("half of it");
        }
    }

    @Test
    void theRequestCarriesOnlyWhatTheHostReadsOfTheEnvironment() throws Exception {
        // fake, but secrets all the same: compared, never printed (a failure shows them masked)
        Map<String, String> secrets = Map.of(
                "OCF_RESKEY_api_key", "k3y-THAT-must-never-show", "IBMCLOUD_API_KEY", "another-key-of-the-shell");
        Path socket = root.resolve("recording.sock");
        try (ServerSocketChannel recording = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            recording.bind(UnixDomainSocketAddress.of(socket));
            // reads the request and closes without an answer: the launcher then runs the monitor cold
            CompletableFuture<AcceleratorRequest> asked = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel connection = recording.accept()) {
                    return AcceleratorRequest.read(Channels.newInputStream(connection));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Command.Result result = launch(
                    "monitor",
                    socket,
                    "OCF_RESKEY_api_key",
                    secrets.get("OCF_RESKEY_api_key"),
                    "OCF_CHECK_LEVEL",
                    "10",
                    "HA_debug",
                    "0",
                    "IBMCLOUD_API_KEY",
                    secrets.get("IBMCLOUD_API_KEY"),
                    "SSH_AUTH_SOCK",
                    "/tmp/ssh-agent",
                    "HAPPY",
                    "1",
                    "VPC_HA_ACCELERATOR_WAIT",
                    "");
            String shownResult = Secrets.masked(result.toString(), secrets);
            assertThat(result.exitCode()).as(shownResult).isEqualTo(COLD_CODE);

            Map<String, String> sent = asked.get(30, TimeUnit.SECONDS).environment();
            Map<String, String> shownSent = new TreeMap<>();
            sent.forEach((name, value) -> shownSent.put(name, Secrets.masked(value, secrets)));
            assertThat(secrets.get("OCF_RESKEY_api_key").equals(sent.get("OCF_RESKEY_api_key")))
                    .as("the request carries OCF_RESKEY_api_key unchanged; it carries %s", shownSent)
                    .isTrue();
            assertThat(shownSent)
                    .as("what the host reads of an action's environment")
                    .containsEntry("OCF_CHECK_LEVEL", "10")
                    .containsEntry("HA_debug", "0")
                    .containsEntry("OCF_RESOURCE_INSTANCE", "vip1")
                    .as("the wait the launcher used, its default where the variable is empty")
                    .containsEntry("VPC_HA_ACCELERATOR_WAIT", "0.5")
                    .containsKeys("HA_RSCTMP", "VPC_HA_PLUGINS", "OCF_RESKEY_strategy");
            assertThat(sent.keySet())
                    .as("nothing else of the launcher's environment")
                    .allMatch(name -> name.startsWith("OCF_") || name.startsWith("HA_") || name.startsWith("VPC_HA_"))
                    .doesNotContain("IBMCLOUD_API_KEY", "SSH_AUTH_SOCK", "HAPPY", "PATH", "LC_ALL");
            secrets.forEach((name, value) -> assertThat(result.output().contains(value))
                    .as("the launcher's output shows the value of %s (masked here):%n%s", name, shownResult)
                    .isFalse());
        }
    }

    @Test
    void aPromotableInstancesMonitorNeverAsksTheServiceWhicheverWayTheCloneSaysSo() throws IOException {
        Path socket = root.resolve("listening.sock");
        List<Map.Entry<String, String>> promotable = List.of(
                Map.entry("OCF_RESKEY_CRM_meta_promotable", "true"),
                Map.entry("OCF_RESKEY_CRM_meta_promotable", "TRUE"),
                Map.entry("OCF_RESKEY_CRM_meta_promotable", "yes"),
                Map.entry("OCF_RESKEY_CRM_meta_promotable", "on"),
                Map.entry("OCF_RESKEY_CRM_meta_promotable", "1"),
                Map.entry("OCF_RESKEY_CRM_meta_promotable", "y"),
                Map.entry("OCF_RESKEY_CRM_meta_promoted_max", "1"),
                Map.entry("OCF_RESKEY_CRM_meta_master_max", "1"));
        // listening, never accepting: a connection the launcher made stays in the queue
        try (ServerSocketChannel listening = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listening.bind(UnixDomainSocketAddress.of(socket));
            listening.configureBlocking(false);
            for (Map.Entry<String, String> meta : promotable) {
                assertThat(new OcfEnvironment(Map.ofEntries(meta)).promotable())
                        .as("the host: %s", meta)
                        .isTrue();
                Command.Result result = launch("monitor", socket, meta.getKey(), meta.getValue());
                assertThat(result.exitCode()).as(result.toString()).isEqualTo(COLD_CODE);
                assertThat(listening.accept())
                        .as("the launcher asked the service for %s", meta)
                        .isNull();
            }

            Map.Entry<String, String> notPromotable = Map.entry("OCF_RESKEY_CRM_meta_promotable", "false");
            assertThat(new OcfEnvironment(Map.ofEntries(notPromotable)).promotable())
                    .isFalse();
            Command.Result result = launch("monitor", socket, notPromotable.getKey(), notPromotable.getValue());
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(COLD_CODE);
            try (SocketChannel asked = listening.accept()) {
                assertThat(asked).as("a primitive's monitor asks").isNotNull();
            }
        }
    }

    @Test
    void aStopNeverAsksTheService() throws IOException {
        Path socket = root.resolve("hung.sock");
        try (ServerSocketChannel hung = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            hung.bind(UnixDomainSocketAddress.of(socket));
            Command.Result result = launch("stop", socket);
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(COLD_CODE);
        }
        Command.Result warm = launch("stop", accelerator.socket);
        assertThat(warm.exitCode()).as("even with a working service: " + warm).isEqualTo(COLD_CODE);
    }

    @Test
    void aRefusalMeansTheColdPath() {
        Command.Result result = launch("monitor", accelerator.socket, "OCF_RESKEY_CRM_meta_promotable", "true");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(COLD_CODE);
    }

    /**
     * The launcher of the service's installation (VPC_HA_HOME), asking {@code socket}, for resource vip1;
     * {@code extra}: more variables, NAME VALUE ..., over those.
     */
    private Command.Result launch(String action, Path socket, String... extra) {
        List<String> variables = new ArrayList<>(
                List.of("VPC_HA_HOME", accelerator.root.toString(), "VPC_HA_ACCELERATOR", socket.toString()));
        variables.addAll(List.of(extra));
        return launchWith(LAUNCHER, action, variables.toArray(String[]::new));
    }

    /**
     * {@code launcher} for resource vip1, with neither VPC_HA_HOME (the launcher's own folder says it) nor
     * VPC_HA_ACCELERATOR (its ACCELERATOR_SOCKET) unless {@code extra} gives them.
     */
    private Command.Result launchWith(Path launcher, String action, String... extra) {
        Command command = Command.of("sh", launcher.toString(), "ocf", action)
                .cleanEnvironment()
                .env("VPC_HA_JAVA", home.resolve("java").toString())
                .env("VPC_HA_ACCELERATOR_WAIT", WAIT_SECONDS)
                .timeout(Duration.ofSeconds(30));
        for (Map.Entry<String, String> variable :
                accelerator.environment("state-file").entrySet()) {
            if (!variable.getKey().equals("VPC_HA_HOME")) {
                command.env(variable.getKey(), variable.getValue());
            }
        }
        for (int i = 0; i < extra.length; i += 2) {
            command.env(extra[i], extra[i + 1]);
        }
        return command.run();
    }

    /**
     * A copy of the launcher in the service's installation ({@code bin/vpc-ha}), whose switch names the
     * service's socket instead of the packages' (docs/accelerator.md, "The switch").
     */
    private Path installedLauncherAskingTheService() throws IOException {
        String line = "ACCELERATOR_SOCKET=/run/vpc-ha/agent.sock\n";
        String script = Files.readString(LAUNCHER);
        assertThat(script).as("the shipped default, once").containsOnlyOnce(line);
        Path copy = Files.createDirectories(accelerator.root.resolve("bin")).resolve("vpc-ha");
        Files.writeString(copy, script.replace(line, "ACCELERATOR_SOCKET='" + accelerator.socket + "'\n"));
        return copy;
    }

    @Test
    void unsetTheSwitchAsksTheDefaultSocket() throws IOException {
        // as the packages run it: no VPC_HA_ACCELERATOR, no VPC_HA_HOME (the launcher's folder says it,
        // and the request carries it: the service answers only its own installation)
        Command.Result result = launchWith(installedLauncherAskingTheService(), "monitor");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(OcfExitCode.NOT_RUNNING);
        assertThat(result.stderr()).doesNotContain("cold path");
    }

    @Test
    void anEmptySwitchNeverAsksTheService() throws IOException {
        Command.Result result = launchWith(installedLauncherAskingTheService(), "monitor", "VPC_HA_ACCELERATOR", "");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(COLD_CODE);
        assertThat(result.stderr()).contains("cold path");
    }

    @Test
    void aMonitorOfAnotherInstallationRunsCold() throws IOException {
        // another installation's launcher, asking the same socket: the service refuses it, so it runs its
        // own code and plugins cold (its strategy may be one the service's installation has not)
        Path other = Files.createDirectories(root.resolve("other-installation"));
        Command.Result result = launch("monitor", accelerator.socket, "VPC_HA_HOME", other.toString());
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(COLD_CODE);
        assertThat(result.stderr()).contains("cold path");

        Path link = Files.createSymbolicLink(root.resolve("link-to-service"), accelerator.root);
        Command.Result same = launch("monitor", accelerator.socket, "VPC_HA_HOME", link.toString());
        assertThat(same.exitCode())
                .as("the same installation by another name: warm: %s", same)
                .isEqualTo(OcfExitCode.NOT_RUNNING);
    }
}
