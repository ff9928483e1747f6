package io.vpcha.strategy.loadbalancer;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.StrategyException;
import io.vpcha.toolkit.time.TimeBox;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The listener the pool's health monitor finds on the active node: a socat process, detached into a
 * session of its own so that it outlives the agent's process (and Pacemaker's killing of it on a
 * timeout) and dies with the node. It answers a TCP connect, and an HTTP request with 200, so a tcp
 * or an http health monitor finds it. Its environment is only what it needs: never the agent's,
 * which holds the resource's parameters.
 */
final class HealthListener {
    /** The listener's environment variable holding the answer script (socat's address syntax mangles backslashes). */
    static final String RESPONDER_VARIABLE = "VPC_HA_HEALTH_RESPONDER";

    /** Reads the request's head (nothing for a bare TCP probe), then answers 200. */
    static final String RESPONDER = "cr=$(printf '\\r'); while IFS= read -r line; do"
            + " [ -z \"$line\" ] || [ \"$line\" = \"$cr\" ] && break; done;"
            + " printf 'HTTP/1.0 200 OK\\r\\nContent-Length: 0\\r\\nConnection: close\\r\\n\\r\\n'";

    /** Connections served at once; more wait in the backlog (a probe comes every few seconds). */
    private static final int MOST_CHILDREN = 16;

    /** Seconds a connection may idle before socat closes it. */
    private static final int IDLE_SECONDS = 10;

    private static final Duration LONGEST_ANSWER = Duration.ofSeconds(2);
    private static final Duration FIRST_LOOK = Duration.ofMillis(10);
    private static final Duration LONGEST_LOOK = Duration.ofMillis(200);
    private static final Duration FIRST_END_LOOK = Duration.ofMillis(5);
    private static final Duration LONGEST_END_LOOK = Duration.ofMillis(100);
    private static final List<String> SEARCH_PATH = List.of("/usr/bin", "/bin", "/usr/local/bin", "/usr/sbin");

    private final ListeningSockets sockets;
    private final TimeBox timeBox;
    private final System.Logger log;

    HealthListener(ListeningSockets sockets, TimeBox timeBox, System.Logger log) {
        this.sockets = requireNonNull(sockets, "sockets is null");
        this.timeBox = requireNonNull(timeBox, "timeBox is null");
        this.log = requireNonNull(log, "log is null");
    }

    /** socat's arguments (after the program) for a listener on {@code address:port}. */
    static List<String> arguments(int port, String address) {
        return List.of(
                "-T",
                Integer.toString(IDLE_SECONDS),
                "TCP4-LISTEN:" + port + ",bind=" + address + ",reuseaddr,fork,max-children=" + MOST_CHILDREN,
                "SYSTEM:eval \"$" + RESPONDER_VARIABLE + "\"");
    }

    /** Fails unless socat and setsid are installed. */
    static void requireInstalled() throws StrategyException {
        socat();
        setsid();
    }

    private static Path socat() throws StrategyException {
        return program("socat", "install socat (apt install socat, dnf install socat, zypper install socat)");
    }

    private static Path setsid() throws StrategyException {
        return program("setsid", "install util-linux");
    }

    /**
     * Opens the listener, or adopts one this resource opened before whose record was lost (the same
     * program and arguments on the port), and returns it once it listens.
     *
     * @param errors where socat's own messages go (in the state directory: a bind failure is read from it)
     * @throws StrategyException INVALID_ARGUMENT when something else holds the port, NOT_INSTALLED without
     *     socat or setsid, GENERIC when it does not listen in time
     */
    ListenerRecord open(int port, String address, Path errors) throws StrategyException {
        Path socat = socat();
        Path setsid = setsid();
        List<String> arguments = arguments(port, address);
        Optional<ProcessHandle> earlier = ownListener(port, arguments);
        if (earlier.isPresent()) {
            log.log(
                    Level.INFO,
                    () -> "port " + port + " is held by this resource's listener (pid "
                            + earlier.get().pid() + ") of an earlier start; kept");
            return record(earlier.get(), port, address);
        }
        // whether the port is free on this address only the bind can tell (a listener on another address
        // of the same port is no conflict): socat's bind decides, and its failure says so
        List<String> command = new ArrayList<>();
        command.add(setsid.toString());
        command.add(socat.toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.to(errors.toFile()))
                .directory(new File("/"));
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        builder.environment().put(RESPONDER_VARIABLE, RESPONDER);
        Process process;
        try {
            Files.deleteIfExists(errors); // never written through a link planted there
            process = builder.start();
        } catch (IOException e) {
            throw new StrategyException(ErrorKind.GENERIC, "cannot run " + socat + ": " + e.getMessage(), e);
        }
        awaitListening(process, port, errors);
        return record(process.toHandle(), port, address);
    }

