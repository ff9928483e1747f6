package io.vpcha.host.cli;

import io.vpcha.host.install.HostInstallation;
import io.vpcha.host.ocf.ActionDeadline;
import io.vpcha.host.ocf.OcfAgent;
import io.vpcha.host.ocf.OcfEnvironment;
import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.plugin.PluginLoader;
import io.vpcha.host.plugin.PluginRegistry;
import java.io.PrintStream;
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
        return runAgent(action, context.environment, context.loadPlugins(), context.out, context.err);
    }

    /**
     * The agent as Pacemaker runs it, with the plugins directory the environment names. Loading the
     * plugins may take a quarter of the action's time: a plugin that hangs while loading is then
     * reported, and the action still ends within its timeout.
     */
    public static int runAgent(String action, Map<String, String> environment, PrintStream out, PrintStream err) {
        Instant start = ActionDeadline.startOfThisProcess();
        OcfEnvironment ocf = new OcfEnvironment(environment);
        PluginRegistry registry = new PluginLoader(CommonParameters.reservedNames())
                .load(
                        HostInstallation.pluginsDirectory(Optional.empty(), environment),
                        ActionDeadline.of(start, ocf.timeout()).pluginLoadingDeadline());
        return new OcfAgent(registry, ocf, out, err, start).run(action);
    }

    static int runAgent(
            String action, Map<String, String> environment, PluginRegistry registry, PrintStream out, PrintStream err) {
        return new OcfAgent(registry, new OcfEnvironment(environment), out, err, ActionDeadline.startOfThisProcess())
                .run(action);
    }
}
