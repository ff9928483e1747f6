package io.vpcha.ocf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vpcha.host.testing.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The installed {@code vpc-ha} command as a user meets it: every subcommand explains itself, and the
 * long-running ones, the simulator and the demo, are one process tree that ends when the process the
 * user started is signalled, also with SIGKILL: nothing of theirs is left, and their ports are free.
 */
class LauncherIT {
    /**
     * How long the whole tree may take to end once its root is signalled. The test asserts that nothing
     * is left, not how fast it goes: it ends within milliseconds when the machine is idle, but a CI
     * machine busy with other builds once took over 2 s (the bound before). A tree that does not end by
     * itself (a stopped agent nobody kills, a child nobody bound) never ends, so the bound can be wide.
     */
    private static final Duration END_WITHIN = Duration.ofSeconds(20);

    private static final Pattern SUBCOMMAND = Pattern.compile("^  ([a-z][a-z-]*)(?:\\s|$)");
    private static final Pattern LISTENING = Pattern.compile("\\s(\\S+):(\\d+)\\s.*pid=(\\d+),");

    private static Installation installation;

    @TempDir
    Path work;

    /** What the user sends to the process they started. */
    enum Signal {
        TERM,
        KILL
    }

    @BeforeAll
    static void install() {
        installation = Installation.install();
    }

    @AfterAll
    static void uninstall() throws Exception {
        if (installation != null) {
            installation.close();
        }
    }

