package io.vpcha.host.accelerator;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.cloud.ResidentCloud;
import io.vpcha.host.install.HostInstallation;
import io.vpcha.host.plugin.PluginSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The resident accelerator: listens on a Unix socket, answers each connection of the peer user it
 * allows (the service's own: root when systemd starts it) with one action, and exits when no action
 * came for its idle time. Holds no state of its own: every action reads and writes the state
 * directories and token cache the cold path uses, so killing it loses nothing.
 */
public final class AcceleratorService {
    /** How often a running action tells its client it still runs. */
    static final Duration HEARTBEAT = Duration.ofMillis(100);
    /** More actions at once than a node's resources need is not the launcher: refuse. */
    private static final int MAX_CONCURRENT = 16;

    private final ServerSocketChannel listener;
    private final Duration idleExit;
    private final PluginSource plugins;
    private final Path pluginsDirectory;
    private final InstallationFingerprint.Source fingerprints;
    private final InstallationFingerprint started;
    private final UserPrincipal allowedPeer;
    private final ExecutorService connections = Executors.newCachedThreadPool(daemon("vpc-ha-accelerator"));
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
    /** Connections and tokens kept across actions (docs/accelerator.md, "What outlives an action"). */
    private final ResidentCloud cloud = new ResidentCloud();

    private AcceleratorService(
            ServerSocketChannel listener,
            Duration idleExit,
            Path pluginsDirectory,
            Supplier<PluginSource> plugins,
            InstallationFingerprint.Source fingerprints,
            UserPrincipal allowedPeer)
            throws IOException {
        this.listener = requireNonNull(listener, "listener is null");
        this.idleExit = requireNonNull(idleExit, "idleExit is null");
        this.pluginsDirectory = requireNonNull(pluginsDirectory, "pluginsDirectory is null");
        this.plugins = new WarmPlugins(pluginsDirectory, plugins);
        this.fingerprints = requireNonNull(fingerprints, "fingerprints is null");
        this.started = fingerprints.now();
        this.allowedPeer = requireNonNull(allowedPeer, "allowedPeer is null");
    }

    /**
     * A service listening on {@code socket} (a new socket file, owner-only; its directory must be one
     * only root can write), for the user running this JVM.
     */
    public static AcceleratorService bind(
            Path socket,
            Duration idleExit,
            Path pluginsDirectory,
            Supplier<PluginSource> plugins,
            InstallationFingerprint.Source fingerprints)
            throws IOException {
        UserPrincipal self = socket.getFileSystem()
                .getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            Files.deleteIfExists(socket);
            listener.bind(UnixDomainSocketAddress.of(socket));
            // the peer check refuses others anyway; this keeps them from connecting at all
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            return new AcceleratorService(listener, idleExit, pluginsDirectory, plugins, fingerprints, self);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    /** Serves until idle for the idle time (or {@link #close()}); returns then. */
    public void serve() throws IOException {
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
                lastActivity.set(System.nanoTime());
                connections.execute(() -> answer(connection));
            }
        } finally {
            watching.cancel(false);
            idleWatch.shutdownNow();
            connections.shutdownNow();
            listener.close();
        }
    }

    public void close() throws IOException {
        listener.close();
    }

    private void closeWhenIdle() {
        long idleNanos = System.nanoTime() - lastActivity.get();
        if (running.get() == 0 && idleNanos >= idleExit.toNanos()) {
            try {
                listener.close();
            } catch (IOException e) {
                // closing a listener does not fail in a way that matters: serve() ends either way
            }
        }
    }

    private void answer(SocketChannel connection) {
        running.incrementAndGet();
        try (connection) {
            OutputStream out = Channels.newOutputStream(connection);
            AcceleratorReply reply = new AcceleratorReply(out);
            // read (bounded) before refusing anyone: a peer whose request is still unread when the
            // connection closes gets a reset instead of the reason
            InputStream in = Channels.newInputStream(connection);
            AcceleratorRequest request = AcceleratorRequest.read(in);
            Optional<String> refusal = peerRefusal(connection);
            if (refusal.isPresent()) {
                reply.refused(refusal.get());
                return;
            }
            AcceleratedAction action = new AcceleratedAction(request);
            refusal = action.refusal().or(() -> staleRefusal(request.environment()));
            if (refusal.isEmpty() && running.get() > MAX_CONCURRENT) {
                refusal = Optional.of("too many actions at once");
            }
            if (refusal.isPresent()) {
                reply.refused(refusal.get());
                return;
            }
            action.run(plugins, cloud, reply, HEARTBEAT);
        } catch (IOException | RuntimeException e) {
            // the client falls back to the cold path whenever no "end" line reached it
        } finally {
            lastActivity.set(System.nanoTime());
            running.decrementAndGet();
        }
    }

    private Optional<String> peerRefusal(SocketChannel connection) throws IOException {
        UnixDomainPrincipal peer = connection.getOption(ExtendedSocketOptions.SO_PEERCRED);
        if (!peer.user().equals(allowedPeer)) {
            return Optional.of("user " + peer.user().getName() + " may not use the accelerator");
        }
        return Optional.empty();
    }

    /** Why this service must not run the request: its code or plugins are not what it started with. */
    private Optional<String> staleRefusal(Map<String, String> environment) {
        Path asked = HostInstallation.pluginsDirectory(Optional.empty(), environment);
        if (!asked.equals(pluginsDirectory)) {
            return Optional.of("the action's plugins are in " + asked + ", the accelerator's in " + pluginsDirectory);
        }
        try {
            return started.changedIn(fingerprints.now());
        } catch (IOException | RuntimeException e) {
            return Optional.of("cannot tell whether vpc-ha changed: " + e.getMessage());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
