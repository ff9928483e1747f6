package io.vpcha.host.accelerator;

import io.vpcha.host.install.HostInstallation;
import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.plugin.IndexedPlugins;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.Channel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code vpc-ha agent-serve [--log-actions] (--inherited | SOCKET) [IDLE_SECONDS]}: runs the
 * accelerator until it served no action for that long (default 600 s; refused requests do not count).
 * {@code --inherited} serves the listening socket this process was started with as standard input
 * (systemd's {@code vpc-ha-agent.socket}, the way the packages run it); {@code SOCKET} binds a socket
 * of its own (tests, the bench, by hand). Not a picocli subcommand: like {@code ocf}, it is what the
 * launcher and systemd run, not what administrators type. Exits 0 once idle, 1 when it cannot serve, 2
 * on a bad command line, and {@value Abandonment#EXIT_STATUS} when it ended itself because it left an
 * action whose code still ran.
 */
public final class AcceleratorMain {
    static final Duration DEFAULT_IDLE = Duration.ofMinutes(10);
    /** How often the journal gets a line of what the service did (when it did anything). */
    static final Duration SUMMARY_EVERY = Duration.ofMinutes(10);

    static final String USAGE = "Usage: vpc-ha agent-serve [--log-actions] (--inherited | SOCKET) [IDLE_SECONDS]";

    private AcceleratorMain() {}

    /** Runs the service; its usage goes to {@code out} when asked for, to {@code err} on a bad command line. */
    public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        return run(args, environment, out, err, AcceleratorMain::inheritedChannel);
    }

    /** A source of the inherited channel (System.inheritedChannel(), which reads fd 0 once). */
    interface InheritedChannel {
        Channel get() throws IOException;
    }

    static int run(
            String[] args, Map<String, String> environment, PrintStream out, PrintStream err, InheritedChannel stdin) {
        boolean logActions = false;
        List<String> operands = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--log-actions")) {
                logActions = true;
            } else if (arg.equals("--help") || arg.equals("-h")) {
                // as every other subcommand: asked-for usage is data, on standard output
                out.println(USAGE);
                return 0;
            } else {
                operands.add(arg);
            }
        }
        if (operands.isEmpty() || operands.size() > 2) {
            err.println(USAGE);
            return 2;
        }
        Duration idle = DEFAULT_IDLE;
        if (operands.size() == 2) {
            try {
                idle = Duration.ofSeconds(Long.parseLong(operands.get(1)));
            } catch (NumberFormatException e) {
                err.println("vpc-ha agent-serve: IDLE_SECONDS is not a number: " + operands.get(1));
                return 2;
            }
            if (idle.isNegative() || idle.isZero()) {
                err.println("vpc-ha agent-serve: IDLE_SECONDS must be at least 1: " + operands.get(1));
                return 2;
            }
        }
        Path plugins = HostInstallation.pluginsDirectory(Optional.empty(), environment);
        Path home = HostInstallation.home();
        Path lib = home.resolve("lib");
        AcceleratorLog log = new AcceleratorLog(err, logActions, SUMMARY_EVERY);
        boolean inherited = operands.get(0).equals("--inherited");
        AcceleratorService service;
        try {
            service = inherited
                    ? AcceleratorService.inherited(
                            stdin.get(),
                            idle,
                            home,
                            plugins,
                            () -> IndexedPlugins.of(plugins, CommonParameters.reservedNames(), environment),
                            () -> InstallationFingerprint.of(lib, plugins),
                            log,
                            Abandonment.halting(log))
                    : AcceleratorService.bind(
                            Path.of(operands.get(0)),
                            idle,
                            home,
                            plugins,
                            () -> IndexedPlugins.of(plugins, CommonParameters.reservedNames(), environment),
                            () -> InstallationFingerprint.of(lib, plugins),
                            log,
                            Abandonment.halting(log));
        } catch (IOException | RuntimeException e) {
            err.println("vpc-ha agent-serve: " + e.getMessage());
            return 1;
        }
        log.message("pid " + ProcessHandle.current().pid() + " serving on " + service.address()
                + (inherited ? " (the activator's socket)" : " (bound here)")
                + ", plugins " + plugins + ", exits after " + idle.toSeconds() + " s idle");
        // systemctl stop (SIGTERM): the last summary, then the JVM ends; a running action's client
        // gets no end and runs it cold
        Thread lastWords = new Thread(log::summary, "vpc-ha-accelerator-stop");
        Runtime.getRuntime().addShutdownHook(lastWords);
        try {
            // ends once idle: the service said so itself, while its standard error still was the journal
            service.serve();
            log.summary();
            return 0;
        } catch (IOException | RuntimeException e) {
            log.summary();
            err.println("vpc-ha agent-serve: " + e.getMessage());
            return 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(lastWords);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is ending already: the hook runs
            }
        }
    }

    private static Channel inheritedChannel() throws IOException {
        Channel channel = System.inheritedChannel();
        if (channel == null) {
            throw new IOException("--inherited: standard input is no socket (start it through vpc-ha-agent.socket)");
        }
        return channel;
    }
}