    /** Waits, by the process's own exit or its socket showing up, never longer than the action may take. */
    private void awaitListening(Process process, int port, Path errors) throws StrategyException {
        Duration look = FIRST_LOOK;
        while (!sockets.isListening(process.pid(), port)) {
            if (!process.isAlive()) {
                String said = lastLine(errors);
                if (said.contains("Address already in use")) {
                    throw portTaken(port, sockets.listener(port).flatMap(ProcessHandle::of));
                }
                if (said.contains("Cannot assign requested address")) {
                    throw new StrategyException(
                            ErrorKind.INVALID_ARGUMENT,
                            "health_address is no address of this node: the health listener cannot bind to it (" + said
                                    + ")");
                }
                throw new StrategyException(
                        ErrorKind.GENERIC,
                        "the health listener on port " + port + " ended at once (exit " + process.exitValue() + ")"
                                + (said.isEmpty() ? "" : ": " + said));
            }
            Duration left = timeBox.remaining();
            if (left.isNegative() || left.isZero()) {
                end(process.toHandle());
                throw new StrategyException(
                        ErrorKind.GENERIC,
                        "the health listener did not listen on port " + port + " in the time start has");
            }
            try {
                process.waitFor(Math.min(look.toMillis(), left.toMillis()), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                end(process.toHandle());
                throw new StrategyException(ErrorKind.GENERIC, "interrupted while the health listener started", e);
            }
            look = look.multipliedBy(2).compareTo(LONGEST_LOOK) > 0 ? LONGEST_LOOK : look.multipliedBy(2);
        }
    }

    /** Why the recorded listener does not serve the health monitor, or empty when it does. */
    Optional<String> problem(ListenerRecord listener) {
        Optional<ProcessHandle> process = running(listener);
        if (process.isEmpty()) {
            return Optional.of("the " + listener.describe() + " is gone");
        }
        if (!sockets.isListening(listener.pid(), listener.port())) {
            return Optional.of("the " + listener.describe() + " no longer listens on port " + listener.port());
        }
        return answerProblem(listener);
    }

    /** Connects as the health monitor does and wants the 200 answer. */
    private Optional<String> answerProblem(ListenerRecord listener) {
        String host = listener.address().equals("0.0.0.0") ? "127.0.0.1" : listener.address();
        Duration left = timeBox.remaining();
        int timeout = (int) Math.max(1, Math.min(LONGEST_ANSWER.toMillis(), left.toMillis()));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, listener.port()), timeout);
            socket.setSoTimeout(timeout);
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.0\r\nUser-Agent: vpc-ha monitor\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = statusLine(socket.getInputStream());
            return status.startsWith("HTTP/1.0 200")
                    ? Optional.empty()
                    : Optional.of("the " + listener.describe() + " answered \"" + status + "\" instead of 200");
        } catch (IOException e) {
            return Optional.of("the " + listener.describe() + " does not answer: " + e.getMessage());
        }
    }

    /**
     * Ends the recorded listener if it still runs: its connections' children and itself, politely and then
     * by force, within the time the action has.
     *
     * @throws StrategyException when it outlives SIGKILL within the time left (the node keeps attracting
     *     traffic; a failed stop gets it fenced, which is right then)
     */
    void close(ListenerRecord listener) throws StrategyException {
        Optional<ProcessHandle> process = running(listener);
        if (process.isEmpty()) {
            log.log(Level.INFO, () -> "stop: the " + listener.describe() + " had already ended");
            return;
        }
        end(process.get());
        if (!hasEnded(process.get())) {
            throw new StrategyException(
                    ErrorKind.GENERIC, "the " + listener.describe() + " did not end, not even on SIGKILL");
        }
        log.log(Level.INFO, () -> "stop: ended the " + listener.describe());
    }

    /**
     * The listener of this resource still holding {@code address:port} though no record names it (the
     * state directory was cleared under it).
     */
    Optional<ListenerRecord> orphan(int port, String address) {
        return ownListener(port, arguments(port, address)).flatMap(process -> recordOf(process, port, address));
    }

    /** A listener on {@code port} started with exactly these arguments: this resource's. */
    private Optional<ProcessHandle> ownListener(int port, List<String> arguments) {
        return sockets.listeners(port).stream()
                .map(ProcessHandle::of)
                .flatMap(Optional::stream)
                .filter(process -> isListenerWith(process, arguments))
                .findFirst();
    }

    private void end(ProcessHandle process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        if (awaitEnd(process, Duration.ofSeconds(3))) {
            return;
        }
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        awaitEnd(process, Duration.ofSeconds(3));
    }

    /**
     * Waits for the process to end, at most {@code most} and what the action has left. The listener is no
     * child of this process (an earlier action started it), so the JDK can only poll for its end, every
     * 300 ms or more, and a zombie its new parent has not reaped yet counts as alive there; a zombie holds
     * no socket and runs nothing, so it has ended here. Looks again after pauses of 5 ms doubling to 100 ms.
     */
    private boolean awaitEnd(ProcessHandle process, Duration most) {
        Duration pause = FIRST_END_LOOK;
        Duration waited = Duration.ZERO;
        while (!hasEnded(process)) {
            Duration left = timeBox.remaining();
            if (waited.compareTo(most) >= 0 || left.isNegative() || left.isZero()) {
                return false;
            }
            try {
                // returns at once when the end is seen (a child's), else after the pause
                process.onExit().get(Math.min(pause.toMillis(), left.toMillis()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // not yet: look again
            } catch (ExecutionException e) {
                return hasEnded(process);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return hasEnded(process);
            }
            waited = waited.plus(pause);
            pause = pause.multipliedBy(2).compareTo(LONGEST_END_LOOK) > 0 ? LONGEST_END_LOOK : pause.multipliedBy(2);
        }
        return true;
    }

    /** Whether the process is gone, or a zombie (ended, not yet reaped by its parent). */
    private static boolean hasEnded(ProcessHandle process) {
        if (!process.isAlive()) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            int end = stat.lastIndexOf(')');
            char state = end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
            return state == 'Z' || state == 'X';
        } catch (IOException gone) {
            return true;
        }
    }

    /** The recorded process, if it still runs: the same id, start time and program. */
    private Optional<ProcessHandle> running(ListenerRecord listener) {
        return ProcessHandle.of(listener.pid())
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info()
                        .startInstant()
                        .map(Instant::toEpochMilli)
                        .equals(Optional.of(listener.startedAt())))
                .filter(process -> process.info().command().orElse("").endsWith("/socat"));
    }

    private static boolean isListenerWith(ProcessHandle process, List<String> arguments) {
        return process.info().command().orElse("").endsWith("/socat")
                && process.info().arguments().map(Arrays::asList).equals(Optional.of(arguments));
    }

    private static ListenerRecord record(ProcessHandle process, int port, String address) throws StrategyException {
        return recordOf(process, port, address)
                .orElseThrow(() -> new StrategyException(
                        ErrorKind.GENERIC, "cannot tell when the health listener (pid " + process.pid() + ") started"));
    }

    private static Optional<ListenerRecord> recordOf(ProcessHandle process, int port, String address) {
        return process.info()
                .startInstant()
                .map(started -> new ListenerRecord(process.pid(), started.toEpochMilli(), port, address));
    }

    private static StrategyException portTaken(int port, Optional<ProcessHandle> holder) {
        String who = holder.map(process -> " (pid " + process.pid()
                        + process.info()
                                .command()
                                .map(command -> ", " + command)
                                .orElse("") + ")")
                .orElse("");
        return new StrategyException(
                ErrorKind.INVALID_ARGUMENT,
                "health_port " + port + " is taken by another program on this node" + who
                        + "; choose a port nothing else uses, on every node");
    }

    private static Path program(String name, String hint) throws StrategyException {
        List<String> directories = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            directories.addAll(Arrays.asList(path.split(":")));
        }
        directories.addAll(SEARCH_PATH);
        for (String directory : directories) {
            if (directory.isEmpty() || !directory.startsWith("/")) {
                continue; // never a program from the current directory
            }
            Path candidate = Path.of(directory, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new StrategyException(
                ErrorKind.NOT_INSTALLED, name + " is not installed, and mode=health-check needs it: " + hint);
    }

    private static String lastLine(Path errors) {
        try {
            List<String> lines = Files.readAllLines(errors, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n' && line.length() < 200) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
