package io.vpcha.host.accelerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vpcha.host.ocf.OcfExitCode;
import io.vpcha.host.testing.Command;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TestAcceleratorService {
    @TempDir
    Path root;

    /** How often a test asks a service that it wants to see end, or stay: the wait on its end in between. */
    private static final Duration ASKING_PACE = Duration.ofMillis(100);
    /** How long a service asked all the time may take to end by itself (its idle time is 1 or 2 s). */
    private static final Duration ENDING_BOUND = Duration.ofSeconds(30);

    private AcceleratorFixture accelerator;
    /** Stands for the launcher that asks: a real process started now, whose start is the action's. */
    private Process launcher;

    @BeforeEach
    void start() throws IOException {
        accelerator = new AcceleratorFixture(root, Duration.ofMinutes(10));
        launcher = new ProcessBuilder("sleep", "60").start();
    }

    @AfterEach
    void stop() throws IOException {
        launcher.destroyForcibly();
        accelerator.close();
    }

    @Test
    void aMonitorRunsWarmAndAnswersWhatTheColdPathWould() throws IOException {
        Map<String, String> env = accelerator.environment("state-file");
        assertThat(accelerator.ask(launcher.pid(), "monitor", env))
                .as("a probe before the start")
                .endsWith("end " + OcfExitCode.NOT_RUNNING);
        assertThat(accelerator.runCold("start", env)).isZero();
        List<String> reply = accelerator.ask(launcher.pid(), "monitor", env);
        assertThat(reply).as("the monitor after a cold start").endsWith("end " + OcfExitCode.SUCCESS);
        assertThat(accelerator.ask(launcher.pid(), "monitor", env))
                .as("again, the strategy's plugin already loaded")
                .endsWith("end " + OcfExitCode.SUCCESS);
        assertThat(accelerator.runCold("stop", env)).isZero();
        assertThat(accelerator.ask(launcher.pid(), "monitor", env))
                .as("nothing about the resource lives in the service")
                .endsWith("end " + OcfExitCode.NOT_RUNNING);
    }

    @Test
    void anApiKeyGivenAsAParameterReachesTheActionButNeverItsReply() throws IOException {
        // the request carries the resource's parameters, the key among them: the warm monitor
        // authenticates as the cold one does (docs/accelerator.md, "What the request carries")
        String key = "k3y-THAT-must-never-show";
        Map<String, String> env = accelerator.environment("state-file");
        env.put("OCF_RESKEY_api_key", key);
        env.put("HA_debug", "1");
        assertThat(accelerator.runCold("start", env)).isZero();

        List<String> reply = accelerator.ask(launcher.pid(), "monitor", env);

        assertThat(reply).endsWith("end " + OcfExitCode.SUCCESS).noneMatch(line -> line.contains(key));
    }

    @Test
    void actionsThatWriteAlwaysRunCold() throws IOException {
        Map<String, String> env = accelerator.environment("state-file");
        for (String action : List.of("start", "stop", "promote", "demote", "meta-data", "validate-all")) {
            assertThat(accelerator.ask(launcher.pid(), action, env))
                    .as(action)
                    .containsExactly("refused " + action + " always runs cold");
        }
        env.put("OCF_RESKEY_CRM_meta_promotable", "true");
        assertThat(accelerator.ask(launcher.pid(), "monitor", env))
                .containsExactly("refused a promotable instance's monitor runs cold");
        assertThat(root.resolve("state").toFile().list())
                .as("no refused action touched the resource's state")
                .isEmpty();
    }

    @Test
    void anOldServiceNeverRunsNewPlugins() throws IOException {
        Map<String, String> env = accelerator.environment("state-file");
        assertThat(accelerator.ask(launcher.pid(), "monitor", env)).endsWith("end " + OcfExitCode.NOT_RUNNING);
        Files.copy(accelerator.plugins.resolve("slow.jar"), accelerator.plugins.resolve("slow-2.jar"));
        assertThat(accelerator.ask(launcher.pid(), "monitor", env))
                .containsExactly("refused the plugins changed since the accelerator started");
    }

    @Test
    void anotherPluginsDirectoryIsRefused() throws IOException {
        Map<String, String> env = accelerator.environment("state-file");
        env.put("VPC_HA_PLUGINS", root.resolve("elsewhere").toString());
        assertThat(accelerator.ask(launcher.pid(), "monitor", env))
                .singleElement()
                .asString()
                .startsWith("refused the action's plugins are in ");
    }

    @Test
    void anotherInstallationsRequestIsRefused() throws IOException {
        // another installation's launcher on the same node asks the same socket: its code and plugins are
        // its own, not the service's
        Path other = Files.createDirectories(root.resolve("other-installation"));
        Map<String, String> env = accelerator.environment("state-file");
        env.put("VPC_HA_HOME", other.toString());
        assertThat(accelerator.ask(launcher.pid(), "monitor", env))
                .containsExactly("refused another installation: the action's is " + other.toRealPath()
                        + ", the accelerator's " + root.toRealPath());

        for (String nowhere : List.of(root.resolve("no-such-installation").toString(), "relative/home")) {
            env.put("VPC_HA_HOME", nowhere);
            assertThat(accelerator.ask(launcher.pid(), "monitor", env))
                    .as(nowhere)
                    .containsExactly("refused another installation: the action's is " + nowhere
                            + " (no such directory here), the accelerator's " + root.toRealPath());
        }
    }

    @Test
    void theSameInstallationByAnotherNameIsServed() throws IOException {
        Path link = Files.createSymbolicLink(root.resolve("link-to-installation"), root);
        Map<String, String> env = accelerator.environment("state-file");
        env.put("VPC_HA_HOME", link.toString());
        assertThat(accelerator.ask(launcher.pid(), "monitor", env)).endsWith("end " + OcfExitCode.NOT_RUNNING);
    }

    @Test
    void aRequestThatNamesNoInstallationIsRefused() throws IOException {
        // this version's launcher always sends VPC_HA_HOME: a request without it is no such launcher's
        Map<String, String> env = accelerator.environment("state-file");
        env.remove("VPC_HA_HOME");
        assertThat(accelerator.ask(launcher.pid(), "monitor", env))
                .containsExactly("refused the request names no installation (VPC_HA_HOME)");
        env.put("VPC_HA_HOME", " ");
        assertThat(accelerator.ask(launcher.pid(), "monitor", env))
                .containsExactly("refused the request names no installation (VPC_HA_HOME)");
    }

    @Test
    void anotherUserIsRefusedEvenWhereTheSocketIsOpenToThem() throws IOException {
        assumeTrue(System.getProperty("user.name").equals("root"), "needs root to connect as another user");
        // open the way to the socket, so that only the peer check stands between nobody and the service
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(accelerator.socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        String request = new String(
                new AcceleratorRequest(launcher.pid(), "monitor", accelerator.environment("state-file")).encode(),
                StandardCharsets.UTF_8);
        Command.Result result = Command.of(
                        "setpriv",
                        "--reuid=65534",
                        "--regid=65534",
                        "--clear-groups",
                        "socat",
                        "-t",
                        "10",
                        "-",
                        "UNIX-CONNECT:" + accelerator.socket)
                .input(request)
                .timeout(Duration.ofSeconds(30))
                .run();
        assertThat(result.stdout())
                .as(result.toString())
                .isEqualTo("refused user nobody may not use the accelerator\n");
    }

    @Test
    void aMalformedRequestGetsNoAnswer() throws IOException {
        Map<String, String> env = accelerator.environment("state-file");
        try (var channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(accelerator.socket));
            channel.write(ByteBuffer.wrap("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            channel.shutdownOutput();
            assertThat(channel.read(ByteBuffer.allocate(64)))
                    .as("end of stream, no reply")
                    .isEqualTo(-1);
        }
        assertThat(accelerator.ask(launcher.pid(), "monitor", env))
                .as("the service still serves")
                .endsWith("end " + OcfExitCode.NOT_RUNNING);
    }

    @Test
    void aHangingMonitorSendsHeartbeatsAndEndsAtItsOwnDeadline() throws IOException {
        Map<String, String> env = accelerator.environment("slow");
        env.put("OCF_RESKEY_CRM_meta_timeout", "2000");
        List<String> reply = accelerator.ask(launcher.pid(), "monitor", env);
        assertThat(reply).as("heartbeats while it ran").contains(".");
        assertThat(reply.get(reply.size() - 1)).startsWith("end ").isNotEqualTo("end 0");
        assertThat(reply).anySatisfy(line -> assertThat(line).startsWith("2 ocf-exit-reason:"));
        assertThat(accelerator.abandoned)
                .as("its strategy honoured the interrupt at the deadline: answered, and the service stays")
                .isEmpty();
    }

    /**
     * A stale service (its plugins changed since it started) refuses every monitor, and the launcher runs
     * each cold: it must not stay resident for as long as monitors keep asking it. Asked every 0.1 s, far
     * more often than its idle time, with every kind of request it refuses or does not answer, it still
     * ends its idle time after the last action it served.
     */
    @Test
    void aServiceThatOnlyRefusesEndsAfterItsIdleTimeHoweverOftenItIsAsked() throws Exception {
        accelerator.close();
        AcceleratorFixture stale = new AcceleratorFixture(root.resolve("stale"), Duration.ofSeconds(2));
        try {
            Map<String, String> env = stale.environment("state-file");
            assertThat(stale.ask(launcher.pid(), "monitor", env)).endsWith("end " + OcfExitCode.NOT_RUNNING);
            Files.copy(stale.plugins.resolve("slow.jar"), stale.plugins.resolve("slow-2.jar"));
            Map<String, String> promotable = new HashMap<>(env);
            promotable.put("OCF_RESKEY_CRM_meta_promotable", "true");
            Map<String, String> late = new HashMap<>(env);
            // the launcher stand-in started long before: a launcher that waited 1 ms asks late
            late.put("VPC_HA_ACCELERATOR_WAIT", "0.001");
            List<Callable<List<String>>> refused = List.of(
                    () -> stale.ask(launcher.pid(), "monitor", env),
                    () -> stale.ask(launcher.pid(), "start", env),
                    () -> stale.ask(launcher.pid(), "monitor", promotable),
                    () -> stale.ask(launcher.pid(), "monitor", late),
                    () -> AcceleratorFixture.sendOn(
                            stale.socket, "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
                    // the watchdog's wake-up: a connection without a request
                    () -> AcceleratorFixture.sendOn(stale.socket, new byte[0]));

            List<String> replies = askUntilItEnds(stale, refused);

            assertThat(replies)
                    .as("only refusals (a malformed request and a wake-up get no answer)")
                    .allSatisfy(line -> assertThat(line).startsWith("refused "))
                    .contains(
                            "refused the plugins changed since the accelerator started",
                            "refused start always runs cold",
                            "refused a promotable instance's monitor runs cold")
                    .anySatisfy(line -> assertThat(line).startsWith("refused asked "));
        } finally {
            stale.close();
        }
    }

    /**
     * Ending a stale service at its first refusal would restart it once per change during an upgrade, and
     * five starts in 10 s brake the socket (docs/accelerator.md, "Stale services"): one asked all the
     * time, refusing every request, still listens well before its idle time, and answers each request.
     */
    @Test
    void aServiceThatOnlyRefusesIsNotEndedBeforeItsIdleTime() throws Exception {
        accelerator.close();
        Duration idleExit = Duration.ofSeconds(20);
        Duration asked = Duration.ofSeconds(4);
        AcceleratorFixture stale = new AcceleratorFixture(root.resolve("stale"), idleExit);
        try {
            Map<String, String> env = stale.environment("state-file");
            long served = System.nanoTime();
            assertThat(stale.ask(launcher.pid(), "monitor", env)).endsWith("end " + OcfExitCode.NOT_RUNNING);
            Files.copy(stale.plugins.resolve("slow.jar"), stale.plugins.resolve("slow-2.jar"));
            int refusals = 0;
            while (System.nanoTime() - served < asked.toNanos()) {
                assertThat(stale.ask(launcher.pid(), "monitor", env))
                        .containsExactly("refused the plugins changed since the accelerator started");
                refusals++;
                assertThat(stale.endsWithin(ASKING_PACE))
                        .as(
                                "refused %s requests in %s after it last served, its idle time %s",
                                refusals, asked, idleExit)
                        .isFalse();
            }
            assertThat(refusals)
                    .as("asked more than its idle watch looked (every second)")
                    .isGreaterThan(5);
            assertThat(System.nanoTime() - served)
                    .as("still within its idle time: the refusals above proved something")
                    .isLessThan(idleExit.toNanos());
            assertThat(stale.stillServing()).isTrue();
        } finally {
            stale.close();
        }
    }

    /** A service without its watchdog file refuses every request: it ends after its idle time all the same. */
    @Test
    void aServiceWithoutItsWatchdogFileEndsAfterItsIdleTimeHoweverOftenItIsAsked() throws Exception {
        accelerator.close();
        Path shared = Files.createDirectories(root.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        AcceleratorFixture unwatched = new AcceleratorFixture(shared, Duration.ofSeconds(1));
        try {
            Map<String, String> env = unwatched.environment("state-file");

            List<String> replies =
                    askUntilItEnds(unwatched, List.of(() -> unwatched.ask(launcher.pid(), "monitor", env)));

            assertThat(replies)
                    .isNotEmpty()
                    .allSatisfy(line -> assertThat(line).startsWith("refused no watchdog file: "));
        } finally {
            unwatched.close();
        }
    }

    @Test
    void aServiceThatServesWithinItsIdleTimeStays() throws Exception {
        accelerator.close();
        Duration idleExit = Duration.ofSeconds(2);
        AcceleratorFixture busy = new AcceleratorFixture(root.resolve("busy"), idleExit);
        try {
            Map<String, String> env = busy.environment("state-file");
            long until = System.nanoTime() + idleExit.multipliedBy(3).toNanos();
            while (System.nanoTime() < until) {
                assertThat(busy.ask(launcher.pid(), "monitor", env)).endsWith("end " + OcfExitCode.NOT_RUNNING);
                assertThat(busy.endsWithin(ASKING_PACE))
                        .as("served every %s, for three times its idle time", ASKING_PACE)
                        .isFalse();
            }
            assertThat(busy.endsWithin(ENDING_BOUND))
                    .as("asked no more: ends after its idle time")
                    .isTrue();
        } finally {
            busy.close();
        }
    }

    @Test
    void anIdleServiceExits() throws Exception {
        accelerator.close();
        AcceleratorFixture idle = new AcceleratorFixture(root.resolve("idle"), Duration.ofSeconds(1));
        try {
            assertThat(idle.ask(launcher.pid(), "monitor", idle.environment("state-file")))
                    .endsWith("end " + OcfExitCode.NOT_RUNNING);
            assertThat(idle.endsWithin(Duration.ofSeconds(30)))
                    .as("ended after a second without requests")
                    .isTrue();
        } finally {
            idle.close();
        }
    }

    /**
     * Asks {@code service} with each of {@code requests} in turn, waiting {@link #ASKING_PACE} on its end in
     * between, until it ends by itself; fails if it still serves after {@link #ENDING_BOUND} (a service
     * whose idle time those requests renew never ends). Returns every reply line.
     */
    private static List<String> askUntilItEnds(AcceleratorFixture service, List<Callable<List<String>>> requests)
            throws Exception {
        List<String> replies = new ArrayList<>();
        long bound = System.nanoTime() + ENDING_BOUND.toNanos();
        for (int i = 0; !service.endsWithin(ASKING_PACE); i++) {
            assertThat(System.nanoTime())
                    .as("still serving %s after it last served, asked every %s", ENDING_BOUND, ASKING_PACE)
                    .isLessThan(bound);
            try {
                replies.addAll(requests.get(i % requests.size()).call());
            } catch (IOException listenerClosed) {
                // it closed its listener between the check and the connection: the next check sees it end
            }
        }
        return replies;
    }
}
