package io.vpcha.host.cli;

import io.vpcha.host.install.HostInstallation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a tool of the installation (the demo, the simulator) in a JVM of its own, on the class path
 * {@code <install>/lib/demo}: the host's own JVM never loads a simulator class, and its start-up never
 * pays for them.
 */
final class SeparateJvm {
    private SeparateJvm() {}

    static int run(CliContext context, String mainClass, List<String> arguments) {
        Path home = HostInstallation.home();
        Path classPath = home.resolve("lib").resolve("demo");
        if (!Files.isDirectory(classPath)) {
            context.err.println("vpc-ha: " + classPath + " is missing; this installation has no demo or simulator");
            return ExitCodes.FAILED;
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dvpcha.home=" + home);
        command.add("-cp");
        command.add(classPath + "/*");
        command.add(mainClass);
        command.addAll(arguments);
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            return process.waitFor();
        } catch (IOException e) {
            context.err.println("vpc-ha: cannot start " + mainClass + ": " + e.getMessage());
            return ExitCodes.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.FAILED;
        }
    }
}
