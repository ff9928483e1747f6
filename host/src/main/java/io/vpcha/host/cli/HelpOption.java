package io.vpcha.host.cli;

import picocli.CommandLine.Option;

/** {@code -h} and {@code --help} for a subcommand: its usage on standard output, exit code 0. */
final class HelpOption {
    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean requested;
}
