package io.vpcha.host.plugin;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where an action finds its strategy: a {@link PluginRegistry} that loaded every plugin, or {@link
 * IndexedPlugins}, which loads only the plugin that provides the strategy the action names.
 */
public interface PluginSource {
    /** The plugins directory. */
    Path directory();

    /** The strategy of that name, loading as few plugins as it can; empty when none provides it. */
    Optional<InstalledStrategy> strategy(String name);

    /** Every plugin of the directory, loaded, with the problems found: for meta-data, listings and reasons. */
    PluginRegistry registry();
}
