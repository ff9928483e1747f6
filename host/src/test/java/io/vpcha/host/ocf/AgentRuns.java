package io.vpcha.host.ocf;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.plugin.PluginRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Runs the agent on the plugins of a registry as Pacemaker would, and keeps what each action printed. */
final class AgentRuns {
    private final PluginRegistry registry;
    private final Path stateRoot;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    AgentRuns(PluginRegistry registry, Path stateRoot) {
        this.registry = requireNonNull(registry, "registry is null");
        this.stateRoot = requireNonNull(stateRoot, "stateRoot is null");
    }

    /** The environment of resource vip1 on node1 with its parameters (name, value pairs). */
    Map<String, String> environment(String... parameters) {
        Map<String, String> env = new HashMap<>();
        env.put("OCF_RESOURCE_INSTANCE", "vip1");
        env.put("HA_RSCTMP", stateRoot.toString());
        env.put("OCF_RESKEY_CRM_meta_on_node", "node1");
        env.put("OCF_RESKEY_CRM_meta_timeout", "20000");
        env.put("OCF_RESKEY_metrics_dir", stateRoot.resolve("metrics").toString());
        for (int i = 0; i < parameters.length; i += 2) {
            env.put("OCF_RESKEY_" + parameters[i], parameters[i + 1]);
        }
        return env;
    }

    /** Runs {@code action}; what it prints adds to {@link #stdout()} and {@link #stderr()}. */
    int run(String action, Map<String, String> env) {
        return new OcfAgent(
                        registry,
                        new OcfEnvironment(env),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        Instant.now())
                .run(action);
    }

    String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** The exit reason of the last failure, or empty. */
    String reason() {
        return stderr().lines()
                .filter(line -> line.startsWith("ocf-exit-reason:"))
                .map(line -> line.substring("ocf-exit-reason:".length()))
                .reduce((first, last) -> last)
                .orElse("");
    }

    /** Forgets what was printed. */
    void reset() {
        out.reset();
        err.reset();
    }

    void resetOut() {
        out.reset();
    }

    void resetErr() {
        err.reset();
    }
}
