package io.vpcha.host.accelerator;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.cloud.ResidentCloud;
import io.vpcha.host.files.SafeFiles;
import io.vpcha.host.install.HostInstallation;
import io.vpcha.host.plugin.PluginSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The resident accelerator: listens on a Unix socket, answers each connection of the peer user it
 * allows (the service's own: root when systemd starts it) with one action, and exits when it served
 * no action for its idle time (a refused request does not count: {@code lastServed}). Holds no state of its own:
 * every action reads and writes the state directories and token cache the cold path uses, so killing it
 * loses nothing.
 */
public final class AcceleratorService {
    /** How often a running action tells its client it still runs. */
    static final Duration HEARTBEAT = Duration.ofMillis(100);
    /** More actions at once than a node's resources need is not the launcher: refuse. */
    private static final int MAX_CONCURRENT = 16;
    /**
     * The request's entry that says how long its launcher waits for a first word, in seconds: bin/vpc-ha
     * sends it in every request (its own VPC_HA_ACCELERATOR_WAIT, else its default, written only there).
     */
    static final String CLIENT_WAIT = "VPC_HA_ACCELERATOR_WAIT";
    /** The resolution of the clocks the request's age is read from (two of 10 ms). */
    private static final long CLOCK_SLACK_MILLIS = 2 * ProcessAge.TICK_MILLIS;
    /** How long an ending service waits for the actions it accepted (a monitor's usual timeout). */
    private static final Duration DRAIN = Duration.ofSeconds(30);

    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");

    private final ServerSocketChannel listener;
    private final Duration idleExit;
    private final PluginSource plugins;
    private final Path pluginsDirectory;
    /** The installation this service runs (bin/vpc-ha's VPC_HA_HOME, its -Dvpcha.home), as given. */
    private final Path home;
    /**
     * {@link #home}'s real path, resolved once at start: a request of another installation (another
     * directory, not another name of this one) is refused ({@link #installationRefusal}).
     */
    private final Path realHome;

    private final InstallationFingerprint.Source fingerprints;
    private final InstallationFingerprint started;
    private final UserPrincipal allowedPeer;
    private final ExecutorService connections = Executors.newCachedThreadPool(daemon("vpc-ha-accelerator"));
    private final AtomicInteger running = new AtomicInteger();
    /**
     * When this service last answered an action warm (its start, before the first): its idle time counts
     * from this. Only a served action is activity; no refusal is, whatever its reason. A service that
     * refuses everything (no watchdog file, or stale since an upgrade) would otherwise stay resident for
     * as long as monitors ask it, holding its memory for nothing; ended, it is replaced by a fresh one at
     * the next connection (the socket's), which is what a stale service needs. So neither counts: a late
     * request (a fresh service's first one has its start counted already), an action that never runs warm
     * (start, a promotable instance's monitor: the launcher does not ask for those), too many at once (the
     * running ones count once answered), another user's request, a malformed one, the watchdog's wake-up,
     * nor an action given up (its client went away, or it failed in the service).
     */
    private final AtomicLong lastServed = new AtomicLong(System.nanoTime());
    /** Connections and tokens kept across actions (docs/accelerator.md, "What outlives an action"). */
    private final ResidentCloud cloud = new ResidentCloud();

    private final AcceleratorLog log;
    /** What ends the service when it leaves an action whose code still runs. */
    private final Abandonment abandonment;
    /** Why this service has no watchdog file, once it found it cannot have one: then it serves nothing. */
    private volatile Optional<String> noWatchdogFile = Optional.empty();

    private AcceleratorService(
            ServerSocketChannel listener,
            Duration idleExit,
            Path home,
            Path pluginsDirectory,
            Supplier<PluginSource> plugins,
            InstallationFingerprint.Source fingerprints,
            UserPrincipal allowedPeer,
            AcceleratorLog log,
            Abandonment abandonment)
            throws IOException {
        this.listener = requireNonNull(listener, "listener is null");
        this.log = requireNonNull(log, "log is null");
        this.abandonment = requireNonNull(abandonment, "abandonment is null");
        this.idleExit = requireNonNull(idleExit, "idleExit is null");
        this.home = requireNonNull(home, "home is null");
        this.realHome = home.toRealPath();
        this.pluginsDirectory = requireNonNull(pluginsDirectory, "pluginsDirectory is null");
        this.plugins = new WarmPlugins(pluginsDirectory, plugins);
        this.fingerprints = requireNonNull(fingerprints, "fingerprints is null");
        this.started = fingerprints.now();
        this.allowedPeer = requireNonNull(allowedPeer, "allowedPeer is null");
    }

    /**
     * A service listening on {@code socket} (a new socket file, owner-only; its directory must be one
     * only root can write), for the user running this JVM. It ends this JVM when it abandons an action
     * whose code still runs ({@link Abandonment#halting}).
     */
    public static AcceleratorService bind(
            Path socket,
            Duration idleExit,
            Path pluginsDirectory,
            Supplier<PluginSource> plugins,
            InstallationFingerprint.Source fingerprints)
            throws IOException {
        AcceleratorLog log = AcceleratorLog.none();
        return bind(
                socket,
                idleExit,
                HostInstallation.home(),
                pluginsDirectory,
                plugins,
                fingerprints,
                log,
                Abandonment.halting(log));
    }

    /**
     * {@link #bind(Path, Duration, Path, Supplier, InstallationFingerprint.Source)} for the installation
     * {@code home} (it serves only that installation's launchers), logging to {@code log}, ended by
     * {@code abandonment}.
     */
    static AcceleratorService bind(
            Path socket,
            Duration idleExit,
            Path home,
            Path pluginsDirectory,
            Supplier<PluginSource> plugins,
            InstallationFingerprint.Source fingerprints,
            AcceleratorLog log,
            Abandonment abandonment)
            throws IOException {
        UserPrincipal self = thisUser();
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            Files.deleteIfExists(socket);
            listener.bind(UnixDomainSocketAddress.of(socket));
            // the peer check refuses others anyway; this keeps them from connecting at all
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            return new AcceleratorService(
                    listener, idleExit, home, pluginsDirectory, plugins, fingerprints, self, log, abandonment);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    /**
     * A service on the listening Unix socket it was started with as standard input: systemd's
     * ({@code vpc-ha-agent.socket}, {@code StandardInput=socket}), or any inetd-style socket activator
     * ({@code systemd-socket-activate --inetd}). The activator made the socket and its directory with
     * their modes and keeps listening when this service ends (killed, or idle): a connection that
     * arrives meanwhile waits in the socket's queue and starts the next service.
     */
    static AcceleratorService inherited(
            Channel inherited,
            Duration idleExit,
            Path home,
            Path pluginsDirectory,
            Supplier<PluginSource> plugins,
            InstallationFingerprint.Source fingerprints,
            AcceleratorLog log,
            Abandonment abandonment)
            throws IOException {
        if (!(inherited instanceof ServerSocketChannel listener)
                || !(listener.getLocalAddress() instanceof UnixDomainSocketAddress)) {
            throw new IOException("standard input is not a listening Unix socket"
                    + " (systemd: StandardInput=socket in a service of a ListenStream= socket unit)");
        }
        return new AcceleratorService(
                listener, idleExit, home, pluginsDirectory, plugins, fingerprints, thisUser(), log, abandonment);
    }

    private static UserPrincipal thisUser() throws IOException {
        return FileSystems.getDefault()
                .getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
    }

    /** Where this service listens (for its log). */
    String address() {
        try {
            return String.valueOf(listener.getLocalAddress());
        } catch (IOException e) {
            return "(unknown: " + e.getMessage() + ")";
        }
    }

    /**
     * Serves until idle for the idle time (or {@link #close()}); returns then, once the actions it
     * accepted have answered (each ends by its own deadline).
     */
    public void serve() throws IOException {
        noWatchdogFile = writeWatchdogFile();
        ScheduledExecutorService idleWatch = Executors.newSingleThreadScheduledExecutor(daemon("vpc-ha-idle"));
        ScheduledFuture<?> watching = idleWatch.scheduleWithFixedDelay(this::closeWhenIdle, 1, 1, TimeUnit.SECONDS);
        try {
            while (true) {
                SocketChannel connection;
                try {
                    connection = listener.accept();
                } catch (ClosedChannelException closed) {
                    // closed when idle, or by close()
                    return;
                }
                // counted before it is handed over: the idle watch must not close a service whose
                // last connection is still on its way to a thread (only when it is served does it
                // count as activity, lastServed)
                running.incrementAndGet();
                try {
                    connections.execute(() -> answer(connection));
                } catch (RuntimeException e) {
                    running.decrementAndGet();
                    connection.close();
                    throw e;
                }
            }
        } finally {
            watching.cancel(false);
            idleWatch.shutdownNow();
            listener.close();
            connections.shutdown();
            try {
                // the longest an accepted action can take is its own timeout; past that, the
                // clients have run it cold already
                connections.awaitTermination(DRAIN.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            connections.shutdownNow();
        }
    }

    public void close() throws IOException {
        listener.close();
    }

    /**
     * The watchdog's file of the service on {@code socket}: beside it, {@code SOCKET.pid}
     * (docs/accelerator.md, "The watchdog").
     */
    static Path watchdogFile(Path socket) {
        return socket.resolveSibling(socket.getFileName() + ".pid");
    }

    /**
     * Writes this process's pid, its start time and now (clock ticks after boot) into the watchdog's
     * file, once it accepts: a launcher that started after that and then heard nothing from it for its
     * whole wait (a healthy service accepts at once and sends a heartbeat every {@link #HEARTBEAT}) takes
     * it for hung and SIGKILLs it, after checking that the pid still is this process (its start time),
     * never one that got the pid later. A launcher that started before (it waited while this service
     * started) leaves it alone. Only into a directory no other user may write (the socket unit's, root's 0700), through
     * {@link SafeFiles}: a file there is as trustworthy as the socket. Otherwise none, and the log says
     * so, once.
     *
     * @return why there is none, if there is none: then this service refuses every request. A service
     *     no launcher can end would, once stopped (SIGSTOP) and resumed, run on what its clients ran cold
     *     meanwhile, where no fence sees a plugin's own writes.
     */
    private Optional<String> writeWatchdogFile() {
        Optional<String> problem = watchdogFileProblem();
        problem.ifPresent(why -> log.message("no watchdog file: " + why + "; refusing every request (they run cold)"));
        return problem;
    }

    private Optional<String> watchdogFileProblem() {
        try {
            if (!(listener.getLocalAddress() instanceof UnixDomainSocketAddress unix)) {
                return Optional.of("the listener is no Unix socket");
            }
            Path file = watchdogFile(unix.getPath().toAbsolutePath());
            Optional<String> problem = SafeFiles.directoryProblem(file.getParent(), false);
            if (problem.isPresent()) {
                return problem;
            }
            long pid = ProcessHandle.current().pid();
            Path proc = Path.of("/proc");
            String content = pid + " " + ProcessAge.startTicks(pid, proc) + " " + ProcessAge.uptimeTicks(proc) + "\n";
            SafeFiles.writeAtomically(file, content.getBytes(StandardCharsets.US_ASCII), OWNER_READ_WRITE);
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    /**
     * Ends the service once no action runs and none was served for the idle time. A stale service (its
     * installation changed since it started: {@link #staleRefusal}) is not ended sooner: during an
     * upgrade the files change for a while, and each fresh service started meanwhile could be stale in
     * turn; ending at once would restart it once per change, and five starts in 10 s brake the socket
     * (docs/accelerator.md, "Units") for 5 minutes. The packages restart the service after an upgrade
     * anyway; a stale one that nothing restarted ends here, as it serves nothing.
     */
    private void closeWhenIdle() {
        long idleNanos = System.nanoTime() - lastServed.get();
        if (running.get() == 0 && idleNanos >= idleExit.toNanos() && listener.isOpen()) {
            // Said before the close, not after: closing the listener a JVM inherited (systemd's
            // StandardInput=socket) points its standard streams at /dev/null (the JDK's
            // InheritedChannel detaches them), so a line written after it never reached the journal.
            log.summary();
            log.message("idle for " + idleExit.toSeconds() + " s: exiting (the socket starts it again)");
            try {
                listener.close();
            } catch (IOException e) {
                // closing a listener does not fail in a way that matters: serve() ends either way
            }
        }
    }

    private void answer(SocketChannel connection) {
        String action = "?";
        String resource = "?";
        long startNanos = System.nanoTime();
        try (connection) {
            OutputStream out = Channels.newOutputStream(connection);
            AcceleratorReply reply = new AcceleratorReply(out);
            // read (bounded) before refusing anyone: a peer whose request is still unread when the
            // connection closes gets a reset instead of the reason
            InputStream in = Channels.newInputStream(connection);
            AcceleratorRequest request = AcceleratorRequest.read(in);
            action = request.action();
            resource = request.environment().getOrDefault("OCF_RESOURCE_INSTANCE", "?");
            Optional<String> refusal = peerRefusal(connection);
            if (refusal.isPresent()) {
                refuse(reply, action, resource, refusal.get());
                return;
            }
            AcceleratedAction accelerated = new AcceleratedAction(request);
            // the action's own reason first (a start is refused for being a start, whatever the service)
            refusal = accelerated
                    .refusal()
                    .or(() -> noWatchdogFile.map(why -> "no watchdog file: " + why))
                    .or(() -> lateRefusal(request.clientPid(), request.environment(), Path.of("/proc")))
                    .or(() -> staleRefusal(request.environment()));
            if (refusal.isEmpty() && running.get() > MAX_CONCURRENT) {
                refusal = Optional.of("too many actions at once");
            }
            if (refusal.isPresent()) {
                refuse(reply, action, resource, refusal.get());
                return;
            }
            accelerated.run(plugins, cloud, reply, HEARTBEAT, abandonment);
            // before running is counted down (finally): the idle watch must not find no action
            // running and the time before this one
            lastServed.set(System.nanoTime());
            log.served(action, resource, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        } catch (AcceleratorRequest.NoRequest wakeUp) {
            // the launcher's watchdog, after it killed a hung service: this connection only started us
        } catch (IOException | RuntimeException e) {
            // the client falls back to the cold path whenever no "end" line reached it
            log.gaveUp(action, resource, String.valueOf(e.getMessage()));
        } finally {
            running.decrementAndGet();
        }
    }

    /**
     * Counts a refusal once and tells the client, if it still listens: a late request's launcher has
     * usually closed its connection already (it runs the action cold), and that refusal is no action
     * given up as well.
     */
    private void refuse(AcceleratorReply reply, String action, String resource, String reason) {
        log.refused(action, resource, reason);
        try {
            reply.refused(reason);
        } catch (IOException clientGone) {
            // it runs the action cold, as the refusal would have told it to
        }
    }

    private Optional<String> peerRefusal(SocketChannel connection) throws IOException {
        UnixDomainPrincipal peer = connection.getOption(ExtendedSocketOptions.SO_PEERCRED);
        if (!peer.user().equals(allowedPeer)) {
            return Optional.of("user " + peer.user().getName() + " may not use the accelerator");
        }
        return Optional.empty();
    }

    /**
     * Why a request comes too late to run here: its launcher waits for a first word only the seconds its
     * request says ({@value #CLIENT_WAIT}) after it connected, and this service read the request later
     * than that after the launcher started (it was hung, stopped, still starting, or queued behind
     * others). That launcher has run the action cold, or is running it; running it here too, late, would
     * look at the resource after the fact, and a monitor records what it sees (a takeaway when it finds
     * the address gone: the cluster suite's failover onto a node whose service had just resumed was
     * refused for one). The age is the launcher's {@link ProcessAge}, exact to 10 ms. When it cannot be
     * read, the request runs; so does one that says no wait (not the launcher: a test's or the bench's
     * client, which waits for its answer). A wait that is no number of seconds above 0 is one socat did
     * not take either: that launcher runs the action cold at once.
     */
    static Optional<String> lateRefusal(long clientPid, Map<String, String> environment, Path proc) {
        String said = environment.get(CLIENT_WAIT);
        if (said == null) {
            return Optional.empty();
        }
        Optional<Duration> wait = clientWait(said);
        if (wait.isEmpty()) {
            return Optional.of(
                    "the launcher's " + CLIENT_WAIT + " is not a number of seconds above 0: it runs the action cold");
        }
        try {
            long ageMillis = ProcessAge.of(clientPid, proc).toMillis();
            // the two clocks tick every 10 ms: never call late what may not be
            if (ageMillis - CLOCK_SLACK_MILLIS > wait.get().toMillis()) {
                return Optional.of("asked " + ageMillis + " ms after the launcher started, which waits "
                        + wait.get().toMillis() + " ms: it runs the action cold");
            }
            return Optional.empty();
        } catch (NoSuchFileException gone) {
            return Optional.of("the launcher (pid " + clientPid + ") has ended");
        } catch (IOException | RuntimeException cannotTell) {
            return Optional.empty();
        }
    }

    /** The wait {@code seconds} says (a decimal number of seconds, to the millisecond); empty when none above 0. */
    static Optional<Duration> clientWait(String seconds) {
        try {
            long millis = new BigDecimal(seconds.strip())
                    .movePointRight(3)
                    .setScale(0, RoundingMode.DOWN)
                    .longValueExact();
            return millis > 0 ? Optional.of(Duration.ofMillis(millis)) : Optional.empty();
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Why this service must not run the request: it is another installation's, or this one's code or
     * plugins are not what it started with.
     */
    private Optional<String> staleRefusal(Map<String, String> environment) {
        Optional<String> anotherInstallation = installationRefusal(environment);
        if (anotherInstallation.isPresent()) {
            return anotherInstallation;
        }
        // the installation is this one (checked above): without VPC_HA_PLUGINS, its plugins are ours
        Path asked = HostInstallation.pluginsDirectory(home, environment);
        if (!asked.equals(pluginsDirectory)) {
            return Optional.of("the action's plugins are in " + asked + ", the accelerator's in " + pluginsDirectory);
        }
        try {
            return started.changedIn(fingerprints.now());
        } catch (IOException | RuntimeException e) {
            return Optional.of("cannot tell whether vpc-ha changed: " + e.getMessage());
        }
    }

    /**
     * Why the request is not for this service's installation: every launcher on the node asks the same
     * socket (a tarball under another prefix, the demo, a developer's build), and one of another
     * installation must run its own code and plugins, cold, not this one's (a strategy only it has would
     * be "not installed" here, a hard error to Pacemaker). The launcher always sends its {@value
     * HostInstallation#HOME_ENVIRONMENT}: a request without one is no launcher of this version's. Compared
     * by real path, so that a link to this installation is this installation.
     */
    private Optional<String> installationRefusal(Map<String, String> environment) {
        String named = environment.get(HostInstallation.HOME_ENVIRONMENT);
        if (named == null || named.isBlank()) {
            return Optional.of("the request names no installation (" + HostInstallation.HOME_ENVIRONMENT + ")");
        }
        Optional<Path> asked = realPath(named);
        if (asked.isEmpty()) {
            return Optional.of("another installation: the action's is " + named + " (no such directory here),"
                    + " the accelerator's " + realHome);
        }
        if (!asked.get().equals(realHome)) {
            return Optional.of(
                    "another installation: the action's is " + asked.get() + ", the accelerator's " + realHome);
        }
        return Optional.empty();
    }

    /**
     * The real path of the directory {@code named}, if it is an absolute one that exists: a relative one
     * is relative to the launcher's working directory, which this service cannot see.
     */
    private static Optional<Path> realPath(String named) {
        try {
            Path given = Path.of(named);
            return given.isAbsolute() ? Optional.of(given.toRealPath()) : Optional.empty();
        } catch (IOException | InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
