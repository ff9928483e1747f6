package io.vpcha.ocf;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A network namespace of its own (as root) with the installation's simulator running inside it, so
 * that an agent run in the namespace changes only the namespace's interfaces and reaches only the
 * simulator. Closing it ends the simulator and deletes the namespace.
 */
final class NamespacedSimulator implements AutoCloseable {
    /**
     * iproute2 by its absolute path: an agent run with a clean environment, or a PATH without
     * {@code ip}, must still be entered into the namespace.
     */
    static final String IP = Stream.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip")
            .filter(candidate -> Files.isExecutable(Path.of(candidate)))
            .findFirst()
            .orElse("ip");

    final String namespace;
    /** The simulator's KEY=value lines: VPC_URL, IAM_URL, METADATA_URL_NODE_A, ... */
    final Map<String, String> urls;

    private final Process simulator;
    /** The simulator's output, removed on close. */
    private final Path output;

    private NamespacedSimulator(String namespace, Process simulator, Path output, Map<String, String> urls) {
        this.namespace = namespace;
        this.simulator = simulator;
        this.output = output;
        this.urls = Map.copyOf(urls);
    }

    /** Makes the namespace (replacing a leftover one), brings its loopback up and starts the simulator. */
    static NamespacedSimulator start(Installation installation, String namespace, String scenario)
            throws IOException, InterruptedException {
        Command.of("ip", "netns", "del", namespace).run();
        assertThat(Command.of("ip", "netns", "add", namespace).run().exitCode()).isZero();
        assertThat(in(namespace, "ip", "link", "set", "lo", "up").exitCode()).isZero();
        Path out = Files.createTempFile("simulator", ".out");
        Process simulator = new ProcessBuilder(
                        "ip",
                        "netns",
                        "exec",
                        namespace,
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        installation.prefix.resolve("lib/demo") + "/*",
                        "io.vpcha.simulator.SimulatorMain",
                        "--scenario",
                        scenario,
                        "--listen",
                        "127.0.0.1:0")
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        Instant until = Instant.now().plusSeconds(20);
        while (!Files.readString(out).contains("METADATA_URL_NODE_B=")) {
            assertThat(simulator.isAlive())
                    .as("simulator: %s", Files.readString(out))
                    .isTrue();
            assertThat(Instant.now())
                    .as("simulator start-up: %s", Files.readString(out))
                    .isBefore(until);
            Thread.sleep(100);
        }
        Map<String, String> urls = new HashMap<>();
        Files.readAllLines(out).stream()
                .filter(line -> line.matches("[A-Z_]+=.*"))
                .forEach(line -> urls.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
        assertThat(urls).containsKeys("VPC_URL", "IAM_URL", "METADATA_URL_NODE_B");
        return new NamespacedSimulator(namespace, simulator, out, urls);
    }

    /** Runs a command in the namespace. */
    static Command.Result in(String namespace, String... command) {
        String[] full = new String[command.length + 4];
        full[0] = IP;
        full[1] = "netns";
        full[2] = "exec";
        full[3] = namespace;
        System.arraycopy(command, 0, full, 4, command.length);
        return Command.of(full).run();
    }

    @Override
    public void close() {
        simulator.descendants().forEach(ProcessHandle::destroy);
        simulator.destroy();
        try {
            simulator.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Command.of("ip", "netns", "del", namespace).run();
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                // a temporary file left behind is no failure of the test
            }
        }
    }
}
