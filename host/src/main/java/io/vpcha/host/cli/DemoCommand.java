package io.vpcha.host.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Tells a failover step by step against an embedded simulated VPC, through the installed OCF agent. */
@Command(
        name = "demo",
        description = {
            "Show a failover step by step: a simulated VPC, two simulated nodes, and the "
                    + "installed OCF agent driven as Pacemaker drives it (probe, start, monitor, node lost, start on the "
                    + "survivor, stop), with where traffic goes after each step and what each step cost."
        })
final class DemoCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    HelpOption help;

    @Option(
            names = "--story",
            paramLabel = "STRATEGY",
            description =
                    "custom-route, floating-ip, load-balancer, public-address-range or secondary-ip (default: all five).")
    List<String> stories = new ArrayList<>();

    DemoCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        List<String> arguments = new ArrayList<>();
        stories.forEach(story -> {
            arguments.add("--story");
            arguments.add(story);
        });
        return InstalledTool.run(context, "io.vpcha.demo.DemoMain", arguments);
    }
}
