package io.vpcha.host.cli;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.install.HostInstallation;
import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.plugin.PluginLoader;
import io.vpcha.host.plugin.PluginRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** What every subcommand shares: the output streams, the environment and the plugins directory. */
final class CliContext {
    final PrintStream out;
    final PrintStream err;
    final Map<String, String> environment;
    private Path pluginsOverride;

    CliContext(PrintStream out, PrintStream err, Map<String, String> environment) {
        this.out = requireNonNull(out, "out is null");
        this.err = requireNonNull(err, "err is null");
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
    }

    void pluginsDirectory(Path directory) {
        this.pluginsOverride = directory;
    }

    Path pluginsDirectory() {
        return HostInstallation.pluginsDirectory(Optional.ofNullable(pluginsOverride), environment);
    }

    PluginRegistry loadPlugins() {
        return new PluginLoader(CommonParameters.reservedNames()).load(pluginsDirectory());
    }
}
