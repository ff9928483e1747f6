package io.vpcha.host.accelerator;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.plugin.InstalledStrategy;
import io.vpcha.host.plugin.PluginRegistry;
import io.vpcha.host.plugin.PluginSource;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The plugins of the service's actions: each strategy loaded once, on its first action, and kept, so
 * that later actions find its classes loaded and compiled. Safe to keep because the service refuses
 * every request once the plugins changed ({@link InstallationFingerprint}).
 */
final class WarmPlugins implements PluginSource {
    private final Path directory;
    private final Supplier<PluginSource> fresh;
    private final Map<String, InstalledStrategy> loaded = new HashMap<>();

    /**
     * @param fresh the plugins of {@code directory} as one cold action would load them (with a loading
     *     deadline from now): asked for each strategy not loaded yet
     */
    WarmPlugins(Path directory, Supplier<PluginSource> fresh) {
        this.directory = requireNonNull(directory, "directory is null");
        this.fresh = requireNonNull(fresh, "fresh is null");
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public synchronized Optional<InstalledStrategy> strategy(String name) {
        InstalledStrategy kept = loaded.get(name);
        if (kept != null) {
            return Optional.of(kept);
        }
        Optional<InstalledStrategy> strategy = fresh.get().strategy(name);
        strategy.ifPresent(found -> loaded.put(name, found));
        return strategy;
    }

    @Override
    public synchronized PluginRegistry registry() {
        return fresh.get().registry();
    }
}
