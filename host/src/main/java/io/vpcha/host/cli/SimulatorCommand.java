package io.vpcha.host.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** Runs the VPC simulator standalone (see docs/simulator.md for its options). */
@Command(
        name = "simulator",
        description = {
            "Run the IBM Cloud VPC simulator: IAM, the VPC API and the instance "
                    + "metadata service on a local address, e.g. vpc-ha simulator --scenario three-zone --listen 127.0.0.1:8080. "
                    + "Options are the simulator's own (--help lists them)."
        })
final class SimulatorCommand implements Callable<Integer> {
    private final CliContext context;

    /** Everything after the subcommand belongs to the simulator. */
    @Unmatched
    List<String> arguments = new ArrayList<>();

    SimulatorCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        return InstalledTool.run(context, "io.vpcha.simulator.SimulatorMain", arguments);
    }
}
