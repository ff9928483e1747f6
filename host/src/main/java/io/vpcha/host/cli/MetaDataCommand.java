package io.vpcha.host.cli;

import io.vpcha.host.ocf.OcfEnvironment;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints the OCF meta-data of the generic agent, or of a per-strategy agent. */
@Command(name = "meta-data", description = "Print the OCF meta-data of the agent (all strategies, or one).")
final class MetaDataCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    HelpOption help;

    @Option(
            names = "--strategy",
            paramLabel = "STRATEGY",
            description = "Print the meta-data of the per-strategy agent ocf:ibm:vpc-STRATEGY.")
    String strategy;

    MetaDataCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Map<String, String> environment = new HashMap<>(context.environment);
        if (strategy != null) {
            environment.put(OcfEnvironment.FIXED_STRATEGY, strategy);
        }
        return OcfCommand.runAgent("meta-data", environment, context.loadPlugins(), context.out, context.err);
    }
}
