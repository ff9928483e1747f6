package io.vpcha.host.plugin;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/** A plugin (or plugin entry) that could not be used, and why. */
public record PluginProblem(Path source, String reason) {
    public PluginProblem {
        requireNonNull(source, "source is null");
        requireNonNull(reason, "reason is null");
    }

    @Override
    public String toString() {
        return source + ": " + reason;
    }
}
