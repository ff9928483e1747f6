package io.vpcha.host.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code vpc-ha} command line: one class per subcommand, data on stdout, messages on stderr. */
@Command(
        name = "vpc-ha",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "High availability for IBM Cloud VPC clusters run by Pacemaker.",
        footer = {
            "",
            "Exit codes: 0 ok, 1 failed, 2 usage, 3 plugin problems, 4 not found, 70 internal error;",
            "the ocf subcommand exits with OCF codes."
        })
public final class VpcHaCli implements Runnable {
    private final CliContext context;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private VpcHaCli(CliContext context) {
        this.context = context;
    }

    @Option(
            names = "--plugins",
            paramLabel = "DIR",
            description = "Plugins directory (default: $VPC_HA_PLUGINS, else <install>/plugins).")
    void plugins(Path directory) {
        context.pluginsDirectory(directory);
    }

    @Override
    public void run() {
        spec.commandLine().usage(context.err);
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed");
    }

    /** Runs the command line and returns its exit code; testable in process. */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> environment) {
        CliContext context = new CliContext(out, err, environment);
        CommandLine commandLine = new CommandLine(new VpcHaCli(context))
                .addSubcommand(new PluginsCommand(context))
                .addSubcommand(new DescribeCommand(context))
                .addSubcommand(new MetaDataCommand(context))
                .addSubcommand(new OcfCommand(context))
                .addSubcommand(new VersionCommand(context))
                .addSubcommand(new DoctorCommand(context))
                .addSubcommand(new DemoCommand(context))
                .addSubcommand(new SimulatorCommand(context))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(utf8Writer(out))
                .setErr(utf8Writer(err))
                .setExecutionExceptionHandler((exception, failed, parseResult) -> {
                    // a bug, not a user error: the stack trace helps whoever reports it
                    exception.printStackTrace(err);
                    return ExitCodes.INTERNAL;
                });
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    // UTF-8 whatever the locale: Pacemaker may run us under POSIX, where the default would be ASCII
    private static PrintWriter utf8Writer(PrintStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }
}
