package io.vpcha.host.plugin;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * A plugin (or plugin entry) that could not be used, and why.
 *
 * @param outOfTime whether it was left out only because loading it took longer than the action could give
 *     (it hangs, or the action had too little time left): then nobody can say that its strategy is missing
 */
public record PluginProblem(Path source, String reason, boolean outOfTime) {
    public PluginProblem {
        requireNonNull(source, "source is null");
        requireNonNull(reason, "reason is null");
    }

    /** A plugin that cannot be used whatever the time given. */
    public PluginProblem(Path source, String reason) {
        this(source, reason, false);
    }

    @Override
    public String toString() {
        return source + ": " + reason;
    }
}
