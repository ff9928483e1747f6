package io.vpcha.host.accelerator;

import static io.vpcha.host.testing.TestPluginSources.stateFileProvider;

import io.vpcha.host.ocf.OcfAgent;
import io.vpcha.host.ocf.OcfEnvironment;
import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.plugin.IndexedPlugins;
import io.vpcha.host.plugin.PluginSource;
import io.vpcha.host.testing.PluginJarBuilder;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real accelerator on a real Unix socket, serving the plugins of a temporary directory (a
 * state-file strategy and one whose monitor hangs), on a thread of the test. The directory is the
 * installation the service is for: its {@code lib/} and {@code plugins/}.
 */
final class AcceleratorFixture implements AutoCloseable {
    final Path root;
    final Path plugins;
    final Path socket;
    final AcceleratorService service;
    /**
     * The actions the service abandoned while their code still ran, as "ACTION of RESOURCE: WHY": where
     * the installed service ends its JVM ({@link Abandonment#halting}), this one records them.
     */
    final List<String> abandoned = new CopyOnWriteArrayList<>();

    private final Thread serving;

    AcceleratorFixture(Path root, Duration idleExit) throws IOException {
        this(root, idleExit, AcceleratorLog.none());
    }

    AcceleratorFixture(Path root, Duration idleExit, AcceleratorLog log) throws IOException {
        this.root = root;
        this.plugins = Files.createDirectories(root.resolve("plugins"));
        Path lib = Files.createDirectories(root.resolve("lib"));
        Files.createDirectories(root.resolve("state"));
        new PluginJarBuilder()
                .source("sf.Provider", stateFileProvider("sf", "state-file"))
                .provider("sf.Provider")
                .build(plugins.resolve("state-file.jar"));
        new PluginJarBuilder()
                .source("slow.Provider", SLOW_PROVIDER)
                .provider("slow.Provider")
                .build(plugins.resolve("slow.jar"));
        new PluginJarBuilder()
                .source("stuck.Provider", STUCK_PROVIDER)
                .provider("stuck.Provider")
                .build(plugins.resolve("stuck.jar"));
        new PluginJarBuilder()
                .source("cloudy.Provider", CLOUD_PROVIDER)
                .provider("cloudy.Provider")
                .build(plugins.resolve("cloudy.jar"));
        this.socket = root.resolve("agent.sock");
        this.service = AcceleratorService.bind(
                socket,
                idleExit,
                root,
                plugins,
                this::freshPlugins,
                () -> InstallationFingerprint.of(lib, plugins),
                log,
                (action, resource, why, answer) -> {
                    abandoned.add(action + " of " + resource + ": " + why);
                    answer.send();
                });
        this.serving = new Thread(
                () -> {
                    try {
                        service.serve();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                "test-accelerator");
        serving.setDaemon(true);
        serving.start();
    }

    PluginSource freshPlugins() {
        return IndexedPlugins.of(plugins, CommonParameters.reservedNames(), Map.of());
    }

    /** The environment Pacemaker gives resource vip1 of {@code strategy}. */
    Map<String, String> environment(String strategy) {
        Map<String, String> env = new HashMap<>();
        env.put("OCF_RESOURCE_INSTANCE", "vip1");
        env.put("HA_RSCTMP", root.resolve("state").toString());
        env.put("OCF_RESKEY_CRM_meta_on_node", "node1");
        env.put("OCF_RESKEY_CRM_meta_timeout", "20000");
        env.put("OCF_RESKEY_strategy", strategy);
        env.put("VPC_HA_PLUGINS", plugins.toString());
        // the launcher of this installation sends it always
        env.put("VPC_HA_HOME", root.toString());
        // no metrics: never into this machine's node_exporter directory, the parameter's default
        env.put("OCF_RESKEY_metrics_dir", "");
        return env;
    }

    /** Runs {@code action} cold, in this JVM, as the launcher's fallback would. */
    int runCold(String action, Map<String, String> env) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(sink, true, StandardCharsets.UTF_8);
        return new OcfAgent(freshPlugins(), new OcfEnvironment(env), out, out, Instant.now()).run(action);
    }

    /** Sends a request as the launcher does and returns every line of the reply. */
    List<String> ask(long clientPid, String action, Map<String, String> env) throws IOException {
        // the tests ask long after their stand-in launcher started: a launcher that waits that long
        Map<String, String> sent = new HashMap<>(env);
        sent.putIfAbsent("VPC_HA_ACCELERATOR_WAIT", "600");
        return askOn(socket, clientPid, action, sent);
    }

    /**
     * Sends a request with {@code env} as it is to the service listening on {@code socket}, as a launcher
     * does, and returns every line of the reply.
     */
    static List<String> askOn(Path socket, long clientPid, String action, Map<String, String> env) throws IOException {
        return sendOn(socket, new AcceleratorRequest(clientPid, action, env).encode());
    }

    /**
     * Sends {@code bytes} (a request, or anything else) to the service listening on {@code socket}, shuts
     * its side down, and returns every line of the reply (none for what the service answers nothing).
     */
    static List<String> sendOn(Path socket, byte[] bytes) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap(bytes));
            channel.shutdownOutput();
            BufferedReader reader =
                    new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
            return lines;
        }
    }

    boolean stillServing() {
        return serving.isAlive();
    }

    /** Waits for the service to end by itself; whether it did within {@code bound}. */
    boolean endsWithin(Duration bound) throws InterruptedException {
        serving.join(bound.toMillis());
        return !serving.isAlive();
    }

    @Override
    public void close() throws IOException {
        service.close();
    }

    /** A strategy whose monitor asks the VPC API: running while the account has a floating IP. */
    private static final String CLOUD_PROVIDER = monitorProvider("cloudy", "a monitor that lists floating IPs", """
            return context.cloud().vpc().listFloatingIps().isEmpty()
                    ? MonitorResult.notRunning("no floating IP")
                    : MonitorResult.running();
            """);

    private static final String SLOW_PROVIDER = monitorProvider("slow", "a monitor that hangs", """
            try { Thread.sleep(60_000); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            return MonitorResult.running();
            """);

    /**
     * A strategy whose monitor blocks for 30 s and ignores interrupts, as a plugin stuck in a call that
     * does not honour them (a blocked socket read): it outlives its action's deadline.
     */
    static final String STUCK_PROVIDER = monitorProvider("stuck", "a monitor that ignores interrupts", """
            long end = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < end) {
                try { Thread.sleep(1_000); } catch (InterruptedException ignored) { }
            }
            return MonitorResult.running();
            """);

    /**
     * The source of a plugin's {@code NAME.Provider}, strategy {@code NAME}, whose monitor runs {@code
     * monitor} (a method body that sees {@code context} and {@code request}) and whose other actions do
     * nothing.
     */
    static String monitorProvider(String name, String description, String monitor) {
        return """
                package NAME;
                import io.vpcha.spi.CheckLevel;
                import io.vpcha.spi.FailoverStrategy;
                import io.vpcha.spi.MonitorRequest;
                import io.vpcha.spi.MonitorResult;
                import io.vpcha.spi.ParameterSpec;
                import io.vpcha.spi.ParameterValues;
                import io.vpcha.spi.StrategyContext;
                import io.vpcha.spi.StrategyException;
                import io.vpcha.spi.StrategyProvider;
                import java.util.List;

                public final class Provider implements StrategyProvider {
                    @Override public String name() { return "NAME"; }
                    @Override public String description() { return "DESCRIPTION"; }
                    @Override public List<ParameterSpec> parameters() { return List.of(); }
                    @Override public FailoverStrategy create(ParameterValues values, StrategyContext context) {
                        return new FailoverStrategy() {
                            @Override public void start() {}
                            @Override public void stop() {}
                            @Override public MonitorResult monitor(MonitorRequest request) throws StrategyException {
                                MONITOR
                            }
                            @Override public void validate(CheckLevel level) {}
                        };
                    }
                }
                """.replace("NAME", name).replace("DESCRIPTION", description).replace("MONITOR", monitor);
    }
}
