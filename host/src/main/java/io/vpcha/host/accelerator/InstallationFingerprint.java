package io.vpcha.host.accelerator;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.plugin.PluginIndex;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the service's code is: the host's jars (name, size, modification time) and the plugins as the
 * plugin index fingerprints them. Taken when the service starts and again for every request: when
 * they differ (an upgrade, a plugin added or replaced) the service refuses, so an old service never
 * runs new plugins, and the launcher runs the action cold.
 */
public record InstallationFingerprint(List<String> hostJars, List<PluginIndex.Entry> plugins) {
    public InstallationFingerprint {
        hostJars = List.copyOf(requireNonNull(hostJars, "hostJars is null"));
        plugins = List.copyOf(requireNonNull(plugins, "plugins is null"));
    }

    /** Where fingerprints come from: the installation's directories, read again on each call. */
    @FunctionalInterface
    public interface Source {
        InstallationFingerprint now() throws IOException;
    }

    public static InstallationFingerprint of(Path libDirectory, Path pluginsDirectory) throws IOException {
        List<String> jars = new ArrayList<>();
        if (Files.isDirectory(libDirectory)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(libDirectory, "*.{jar,jsa}")) {
                for (Path jar : entries) {
                    BasicFileAttributes attributes = Files.readAttributes(jar, BasicFileAttributes.class);
                    jars.add(jar.getFileName() + " " + attributes.size() + " "
                            + attributes.lastModifiedTime().toMillis());
                }
            }
        }
        jars.sort(null);
        return new InstallationFingerprint(jars, PluginIndex.fingerprint(pluginsDirectory));
    }

    /** Why {@code now} is not this installation any more, if it is not. */
    public Optional<String> changedIn(InstallationFingerprint now) {
        if (!hostJars.equals(now.hostJars)) {
            return Optional.of("vpc-ha was upgraded since the accelerator started");
        }
        if (!PluginIndex.sameFiles(plugins, now.plugins)) {
            return Optional.of("the plugins changed since the accelerator started");
        }
        return Optional.empty();
    }
}
