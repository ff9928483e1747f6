package io.vpcha.host;

import io.vpcha.host.accelerator.AcceleratorMain;
import io.vpcha.host.cds.ArchiveTraining;
import io.vpcha.host.cli.OcfCommand;
import io.vpcha.host.cli.VpcHaCli;
import io.vpcha.host.plugin.ExitGuard;
import java.util.Arrays;

/**
 * The entry point of the {@code vpc-ha} command and of the OCF agent.
 *
 * <p>{@code vpc-ha ocf ACTION}, which Pacemaker runs every few seconds per resource, goes straight
 * to the agent without building the command line parser: each action is a cold JVM, and the
 * parser's start-up would be paid on every monitor.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // first: no plugin may end this process (System.exit) while it works
        ExitGuard.install();
        int code;
        if (args.length == 2 && args[0].equals("ocf") && !args[1].startsWith("-")) {
            code = OcfCommand.runAgent(args[1], System.getenv(), System.out, System.err);
        } else if (args.length > 0 && args[0].equals("agent-serve")) {
            // the resident accelerator (docs/accelerator.md), started by systemd's socket or by hand
            code = AcceleratorMain.run(
                    Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out, System.err);
        } else if (args.length > 0 && args[0].equals("cds-train")) {
            // run by bin/vpc-ha-cds in the JVM that writes the class-data-sharing archive
            code = ArchiveTraining.run(Arrays.copyOfRange(args, 1, args.length));
        } else {
            code = VpcHaCli.run(args, System.out, System.err, System.getenv());
        }
        System.out.flush();
        ExitGuard.exit(code);
    }
}
