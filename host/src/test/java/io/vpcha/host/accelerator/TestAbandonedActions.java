package io.vpcha.host.accelerator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.ocf.OcfExitCode;
import io.vpcha.host.testing.Command;
import io.vpcha.host.testing.PluginJarBuilder;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the service does with an action it leaves while the action's code still runs (it ends itself,
 * docs/accelerator.md "What outlives an action"), with a service that has no watchdog file (it refuses
 * everything), and how it counts a late request: in this JVM with the ending recorded, and once with a
 * real {@code vpc-ha agent-serve} process and the real launcher.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestAbandonedActions {
    private static final Path LAUNCHER = Path.of("..", "distribution", "src", "bin", "vpc-ha");
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    @TempDir
    Path root;

    @Test
    void aStrategyThatOutlivesItsDeadlineGetsTheTimeoutsAnswerThenTheServiceEnds() throws Exception {
        Process launcher = new ProcessBuilder("sleep", "60").start();
        try (AcceleratorFixture accelerator = new AcceleratorFixture(root, Duration.ofMinutes(10))) {
            Map<String, String> env = accelerator.environment("stuck");
            env.put("OCF_RESKEY_CRM_meta_timeout", "2000");

            List<String> reply = accelerator.ask(launcher.pid(), "monitor", env);

            assertThat(reply)
                    .as("the timeout's failure, as the cold path answers it")
                    .endsWith("end " + OcfExitCode.ERR_GENERIC)
                    .anySatisfy(line -> assertThat(line).contains("did not finish within its 2s timeout"));
            assertThat(accelerator.abandoned)
                    .as("where the service halts after that answer, here recorded")
                    .singleElement()
                    .asString()
                    .startsWith("monitor of vip1: its strategy's thread still ran 100 ms after the action ended");
        } finally {
            launcher.destroyForcibly().waitFor();
        }
    }

    @Test
    void aServiceWithoutItsWatchdogFileRefusesEveryRequestAndSaysWhyOnce() throws Exception {
        Path shared = Files.createDirectories(root.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        AcceleratorLog serviceLog = logTo(log);
        Process launcher = new ProcessBuilder("sleep", "60").start();
        try {
            // not idle before the test closes it: its refusals no longer renew an idle time (that it ends
            // after its idle time however often it is asked: TestAcceleratorService)
            AcceleratorFixture accelerator = new AcceleratorFixture(shared, Duration.ofMinutes(10), serviceLog);
            try {
                Map<String, String> env = accelerator.environment("state-file");
                String refusal = "refused no watchdog file: " + shared
                        + " is writable by group or others (mode rwxrwxrwx); chmod go-w it";
                assertThat(accelerator.ask(launcher.pid(), "monitor", env)).containsExactly(refusal);
                assertThat(accelerator.ask(launcher.pid(), "status", env)).containsExactly(refusal);
                assertThat(accelerator.ask(launcher.pid(), "start", env))
                        .as("an action's own reason first")
                        .containsExactly("refused start always runs cold");
            } finally {
                accelerator.close();
            }
            assertThat(accelerator.endsWithin(Duration.ofSeconds(30))).isTrue();
        } finally {
            launcher.destroyForcibly().waitFor();
        }
        // the summary the service writes as it ends (the idle watch, or AcceleratorMain after serve)
        serviceLog.summary();
        String said = log.toString(StandardCharsets.UTF_8);
        assertThat(said.split("no watchdog file: " + shared, -1))
                .as("said once when it started, then only counted: %s", said)
                .hasSize(3); // the start's line and the summary's count
        assertThat(said)
                .contains("refusing every request (they run cold)")
                .contains("served 0 actions warm, gave up 0, refused 3");
    }

    @Test
    void aLateRequestWhoseLauncherHasGoneIsCountedOnceAsRefused() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (AcceleratorFixture accelerator =
                new AcceleratorFixture(root.resolve("service"), Duration.ofSeconds(1), logTo(log))) {
            Map<String, String> env = new HashMap<>(accelerator.environment("state-file"));
            // this JVM stands for a launcher that waits 1 ms: it started long before, so the request is late
            env.put("VPC_HA_ACCELERATOR_WAIT", "0.001");
            try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                channel.connect(UnixDomainSocketAddress.of(accelerator.socket));
                channel.write(ByteBuffer.wrap(
                        new AcceleratorRequest(ProcessHandle.current().pid(), "monitor", env).encode()));
                // closed, not shut down for output: the service reads the request's end only now, so
                // its refusal finds the launcher gone, as a late request's usually does
            }
            assertThat(accelerator.endsWithin(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(log.toString(StandardCharsets.UTF_8))
                .contains("served 0 actions warm, gave up 0, refused 1 {asked ")
                .doesNotContain("gave up 1");
    }

    /**
     * A real service process and the real launcher: one monitor's strategy ignores the interrupt at its
     * deadline, while another launcher's monitor runs in the same service. The service answers the
     * first with the timeout's failure and ends itself with {@value Abandonment#EXIT_STATUS}; the other
     * launcher loses its connection and runs its monitor cold.
     */
    @Test
    void aRealServiceEndsItselfAndBothLaunchersRunCold() throws Exception {
        Path busyMarker = root.resolve("busy-running");
        Files.createDirectories(plugins());
        new PluginJarBuilder()
                .source("stuck.Provider", AcceleratorFixture.STUCK_PROVIDER)
                .provider("stuck.Provider")
                .build(plugins().resolve("stuck.jar"));
        new PluginJarBuilder()
                .source("busy.Provider", BUSY_PROVIDER)
                .provider("busy.Provider")
                .build(plugins().resolve("busy.jar"));
        // only the service's JVM has it: there the busy monitor says it runs and waits; cold, it answers
        Process service = startService(Map.of("VPC_HA_TEST_BUSY_MARKER", busyMarker.toString()));
        try {
            CompletableFuture<Command.Result> busyLauncher =
                    CompletableFuture.supplyAsync(() -> launch(launcherEnvironment("vip-busy", "busy", "20000")));
            awaitFile(busyMarker, service);

            Command.Result stuck = launch(launcherEnvironment("vip-stuck", "stuck", "3000"));

            assertEndedItself(service, "vip-stuck", "its strategy's thread still ran");
            assertThat(stuck.exitCode()).as(stuck.toString()).isEqualTo(OcfExitCode.ERR_GENERIC);
            assertThat(stuck.stderr())
                    .as("answered by the service: the cold path would start with no time left")
                    .contains("did not finish within its 3s timeout")
                    .doesNotContain("cold path");
            Command.Result other = busyLauncher.get(60, TimeUnit.SECONDS);
            assertThat(other.exitCode())
                    .as(
                            "the other monitor lost its connection and ran cold (in the service it would say running): %s",
                            other)
                    .isEqualTo(OcfExitCode.NOT_RUNNING);
            assertThat(other.stderr()).contains("cold path");
        } finally {
            service.destroyForcibly().waitFor();
        }
    }

    /**
     * A plugin's {@code System.exit} in a warm monitor: the exit guard holds its thread (for up to 10 min),
     * so its action ends with that thread still running, and the service ends itself at once.
     */
    @Test
    void aPluginsExitInAWarmMonitorEndsTheServiceAtOnce() throws Exception {
        Files.createDirectories(plugins());
        new PluginJarBuilder()
                .source("exiting.Provider", EXITING_PROVIDER)
                .provider("exiting.Provider")
                .build(plugins().resolve("exiting.jar"));
        Process service = startService(Map.of());
        try {
            Command.Result result = launch(launcherEnvironment("vip-exit", "exiting", "20000"));

            assertEndedItself(service, "vip-exit", "its strategy's thread still ran");
            assertThat(result.stderr())
                    .as(result.toString())
                    .contains("tried to end the process (System.exit)")
                    .doesNotContain("cold path");
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(OcfExitCode.ERR_GENERIC);
        } finally {
            service.destroyForcibly().waitFor();
        }
    }

    private Path plugins() {
        return root.resolve("plugins");
    }

    private Path socket() {
        return root.resolve("run").resolve("agent.sock");
    }

    private Path serviceLog() {
        return root.resolve("service.log");
    }

    /**
     * {@code vpc-ha agent-serve} as a process of its own, on the test's class path, with the plugins
     * built so far and {@code environment}; returns once it wrote its watchdog file (it serves).
     */
    private Process startService(Map<String, String> environment) throws IOException {
        Files.createDirectories(root.resolve("lib"));
        Files.createDirectories(root.resolve("state"));
        Path directory = Files.createDirectories(socket().getParent());
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder builder = new ProcessBuilder(
                        JAVA,
                        "-Dvpcha.home=" + root,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.vpcha.host.Main",
                        "agent-serve",
                        "--log-actions",
                        socket().toString(),
                        "60")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(serviceLog().toFile());
        builder.environment().put("VPC_HA_PLUGINS", plugins().toString());
        builder.environment().putAll(environment);
        Process service = builder.start();
        awaitFile(AcceleratorService.watchdogFile(socket()), service);
        return service;
    }

    private void assertEndedItself(Process service, String resource, String why) throws Exception {
        assertThat(service.waitFor(30, TimeUnit.SECONDS))
                .as("the service ended itself: %s", Files.readString(serviceLog()))
                .isTrue();
        String log = Files.readString(serviceLog());
        assertThat(service.exitValue()).as(log).isEqualTo(Abandonment.EXIT_STATUS);
        assertThat(log)
                .contains("abandoned monitor of " + resource + " while it still ran (" + why)
                .contains("exiting (75)")
                .as("no answer")
                .doesNotContain("served monitor");
    }

    /** Waits (bounded) for {@code file} to appear while {@code service} lives. */
    private void awaitFile(Path file, Process service) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(file) && service.isAlive() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(file).as("%s", Files.readString(serviceLog())).exists();
    }

    private Map<String, String> launcherEnvironment(String resource, String strategy, String timeoutMillis) {
        Path state = root.resolve("state");
        Map<String, String> env = new HashMap<>();
        env.put("OCF_RESOURCE_INSTANCE", resource);
        env.put("HA_RSCTMP", state.toString());
        env.put("OCF_RESKEY_CRM_meta_on_node", "node1");
        env.put("OCF_RESKEY_CRM_meta_timeout", timeoutMillis);
        env.put("OCF_RESKEY_strategy", strategy);
        env.put("OCF_RESKEY_metrics_dir", "");
        env.put("VPC_HA_PLUGINS", plugins().toString());
        // long enough for a JVM that has just started to read the request in time
        env.put("VPC_HA_ACCELERATOR_WAIT", "2");
        return env;
    }

    /**
     * The launcher's {@code monitor} with {@code env}; its cold path (it execs "$VPC_HA_JAVA ...
     * io.vpcha.host.Main ocf monitor") says so and runs the real Main on the test's class path (the
     * installation's lib/ is not built here).
     */
    private Command.Result launch(Map<String, String> env) {
        Path home = root.resolve("home");
        Path cold = home.resolve("java");
        try {
            Files.createDirectories(home);
            if (Files.exists(cold)) {
                return run(cold, env);
            }
            Files.writeString(cold, """
                    #!/bin/sh
                    echo 'cold path' >&2
                    while [ $# -gt 0 ] && [ "$1" != io.vpcha.host.Main ]; do shift; done
                    exec '@JAVA@' -Dvpcha.home='@HOME@' -cp '@CLASSPATH@' "$@"
                    """.replace("@JAVA@", JAVA)
                    .replace("@HOME@", root.toString())
                    .replace("@CLASSPATH@", System.getProperty("java.class.path")));
            Files.setPosixFilePermissions(cold, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return run(cold, env);
    }

    private Command.Result run(Path cold, Map<String, String> env) {
        Command command = Command.of("sh", LAUNCHER.toString(), "ocf", "monitor")
                .cleanEnvironment()
                // the service's installation (its -Dvpcha.home), which answers only its own launchers
                .env("VPC_HA_HOME", root.toString())
                .env("VPC_HA_JAVA", cold.toString())
                .env("VPC_HA_ACCELERATOR", socket().toString())
                .timeout(Duration.ofSeconds(60));
        env.forEach(command::env);
        return command.run();
    }

    private static AcceleratorLog logTo(ByteArrayOutputStream log) {
        return new AcceleratorLog(new PrintStream(log, true, StandardCharsets.UTF_8), false, Duration.ofDays(1));
    }

    /**
     * A monitor that, in the service (whose JVM alone has VPC_HA_TEST_BUSY_MARKER), says it runs by a file
     * and then waits 30 s, honouring interrupts; in a cold JVM it answers at once.
     */
    private static final String BUSY_PROVIDER = AcceleratorFixture.monitorProvider("busy", "a monitor in flight", """
            String marker = System.getenv("VPC_HA_TEST_BUSY_MARKER");
            if (marker == null) {
                return MonitorResult.notRunning("answered by a cold JVM");
            }
            try {
                java.nio.file.Files.createFile(java.nio.file.Path.of(marker));
                Thread.sleep(30_000);
            } catch (java.io.IOException | InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return MonitorResult.running();
            """);

    /** A monitor that tries to end its process, in the service as in a cold JVM. */
    private static final String EXITING_PROVIDER =
            AcceleratorFixture.monitorProvider("exiting", "a monitor that calls System.exit", """
            System.exit(3);
            return MonitorResult.running();
            """);
}
