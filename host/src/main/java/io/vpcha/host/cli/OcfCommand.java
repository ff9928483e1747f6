package io.vpcha.host.cli;

import io.vpcha.host.install.HostInstallation;
import io.vpcha.host.ocf.ActionDeadline;
import io.vpcha.host.ocf.OcfAgent;
import io.vpcha.host.ocf.OcfEnvironment;
import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.plugin.IndexedPlugins;
import io.vpcha.host.plugin.PluginSource;
import java.io.PrintStream;
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
        PluginSource plugins =
                IndexedPlugins.of(context.pluginsDirectory(), CommonParameters.reservedNames(), context.environment);
        return runAgent(action, context.environment, plugins, context.out, context.err);
    }

    /**
     * The agent as Pacemaker runs it, with the plugins directory the environment names: only the plugin
     * of the resource's strategy is loaded (through the plugin index).
     */
    public static int runAgent(String action, Map<String, String> environment, PrintStream out, PrintStream err) {
        PluginSource plugins = IndexedPlugins.of(
                HostInstallation.pluginsDirectory(Optional.empty(), environment),
                CommonParameters.reservedNames(),
                environment);
        return runAgent(action, environment, plugins, out, err);
    }

    static int runAgent(
            String action, Map<String, String> environment, PluginSource plugins, PrintStream out, PrintStream err) {
        return new OcfAgent(plugins, new OcfEnvironment(environment), out, err, ActionDeadline.startOfThisProcess())
                .run(action);
    }
}
