package io.vpcha.host.accelerator;

import io.vpcha.host.install.HostInstallation;
import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.plugin.IndexedPlugins;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code vpc-ha agent-serve SOCKET [IDLE_SECONDS]}: runs the accelerator until it was idle that long
 * (default 600 s). Not a picocli subcommand: like {@code ocf}, it is what the launcher runs, not what
 * administrators type.
 */
public final class AcceleratorMain {
    static final Duration DEFAULT_IDLE = Duration.ofMinutes(10);

    private AcceleratorMain() {}

    public static int run(String[] args, Map<String, String> environment, PrintStream err) {
        if (args.length < 1 || args.length > 2) {
            err.println("usage: vpc-ha agent-serve SOCKET [IDLE_SECONDS]");
            return 2;
        }
        Duration idle = DEFAULT_IDLE;
        if (args.length == 2) {
            try {
                idle = Duration.ofSeconds(Long.parseLong(args[1]));
            } catch (NumberFormatException e) {
                err.println("vpc-ha agent-serve: IDLE_SECONDS is not a number: " + args[1]);
                return 2;
            }
        }
        Path plugins = HostInstallation.pluginsDirectory(Optional.empty(), environment);
        Path lib = HostInstallation.home().resolve("lib");
        try {
            AcceleratorService.bind(
                            Path.of(args[0]),
                            idle,
                            plugins,
                            () -> IndexedPlugins.of(plugins, CommonParameters.reservedNames(), environment),
                            () -> InstallationFingerprint.of(lib, plugins))
                    .serve();
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("vpc-ha agent-serve: " + e.getMessage());
            return 1;
        }
    }
}
