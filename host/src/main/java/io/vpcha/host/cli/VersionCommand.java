package io.vpcha.host.cli;

import io.vpcha.host.install.HostInstallation;
import io.vpcha.spi.SpiVersion;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints the versions of vpc-ha, its SPI and the Java runtime. */
@Command(name = "version", description = "Print the versions of vpc-ha, its SPI and the Java runtime.")
final class VersionCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    HelpOption help;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    VersionCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Map<String, String> versions = versions();
        if (format == OutputFormat.json) {
            context.out.println(OutputFormat.GSON.toJson(versions));
        } else {
            versions.forEach((name, value) -> context.out.println(name + " " + value));
        }
        return ExitCodes.OK;
    }

    static Map<String, String> versions() {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("vpc-ha", HostInstallation.version());
        versions.put("spi", SpiVersion.current());
        versions.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        versions.put("home", HostInstallation.home().toString());
        return versions;
    }

    /** For {@code vpc-ha --version}. */
    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"vpc-ha " + HostInstallation.version() + " (SPI " + SpiVersion.current() + ")"};
        }
    }
}
