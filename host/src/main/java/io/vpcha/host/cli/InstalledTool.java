package io.vpcha.host.cli;

import io.vpcha.host.install.HostInstallation;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs a tool of the installation (the demo, the simulator) in this JVM, from {@code <install>/lib/demo}
 * in a class loader of its own whose parent is the platform class loader: the tool sees none of the
 * host's classes and the host none of its, and nothing of it is loaded for any other subcommand.
 *
 * <p>In this JVM rather than a second one: a signal to {@code vpc-ha simulator} or {@code vpc-ha demo}
 * reaches the tool itself (there is no second JVM to be left running when the first one ends), and
 * one JVM start is saved.
 */
final class InstalledTool {
    private InstalledTool() {}

    /**
     * Runs the static main of MAIN_CLASS with the arguments: 0 when it returns. A tool that calls
     * System.exit ends this JVM with its own code.
     */
    static int run(CliContext context, String mainClass, List<String> arguments) {
        Path classPath = HostInstallation.home().resolve("lib").resolve("demo");
        if (!Files.isDirectory(classPath)) {
            context.err.println("vpc-ha: " + classPath + " is missing; this installation has no demo or simulator");
            return ExitCodes.FAILED;
        }
        Method main;
        // not closed: the tool's classes are loaded until this JVM ends (its shutdown hooks need them)
        ClassLoader loader;
        try {
            loader = new URLClassLoader("vpc-ha-tools", jars(classPath), ClassLoader.getPlatformClassLoader());
            main = Class.forName(mainClass, true, loader).getMethod("main", String[].class);
        } catch (IOException | ReflectiveOperationException e) {
            context.err.println("vpc-ha: cannot load " + mainClass + " from " + classPath + ": " + e);
            return ExitCodes.FAILED;
        }
        if (!Modifier.isStatic(main.getModifiers())) {
            context.err.println("vpc-ha: " + mainClass + ".main is not static");
            return ExitCodes.FAILED;
        }
        // what the tool prints goes where this command's output goes
        context.out.flush();
        context.err.flush();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            main.invoke(null, (Object) arguments.toArray(String[]::new));
            return ExitCodes.OK;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(mainClass + " failed", cause);
        } catch (IllegalAccessException e) {
            context.err.println("vpc-ha: cannot run " + mainClass + ": " + e);
            return ExitCodes.FAILED;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static URL[] jars(Path directory) throws IOException {
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path jar : entries.filter(path -> path.toString().endsWith(".jar"))
                    .sorted()
                    .toList()) {
                jars.add(jar.toUri().toURL());
            }
        }
        return jars.toArray(URL[]::new);
    }
}
