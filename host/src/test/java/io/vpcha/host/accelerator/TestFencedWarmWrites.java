package io.vpcha.host.accelerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcha.host.cloud.ResidentCloud;
import io.vpcha.host.files.WriteFence;
import io.vpcha.host.ocf.ActionDeadline;
import io.vpcha.host.ocf.OcfExitCode;
import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.plugin.IndexedPlugins;
import io.vpcha.host.plugin.PluginSource;
import io.vpcha.host.testing.PluginJarBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The open race of docs/accelerator.md: a warm monitor decided, then its service was stopped, its client
 * gave up (and ran the monitor cold), and the service resumed. Held here by a latch in the action's
 * fence seam, between the decision and the first write; the client's connection really closes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TestFencedWarmWrites {
    @TempDir
    Path root;

    private PluginSource plugins;
    private Path state;
    private Path metrics;
    private Process launcher;
    private ServerSocketChannel listener;
    private SocketChannel client;
    private SocketChannel served;
    private final ExecutorService service = Executors.newSingleThreadExecutor();
    private final ResidentCloud cloud = new ResidentCloud();
    /** What the service would have ended itself for (it halts its JVM; here it is recorded). */
    private final List<String> abandoned = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        Path pluginsDirectory = Files.createDirectories(root.resolve("plugins"));
        new PluginJarBuilder()
                .source("gone.Provider", GONE_PROVIDER)
                .provider("gone.Provider")
                .build(pluginsDirectory.resolve("gone.jar"));
        plugins = IndexedPlugins.of(pluginsDirectory, CommonParameters.reservedNames(), Map.of());
        state = Files.createDirectories(root.resolve("state"));
        metrics = Files.createDirectories(root.resolve("metrics"));
        launcher = new ProcessBuilder("sleep", "60").start();
        listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(root.resolve("agent.sock")));
        client = SocketChannel.open(StandardProtocolFamily.UNIX);
        client.connect(UnixDomainSocketAddress.of(root.resolve("agent.sock")));
        served = listener.accept();
    }

    @AfterEach
    void tearDown() throws IOException {
        service.shutdownNow();
        cloud.close();
        launcher.destroyForcibly();
        client.close();
        served.close();
        listener.close();
    }

    /**
     * @param heartbeatMillis 60000: the action's own thread finds the client gone at its write (the
     *     service's threads resume in any order); 20: the heartbeat finds it first
     */
    @ParameterizedTest
    @ValueSource(longs = {60_000, 20})
    void aMonitorWhoseClientGaveUpWritesNothing(long heartbeatMillis) throws Exception {
        CountDownLatch decided = new CountDownLatch(1);
        CountDownLatch resumed = new CountDownLatch(1);
        CountDownLatch bothWrites = new CountDownLatch(2);
        Future<?> action = runMonitor(Duration.ofMillis(heartbeatMillis), holdFirstWrite(decided, resumed, bothWrites));

        assertThat(decided.await(30, TimeUnit.SECONDS))
                .as("the monitor decided and reached its first write")
                .isTrue();
        client.close(); // the launcher's socat gave up: it runs the monitor cold now
        resumed.countDown();

        assertThatThrownBy(() -> action.get(30, TimeUnit.SECONDS))
                .as("no answer: the client runs it cold")
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(IOException.class);
        // the action's own thread may still run when its client is dropped: wait for both its writes
        assertThat(bothWrites.await(30, TimeUnit.SECONDS))
                .as("the takeaway and the metrics asked the fence")
                .isTrue();
        assertThat(takeaways()).as("no takeaway recorded after the fact").doesNotExist();
        assertThat(metrics.toFile().list()).as("no metrics written").isEmpty();
        assertThat(leftovers(state)).as("no temporary file left").isEmpty();
    }

    /**
     * Its client gone while the action's code still runs (held here, ignoring the interrupt, as a
     * plugin's blocked call would): the service ends itself, so that nothing of it can land later.
     */
    @Test
    void aMonitorLeftWhileItsCodeStillRunsEndsTheService() throws Exception {
        CountDownLatch decided = new CountDownLatch(1);
        CountDownLatch resumed = new CountDownLatch(1);
        CountDownLatch bothWrites = new CountDownLatch(2);
        Future<?> action = runMonitor(Duration.ofMillis(20), holdFirstWrite(decided, resumed, bothWrites));
        assertThat(decided.await(30, TimeUnit.SECONDS)).isTrue();
        client.close();

        assertThatThrownBy(() -> action.get(30, TimeUnit.SECONDS))
                .as("no answer: the client runs it cold")
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(IOException.class);
        assertThat(abandoned)
                .as("left by its heartbeat while its code still ran: where the service halts, here recorded")
                .containsExactly("monitor of vip1");

        resumed.countDown();
        assertThat(bothWrites.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(takeaways()).as("and the fence still holds").doesNotExist();
    }

    @Test
    void aMonitorWhoseClientWaitsWritesAndAnswers() throws Exception {
        CountDownLatch decided = new CountDownLatch(1);
        CountDownLatch resumed = new CountDownLatch(1);
        Future<?> action = runMonitor(Duration.ofMillis(20), holdFirstWrite(decided, resumed, new CountDownLatch(2)));
        assertThat(decided.await(30, TimeUnit.SECONDS)).isTrue();
        resumed.countDown();
        action.get(30, TimeUnit.SECONDS);
        assertThat(replyLines())
                .as("heartbeats, the reason, the code")
                .contains(".")
                .endsWith("end " + OcfExitCode.NOT_RUNNING);
        assertThat(takeaways()).as("the takeaway is recorded").isRegularFile();
        assertThat(Files.readString(takeaways())).containsPattern("takeaways=\\d+");
        assertThat(metrics.toFile().list()).as("metrics written").containsExactly("vpc-ha-vip1.prom");
        assertThat(abandoned).isEmpty();
    }

    @Test
    void theFenceClosesWhenTheClientIsGoneOrTheDeadlinePassed() throws IOException {
        AcceleratorReply reply = new AcceleratorReply(Channels.newOutputStream(served));
        ActionDeadline deadline = ActionDeadline.of(Instant.now(), Duration.ofSeconds(20));
        ClientFence open = new ClientFence(reply, deadline, Clock.systemUTC());
        open.check();
        assertThat(open.closedBecause()).isEmpty();

        ClientFence late = new ClientFence(reply, deadline, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(20)));
        assertThatThrownBy(late::check).isInstanceOf(WriteFence.Closed.class).hasMessageContaining("deadline passed");
        assertThat(late.closedBecause()).as("closed for good").isPresent();

        client.close();
        assertThatThrownBy(open::check).isInstanceOf(WriteFence.Closed.class).hasMessageContaining("gave up");
        open.close("another reason");
        assertThat(open.closedBecause().orElseThrow())
                .as("the first reason stays")
                .contains("gave up");
    }

    private Future<?> runMonitor(Duration heartbeat, UnaryOperator<WriteFence> seam) {
        Map<String, String> env = new HashMap<>();
        env.put("OCF_RESOURCE_INSTANCE", "vip1");
        env.put("HA_RSCTMP", state.toString());
        env.put("OCF_RESKEY_CRM_meta_on_node", "node1");
        env.put("OCF_RESKEY_CRM_meta_timeout", "20000");
        env.put("OCF_RESKEY_CRM_meta_interval", "5000"); // a recurring monitor: it records takeaways
        env.put("OCF_RESKEY_strategy", "gone");
        env.put("OCF_RESKEY_metrics_dir", metrics.toString());
        AcceleratedAction accelerated = new AcceleratedAction(new AcceleratorRequest(launcher.pid(), "monitor", env));
        AcceleratorReply reply = new AcceleratorReply(Channels.newOutputStream(served));
        return service.submit(() -> {
            accelerated.run(
                    plugins,
                    cloud,
                    reply,
                    heartbeat,
                    (action, resource, why, answer) -> abandoned.add(action + " of " + resource),
                    seam);
            return null;
        });
    }

    /**
     * The fence, with its first check held until {@code resumed}, as a SIGSTOP would hold it; {@code
     * checked} counts the checks that ended.
     */
    private static UnaryOperator<WriteFence> holdFirstWrite(
            CountDownLatch decided, CountDownLatch resumed, CountDownLatch checked) {
        AtomicBoolean first = new AtomicBoolean(true);
        return fence -> () -> {
            if (first.getAndSet(false)) {
                decided.countDown();
                boolean interrupted = false;
                while (true) {
                    try {
                        resumed.await();
                        break;
                    } catch (InterruptedException e) {
                        // the service interrupts an action whose client went away; a stopped one
                        // would not see that before it resumed
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                fence.check();
            } finally {
                checked.countDown();
            }
        };
    }

    private Path takeaways() {
        return state.resolve("vpc-ha").resolve(".split-brain-vip1");
    }

    private static List<String> leftovers(Path directory) throws IOException {
        List<String> names = new ArrayList<>();
        try (var files = Files.walk(directory)) {
            files.filter(path -> path.getFileName().toString().endsWith(".tmp"))
                    .forEach(path -> names.add(path.toString()));
        }
        return names;
    }

    private List<String> replyLines() throws IOException {
        BufferedReader reader =
                new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
        served.close();
        List<String> lines = new ArrayList<>();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lines.add(line);
        }
        return lines;
    }

    /** A strategy whose monitor finds the resource gone from this node, touching nothing itself. */
    private static final String GONE_PROVIDER = AcceleratorFixture.monitorProvider(
            "gone",
            "a resource another node took",
            "return MonitorResult.notRunning(\"the address moved to another node\");");
}
