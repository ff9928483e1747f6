package io.vpcha.simulator.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.simulator.process.ParentBound.Signal;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TestParentBound {
    @Test
    void aBoundChildEndsWhenItsParentIsKilledAnUnboundOneOutlivesIt() throws Exception {
        assertThat(ParentBound.available())
                .as("setpriv with --pdeathsig (util-linux 2.33 or later) is installed")
                .isTrue();

        ProcessHandle bound = orphanedChild(ParentBound.command(Signal.KILL, List.of("sleep", "60")));
        ProcessHandle unbound = orphanedChild(List.of("sleep", "60"));
        try {
            Instant deadline = Instant.now().plusSeconds(2);
            while (running(bound)) {
                assertThat(Instant.now()).as("the bound child ends within 2 s").isBefore(deadline);
                Thread.sleep(10);
            }
            assertThat(running(unbound))
                    .as("without the binding the child outlives its parent")
                    .isTrue();
        } finally {
            bound.destroyForcibly();
            unbound.destroyForcibly();
        }
    }

    @Test
    void theCommandIsPrefixedAndOtherwiseUnchanged() {
        assertThat(ParentBound.command(Signal.TERM, List.of("a", "b c")))
                .endsWith("--pdeathsig", "TERM", "--", "a", "b c")
                .first()
                .asString()
                .endsWith("/setpriv");
    }

    /**
     * Whether the process runs: it exists and is no zombie. An orphan that ended stays a zombie until
     * PID 1 reaps it, which some init processes do seconds later.
     */
    private static boolean running(ProcessHandle process) throws IOException {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** Starts COMMAND as the child of a shell, kills the shell with SIGKILL, returns the child. */
    private static ProcessHandle orphanedChild(List<String> command) throws Exception {
        List<String> shell = new ArrayList<>(List.of("sh", "-c", "\"$@\" & echo $!; wait", "sh"));
        shell.addAll(command);
        Process parent = new ProcessBuilder(shell)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        long pid;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            pid = Long.parseLong(out.readLine().strip());
        }
        ProcessHandle child = ProcessHandle.of(pid).orElseThrow();
        // setpriv binds the child just before it executes sleep: kill the parent only after that
        Instant deadline = Instant.now().plusSeconds(5);
        while (!child.info().command().orElse("").endsWith("/sleep")) {
            assertThat(Instant.now()).as("the child executes sleep").isBefore(deadline);
            Thread.onSpinWait();
        }
        parent.destroyForcibly();
        assertThat(parent.waitFor(5, TimeUnit.SECONDS)).isTrue();
        return child;
    }
}