    @Test
    void everySubcommandAnswersHelpWithItsUsage() {
        List<String> subcommands = subcommands();
        assertThat(subcommands)
                .as("the subcommands listed by vpc-ha --help")
                .contains("plugins", "describe", "meta-data", "ocf", "version", "doctor", "demo", "simulator");
        for (String subcommand : subcommands) {
            for (String help : List.of("--help", "-h")) {
                Command.Result result = Command.of(launcher(), subcommand, help).run();
                assertThat(result.exitCode())
                        .as("vpc-ha %s %s: %s", subcommand, help, result)
                        .isZero();
                assertThat(result.stdout())
                        .as("vpc-ha %s %s", subcommand, help)
                        .startsWith("Usage: vpc-ha " + subcommand);
                assertThat(result.stderr()).as("vpc-ha %s %s", subcommand, help).isEmpty();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Signal.class)
    void theSimulatorIsOneProcessAndEndsWithItsPortsFree(Signal signal) throws Exception {
        Path out = work.resolve("simulator.out");
        Process simulator = start(out, "simulator", "--scenario", "three-zone", "--listen", "127.0.0.1:0");
        try {
            awaitTrue(Duration.ofSeconds(30), () -> read(out).contains("METADATA_URL="), () -> "started: " + read(out));
            Set<InetSocketAddress> ports = listening(simulator.toHandle());
            assertThat(ports)
                    .as("the ports of the simulator's VPC, IAM and metadata listeners")
                    .hasSizeGreaterThanOrEqualTo(2);
            assertThat(simulator.descendants().toList())
                    .as("one JVM: no child process")
                    .isEmpty();
            assertThat(processesOfTheInstallation()).containsExactly(simulator.pid());

            signalAndAwaitNothingLeft(signal, simulator, ports);
            if (signal == Signal.TERM) {
                assertThat(simulator.waitFor(1, TimeUnit.SECONDS)).isTrue();
                assertThat(simulator.exitValue())
                        .as("ended by SIGTERM through its shutdown hook")
                        .isEqualTo(143);
            }
        } finally {
            killAll(simulator);
        }
    }

    @ParameterizedTest
    @EnumSource(Signal.class)
    void theDemoEndsWithTheAgentItIsRunning(Signal signal) throws Exception {
        Path out = work.resolve("demo.out");
        Process demo = start(out, "demo");
        List<ProcessHandle> agents = new ArrayList<>();
        try {
            // the agent's JVM (its launcher scripts replaced themselves with it), stopped: it cannot end
            // by itself, so only the demo's end can end it
            ProcessHandle agent = awaitPresent(
                    Duration.ofSeconds(30),
                    () -> demo.children()
                            .filter(child -> child.info().command().orElse("").endsWith("/java"))
                            .findFirst(),
                    () -> "an agent action of the demo: " + read(out));
            agents.add(agent);
            Command.Result stop =
                    Command.of("kill", "-STOP", Long.toString(agent.pid())).run();
            assertThat(stop.exitCode()).as("%s", stop).isZero();
            Set<InetSocketAddress> ports = listening(demo.toHandle());
            assertThat(ports).as("the ports of the demo's simulated VPC").isNotEmpty();
            assertThat(processesOfTheInstallation()).containsExactlyInAnyOrder(demo.pid(), agent.pid());

            signalAndAwaitNothingLeft(signal, demo, ports);
        } finally {
            agents.forEach(ProcessHandle::destroyForcibly);
            killAll(demo);
        }
    }

    /** The subcommands, as the installed vpc-ha --help lists them. */
    private static List<String> subcommands() {
        Command.Result help = Command.of(launcher(), "--help").run();
        assertThat(help.exitCode()).as("%s", help).isZero();
        List<String> names = new ArrayList<>();
        boolean inCommands = false;
        for (String line : help.stdout().lines().toList()) {
            if (line.equals("Commands:")) {
                inCommands = true;
            } else if (inCommands && line.isBlank()) {
                break;
            } else if (inCommands) {
                Matcher matcher = SUBCOMMAND.matcher(line);
                if (matcher.find()) {
                    names.add(matcher.group(1));
                }
            }
        }
        return names;
    }

    private Process start(Path out, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(launcher()));
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
    }

    /**
     * Sends SIGNAL to the process the user started, then waits (at most {@link #END_WITHIN}) until no
     * process of the installation runs and every port the tree listened on is free.
     */
    private static void signalAndAwaitNothingLeft(Signal signal, Process root, Set<InetSocketAddress> ports)
            throws InterruptedException {
        // Process.destroy is SIGTERM on Linux, destroyForcibly SIGKILL
        if (signal == Signal.TERM) {
            root.destroy();
        } else {
            root.destroyForcibly();
        }
        awaitTrue(
                END_WITHIN,
                () -> processesOfTheInstallation().isEmpty() && ports.stream().allMatch(LauncherIT::free),
                () -> "left after SIG" + signal + ": processes " + described(processesOfTheInstallation())
                        + ", ports in use "
                        + ports.stream().filter(port -> !free(port)).toList());
    }

    /**
     * The processes running now (zombies have no command line) that belong to the installation under
     * test: every one of them names it on its command line (its java -cp or -Dvpcha.home, its script).
     */
    private static Set<Long> processesOfTheInstallation() {
        String prefix = installation.prefix.toString();
        return ProcessHandle.allProcesses()
                .filter(process -> process.info()
                        .commandLine()
                        .map(line -> line.contains(prefix))
                        .orElse(false))
                .map(ProcessHandle::pid)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Each process with its state and command line, so a failure says what was left and why. */
    private static List<String> described(Set<Long> pids) {
        List<String> described = new ArrayList<>();
        for (long pid : pids) {
            Path proc = Path.of("/proc", Long.toString(pid));
            try {
                String stat = Files.readString(proc.resolve("stat"));
                // "pid (comm) STATE ppid ...": the state follows the last ')'
                String[] afterName = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
                String commandLine = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                        .replace('\0', ' ')
                        .strip();
                described.add(pid + " (state " + afterName[0] + ", parent " + afterName[1] + "): " + commandLine);
            } catch (IOException | RuntimeException e) {
                described.add(pid + " (gone while looked at)");
            }
        }
        return described;
    }

    /** The TCP addresses that PROCESS and its descendants listen on (ss, from iproute2). */
    private static Set<InetSocketAddress> listening(ProcessHandle process) {
        Set<Long> tree = Stream.concat(Stream.of(process), process.descendants())
                .map(ProcessHandle::pid)
                .collect(Collectors.toSet());
        Command.Result ss = Command.of("ss", "-H", "-t", "-l", "-n", "-p").run();
        assertThat(ss.exitCode()).as("%s", ss).isZero();
        Set<InetSocketAddress> addresses = new HashSet<>();
        for (String line : ss.stdout().lines().toList()) {
            Matcher matcher = LISTENING.matcher(line);
            if (matcher.find() && tree.contains(Long.parseLong(matcher.group(3)))) {
                String host = matcher.group(1).replace("[", "").replace("]", "");
                addresses.add(
                        new InetSocketAddress(host.equals("*") ? "0.0.0.0" : host, Integer.parseInt(matcher.group(2))));
            }
        }
        return addresses;
    }

    /** Whether a new listener can take the address. */
    private static boolean free(InetSocketAddress address) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(address);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitTrue(Duration within, Supplier<Boolean> condition, Supplier<String> what)
            throws InterruptedException {
        awaitPresent(within, () -> condition.get() ? Optional.of(true) : Optional.empty(), what);
    }

    /** Polls until the value is there; fails with WHAT at the deadline. */
    private static <T> T awaitPresent(Duration within, Supplier<Optional<T>> value, Supplier<String> what)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (true) {
            Optional<T> present = value.get();
            if (present.isPresent()) {
                return present.get();
            }
            if (Instant.now().isAfter(deadline)) {
                fail("not within %s: %s", within, what.get());
            }
            Thread.sleep(10);
        }
    }

    private static void killAll(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String launcher() {
        return installation.launcher().toString();
    }
}
