package io.vpcha.host.testing;

import io.vpcha.simulator.process.ParentBound;
import io.vpcha.simulator.process.ParentBound.Signal;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real process with a bounded time and returns its exit code and output: how the integration
 * tests drive the installed agent, Pacemaker's tools and the packages.
 */
public final class Command {
    public record Result(int exitCode, String stdout, String stderr) {
        public String output() {
            return stdout + stderr;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private static final String NO_METRICS_NAME = "OCF_RESKEY_metrics_dir";

    private final List<String> arguments = new ArrayList<>();
    private final Map<String, String> environment = new HashMap<>();
    private Path directory;
    private String input;
    private boolean cleanEnvironment;
    private Duration timeout = Duration.ofMinutes(2);

    public static Command of(String... arguments) {
        Command command = new Command();
        command.arguments.addAll(List.of(arguments));
        return command;
    }

    public Command env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Starts from an empty environment (plus PATH), as Pacemaker gives its agents. */
    public Command cleanEnvironment() {
        this.cleanEnvironment = true;
        return this;
    }

    public Command directory(Path directory) {
        this.directory = directory;
        return this;
    }

    public Command input(String input) {
        this.input = input;
        return this;
    }

    public Command timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /**
     * Runs the command to its end. It ends with this test's JVM too (SIGTERM when the JVM dies, so a
     * script's traps can clean up); when it runs out of time, or the test is interrupted (its JUnit
     * timeout), it is killed with everything it started.
     */
    public Result run() {
        ProcessBuilder builder = new ProcessBuilder(ParentBound.command(Signal.TERM, arguments));
        if (cleanEnvironment) {
            builder.environment().clear();
            builder.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            builder.environment().put("LC_ALL", "C");
        }
        // An agent a test runs writes its metrics where the test says, never into this machine's
        // node_exporter directory (the parameter's default): none unless the test names a directory.
        builder.environment().putIfAbsent(NO_METRICS_NAME, "");
        builder.environment().putAll(environment);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            try (var stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(arguments + " did not end within " + timeout);
            }
            return new Result(process.exitValue(), stdout.join(), stderr.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(arguments + " interrupted", e);
        } finally {
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
