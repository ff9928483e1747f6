package io.vpcha.simulator.process;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Commands for child processes that must not outlive the process starting them: the demo's agent
 * actions, the benchmark's timed actions, the integration tests' commands. The command runs under
 * util-linux's {@code setpriv --pdeathsig SIGNAL}, so the kernel sends SIGNAL to the child when its
 * parent ends, however it ends: also on SIGKILL, which no shutdown hook sees.
 *
 * <p>The signal follows the <em>thread</em> that started the child (prctl(2), PR_SET_PDEATHSIG): a
 * child that must live on has to be started by a thread that lives as long (not a pool thread, not a
 * JUnit timeout thread of a {@code @BeforeAll}). The binding does not pass to the child's own
 * children: a child that forks must bind them itself.
 *
 * <p>Where setpriv has no {@code --pdeathsig} (util-linux before 2.33, e.g. RHEL 8) the command is
 * returned unchanged, and a child ends on its own as before.
 */
public final class ParentBound {
    private static final List<Path> FALLBACK_DIRECTORIES = List.of(Path.of("/usr/bin"), Path.of("/bin"));

    private ParentBound() {}

    /** The signals a bound child may get; KILL when it must end whatever it is doing (or if stopped). */
    public enum Signal {
        TERM,
        KILL
    }

    /**
     * The command prefixed with {@code setpriv --pdeathsig SIGNAL --} when this machine's setpriv can
     * do that, else the command itself.
     */
    public static List<String> command(Signal signal, List<String> command) {
        requireNonNull(signal, "signal is null");
        requireNonNull(command, "command is null");
        Optional<String> setpriv = Setpriv.PATH;
        if (setpriv.isEmpty()) {
            return List.copyOf(command);
        }
        List<String> bound = new ArrayList<>(List.of(setpriv.get(), "--pdeathsig", signal.name(), "--"));
        bound.addAll(command);
        return List.copyOf(bound);
    }

    /** Whether children are bound on this machine (false: no setpriv with --pdeathsig). */
    public static boolean available() {
        return Setpriv.PATH.isPresent();
    }

    /** Looked for once per JVM, on first use: one short process. */
    private static final class Setpriv {
        static final Optional<String> PATH = find();

        private static Optional<String> find() {
            List<Path> directories = new ArrayList<>();
            String path = System.getenv("PATH");
            if (path != null) {
                for (String entry : path.split(File.pathSeparator, -1)) {
                    if (!entry.isEmpty()) {
                        directories.add(Path.of(entry));
                    }
                }
            }
            directories.addAll(FALLBACK_DIRECTORIES);
            return directories.stream()
                    .map(directory -> directory.resolve("setpriv"))
                    .filter(Files::isExecutable)
                    .findFirst()
                    .filter(Setpriv::knowsPdeathsig)
                    .map(Path::toString);
        }

        private static boolean knowsPdeathsig(Path setpriv) {
            try {
                Process probe = new ProcessBuilder(setpriv.toString(), "--pdeathsig", "KILL", "--", "true")
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                if (!probe.waitFor(5, TimeUnit.SECONDS)) {
                    probe.destroyForcibly();
                    return false;
                }
                return probe.exitValue() == 0;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
