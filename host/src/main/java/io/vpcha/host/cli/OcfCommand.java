package io.vpcha.host.cli;

import io.vpcha.host.install.HostInstallation;
import io.vpcha.host.ocf.ActionDeadline;
import io.vpcha.host.ocf.OcfAgent;
import io.vpcha.host.ocf.OcfEnvironment;
import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.plugin.IndexedPlugins;
import io.vpcha.host.plugin.PluginSource;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** The OCF entry point: runs one action for the resource described by the OCF_* environment. */
@Command(
        name = "ocf",
        description = {
            "Run an OCF action for the resource in the OCF_RESKEY_* environment, as the "
                    + "agent ocf:ibm:vpc-ha does; exits with the OCF code and writes ocf-exit-reason:REASON on failure."
        })
public final class OcfCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    HelpOption help;

    @Parameters(paramLabel = "ACTION", description = "start, stop, monitor, validate-all, reload-agent or meta-data.")
    String action;

    OcfCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        return runAgent(action, context.environment, context.pluginsDirectory(), context.out, context.err);
    }

    /** The agent as Pacemaker runs it, with the plugins directory the environment names. */
    public static int runAgent(String action, Map<String, String> environment, PrintStream out, PrintStream err) {
        return runAgent(
                action, environment, HostInstallation.pluginsDirectory(Optional.empty(), environment), out, err);
    }

    /**
     * Only the plugin of the resource's strategy is loaded (through the plugin index), within a quarter
     * of the action's time (half for a stop or a demote: {@link ActionDeadline#pluginLoadingDeadline}): a
     * plugin that hangs while loading is then reported, and the action still ends within its timeout.
     */
    private static int runAgent(
            String action, Map<String, String> environment, Path pluginsDirectory, PrintStream out, PrintStream err) {
        Instant start = ActionDeadline.startOfThisProcess();
        OcfEnvironment ocf = new OcfEnvironment(environment);
        PluginSource plugins = IndexedPlugins.of(
                pluginsDirectory,
                CommonParameters.reservedNames(),
                environment,
                ActionDeadline.of(start, ocf.timeout()).pluginLoadingDeadline(action));
        return new OcfAgent(plugins, ocf, out, err, start).run(action);
    }

    static int runAgent(
            String action, Map<String, String> environment, PluginSource plugins, PrintStream out, PrintStream err) {
        return new OcfAgent(plugins, new OcfEnvironment(environment), out, err, ActionDeadline.startOfThisProcess())
                .run(action);
    }
}
