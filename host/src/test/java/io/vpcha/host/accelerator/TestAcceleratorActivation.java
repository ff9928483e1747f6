package io.vpcha.host.accelerator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vpc-ha agent-serve --inherited}: the service adopts the listener its activator (systemd's
 * socket unit) passed as standard input instead of binding one, serves on it, logs what it did, and
 * ends when idle.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TestAcceleratorActivation {
    @TempDir
    Path root;

    @Test
    void servesTheListenerItWasStartedWithAndSaysSo() throws Exception {
        Path plugins = Files.createDirectories(root.resolve("plugins"));
        ActivatorSocket activator = new ActivatorSocket(root.resolve("agent.sock"));
        try (activator) {
            CompletableFuture<Integer> serving = activator.serve(plugins, "--log-actions", "--inherited", "2");

            assertThat(activator.ask("start"))
                    .as("answered on the activator's socket")
                    .containsExactly("refused start always runs cold");
            assertThat(serving.get(30, TimeUnit.SECONDS))
                    .as("idle for 2 s: ends by itself")
                    .isZero();
        }
        assertThat(activator.log())
                .contains("serving on " + activator.socket + " (the activator's socket)")
                .contains("refused start of vip1: start always runs cold")
                .contains("served 0 actions warm, gave up 0, refused 1")
                .contains("idle for 2 s: exiting");
    }

    /**
     * A real process whose standard input is the listener, as systemd starts it: closing a listener the
     * JVM inherited points its standard streams at /dev/null (the JDK detaches them), so the last lines
     * must be said before the close, or the journal never shows them (found under systemd 252).
     */
    @Test
    void aServiceThatInheritedItsListenerSaysItsLastLinesBeforeItClosesIt() throws Exception {
        Path activator = Path.of("/usr/bin/systemd-socket-activate");
        Assumptions.assumeTrue(Files.isExecutable(activator), "systemd-socket-activate (Debian package systemd)");
        Path plugins = Files.createDirectories(root.resolve("plugins"));
        Files.createDirectories(root.resolve("lib"));
        Path socket = root.resolve("agent.sock");
        Path log = root.resolve("service.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        // inetd style: the listener as standard input (and output), as StandardInput=socket gives it
        ProcessBuilder builder = new ProcessBuilder(
                        activator.toString(),
                        "--inetd",
                        "-l",
                        socket.toString(),
                        java,
                        "-Dvpcha.home=" + root,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.vpcha.host.Main",
                        "agent-serve",
                        "--inherited",
                        "1")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(log.toFile());
        builder.environment().put("VPC_HA_PLUGINS", plugins.toString());
        Process service = builder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.exists(socket) && service.isAlive() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(socket)
                    .as("the activator listens: %s", Files.readString(log))
                    .exists();
            assertThat(AcceleratorFixture.askOn(socket, ProcessHandle.current().pid(), "start", ActivatorSocket.VIP1))
                    .containsExactly("refused start always runs cold");
            assertThat(service.waitFor(30, TimeUnit.SECONDS))
                    .as("idle for 1 s: ends by itself")
                    .isTrue();
            assertThat(service.exitValue()).isZero();
        } finally {
            service.destroyForcibly().waitFor();
        }
        assertThat(Files.readString(log))
                .contains("serving on " + socket + " (the activator's socket)")
                .contains("served 0 actions warm, gave up 0, refused 1")
                .contains("idle for 1 s: exiting");
    }

    @Test
    void writesItsWatchdogFileOnceItAcceptsAndTakesTheWatchdogsWakeUpQuietly() throws Exception {
        Path plugins = Files.createDirectories(root.resolve("plugins"));
        ActivatorSocket activator = new ActivatorSocket(root.resolve("agent.sock"));
        try (activator) {
            // the launcher's watchdog after it killed a hung service: a connection without a request
            SocketChannel.open(UnixDomainSocketAddress.of(activator.socket)).close();
            CompletableFuture<Integer> serving = activator.serve(plugins, "--log-actions", "--inherited", "2");

            assertThat(activator.ask("start")).containsExactly("refused start always runs cold");
            long pid = ProcessHandle.current().pid();
            Path file = AcceleratorService.watchdogFile(activator.socket);
            String[] written = Files.readString(file).strip().split(" ");
            assertThat(written)
                    .as("its pid, its start, when it began to serve: before it accepted the wake-up")
                    .hasSize(3)
                    .startsWith(Long.toString(pid), Long.toString(ProcessAge.startTicks(pid, Path.of("/proc"))));
            assertThat(Long.parseLong(written[2]))
                    .isBetween(ProcessAge.startTicks(pid, Path.of("/proc")), ProcessAge.uptimeTicks(Path.of("/proc")));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
            assertThat(serving.get(30, TimeUnit.SECONDS)).isZero();
        }
        assertThat(activator.log())
                .as("the wake-up is no action, refused or given up")
                .contains("served 0 actions warm, gave up 0, refused 1")
                .doesNotContain("no watchdog file");
    }

    @Test
    void writesNoWatchdogFileWhereOthersCouldWrite() throws Exception {
        Path plugins = Files.createDirectories(root.resolve("plugins"));
        Path shared = Files.createDirectories(root.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        ActivatorSocket activator = new ActivatorSocket(shared.resolve("agent.sock"));
        try (activator) {
            CompletableFuture<Integer> serving = activator.serve(plugins, "--inherited", "1");
            assertThat(activator.ask("start")).containsExactly("refused start always runs cold");
            assertThat(serving.get(30, TimeUnit.SECONDS)).isZero();
        }
        assertThat(AcceleratorService.watchdogFile(activator.socket)).doesNotExist();
        assertThat(activator.log()).contains("no watchdog file: " + shared + " is writable");
    }

    @Test
    void refusesAStandardInputThatIsNoListeningUnixSocket() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ServerSocketChannel tcp = ServerSocketChannel.open()) {
            tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int code = AcceleratorMain.run(
                    new String[] {"--inherited"},
                    Map.of("VPC_HA_PLUGINS", root.toString()),
                    System.out,
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    () -> tcp);
            assertThat(code).isEqualTo(1);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("standard input is not a listening Unix socket");
    }

    @Test
    void aBadCommandLineIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(err, true, StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertThat(AcceleratorMain.run(new String[0], Map.of(), outStream, stream, () -> null))
                .isEqualTo(2);
        assertThat(AcceleratorMain.run(new String[] {"--inherited", "0"}, Map.of(), outStream, stream, () -> null))
                .isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .as("a usage error is a message")
                .isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains(AcceleratorMain.USAGE)
                .contains("IDLE_SECONDS must be at least 1");
    }

    @Test
    void helpIsItsUsageOnStandardOutputAndExitsZero() {
        for (String help : new String[] {"--help", "-h"}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = AcceleratorMain.run(
                    new String[] {help},
                    Map.of(),
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    () -> null);
            assertThat(code).as(help).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).as(help).startsWith("Usage: vpc-ha agent-serve");
            assertThat(err.toString(StandardCharsets.UTF_8)).as(help).isEmpty();
        }
    }

    @Test
    void aRequestReadAfterItsLauncherStoppedWaitingIsRefused() throws IOException {
        Path proc = procWithLauncher4242();
        Map<String, String> waitsHalfASecond = Map.of("VPC_HA_ACCELERATOR_WAIT", "0.5");

        Files.writeString(proc.resolve("uptime"), "1000.40 1500.00\n");
        assertThat(AcceleratorService.lateRefusal(4242, waitsHalfASecond, proc))
                .as("read 0.4 s after the launcher started: it still waits")
                .isEmpty();
        Files.writeString(proc.resolve("uptime"), "1000.52 1500.00\n");
        assertThat(AcceleratorService.lateRefusal(4242, waitsHalfASecond, proc))
                .as("within the clocks' resolution of the wait: not called late")
                .isEmpty();
        Files.writeString(proc.resolve("uptime"), "1003.00 1500.00\n");
        assertThat(AcceleratorService.lateRefusal(4242, waitsHalfASecond, proc))
                .as("3 s: it has run the action cold")
                .hasValue("asked 3000 ms after the launcher started, which waits 500 ms: it runs the action cold");
        assertThat(AcceleratorService.lateRefusal(4242, Map.of("VPC_HA_ACCELERATOR_WAIT", "5"), proc))
                .as("a launcher told to wait 5 s")
                .isEmpty();
        assertThat(AcceleratorService.lateRefusal(4343, waitsHalfASecond, proc))
                .hasValue("the launcher (pid 4343) has ended");
        Files.writeString(proc.resolve("uptime"), "garbage");
        assertThat(AcceleratorService.lateRefusal(4242, waitsHalfASecond, proc))
                .as("cannot tell: it runs")
                .isEmpty();
    }

    @Test
    void theActionStartsWhenItsLauncherStartedExactlyAsTheLateCheckReadsIt() throws IOException {
        Path proc = procWithLauncher4242();
        // read 0.37 s after the launcher started
        Files.writeString(proc.resolve("uptime"), "1000.37 1500.00\n");
        Instant now = Instant.parse("2026-11-29T23:00:00.500Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);

        assertThat(new AcceleratedAction(new AcceleratorRequest(4242, "monitor", Map.of())).start(proc, clock))
                .isEqualTo(now.minusMillis(370));
        assertThat(new AcceleratedAction(new AcceleratorRequest(4343, "monitor", Map.of())).start(proc, clock))
                .as("a launcher that has ended: now")
                .isEqualTo(now);
    }

    @Test
    void aLauncherJustStartedIsInTimeOnThisMachinesClocks() throws Exception {
        Map<String, String> waitsHalfASecond = Map.of("VPC_HA_ACCELERATOR_WAIT", "0.5");
        Process launcher = new ProcessBuilder("sleep", "30").start();
        try {
            assertThat(AcceleratorService.lateRefusal(launcher.pid(), waitsHalfASecond, Path.of("/proc")))
                    .as("asked at once (the launcher waits 0.5 s)")
                    .isEmpty();
        } finally {
            launcher.destroyForcibly().waitFor();
        }
        assertThat(AcceleratorService.lateRefusal(launcher.pid(), waitsHalfASecond, Path.of("/proc")))
                .hasValue("the launcher (pid " + launcher.pid() + ") has ended");
    }

    @Test
    void theWaitIsWhatTheRequestSays() throws IOException {
        assertThat(AcceleratorService.clientWait("2")).hasValue(Duration.ofSeconds(2));
        assertThat(AcceleratorService.clientWait(" 0.25 ")).hasValue(Duration.ofMillis(250));
        assertThat(AcceleratorService.clientWait("soon")).isEmpty();
        assertThat(AcceleratorService.clientWait("0")).isEmpty();
        assertThat(AcceleratorService.clientWait("0.0004")).isEmpty();

        Path proc = Files.createDirectories(root.resolve("proc"));
        assertThat(AcceleratorService.lateRefusal(4242, Map.of("VPC_HA_ACCELERATOR_WAIT", "soon"), proc))
                .as("a wait socat did not take either: that launcher runs cold at once")
                .hasValue("the launcher's VPC_HA_ACCELERATOR_WAIT is not a number of seconds above 0: it runs the "
                        + "action cold");
        assertThat(AcceleratorService.lateRefusal(4242, Map.of(), proc))
                .as("no wait said: not the launcher, a client that waits for its answer")
                .isEmpty();
    }

    /**
     * A stand-in for /proc with launcher 4242, started 1000.00 s after boot (100 000 ticks), its command
     * name with blanks and parentheses; the test writes the uptime.
     */
    private Path procWithLauncher4242() throws IOException {
        Path proc = Files.createDirectories(root.resolve("proc"));
        Files.createDirectories(proc.resolve("4242"));
        Files.writeString(
                proc.resolve("4242/stat"),
                "4242 (sh (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 100000 2609152 200 "
                        + "18446744073709551615 1 1 0 0 0 0 0 0 65536 0 0 0 17 1 0 0 0 0 0\n");
        return proc;
    }
}
