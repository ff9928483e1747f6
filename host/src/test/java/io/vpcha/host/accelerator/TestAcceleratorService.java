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
import java.util.List;
import java.util.Map;
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
}
