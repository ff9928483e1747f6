package io.vpcha.demo;

import static java.util.Objects.requireNonNull;

import io.vpcha.simulator.process.ParentBound;
import io.vpcha.simulator.process.ParentBound.Signal;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the installed OCF agent as Pacemaker's executor does: a fresh process per action, an
 * environment holding only the resource's OCF_RESKEY_* parameters and Pacemaker's meta values, no
 * standard input, the exit code and the exit reason read back. Each action ends with the demo (it runs
 * bound to the thread telling the story: {@link ParentBound}).
 */
final class AgentRunner {
    private final Path agent;
    private final Path home;

    record Outcome(int code, String reason, Duration elapsed) {}

    AgentRunner(Path home) {
        this.home = requireNonNull(home, "home is null");
        this.agent = home.resolve("ocf").resolve("vpc-ha");
    }

    Outcome run(String action, Map<String, String> environment) {
        // the agent ends with the demo, also when the demo is killed with SIGKILL
        ProcessBuilder builder =
                new ProcessBuilder(ParentBound.command(Signal.KILL, List.of(agent.toString(), action)));
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        builder.environment().put("LC_ALL", "C");
        builder.environment().put("VPC_HA_HOME", home.toString());
        // the demo's nodes are simulated on one machine: their monitors run cold, never asking the
        // accelerator this machine may run (the launcher's default socket)
        builder.environment().put("VPC_HA_ACCELERATOR", "");
        String javaHome = System.getProperty("java.home");
        builder.environment()
                .put("VPC_HA_JAVA", Path.of(javaHome, "bin", "java").toString());
        builder.environment().putAll(environment);
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Instant start = Instant.now();
        try {
            Process process = builder.start();
            process.getInputStream().transferTo(OutputStream.nullOutputStream());
            String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Outcome(-1, "did not end within 60 s", Duration.between(start, Instant.now()));
            }
            String reason = stderr.lines()
                    .filter(line -> line.startsWith("ocf-exit-reason:"))
                    .map(line -> line.substring("ocf-exit-reason:".length()))
                    .findFirst()
                    .orElse("");
            return new Outcome(process.exitValue(), reason, Duration.between(start, Instant.now()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + agent, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
