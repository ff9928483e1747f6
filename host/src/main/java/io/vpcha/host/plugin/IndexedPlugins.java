package io.vpcha.host.plugin;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.ComparisonSwitch;
import io.vpcha.host.files.SafeFiles;
import io.vpcha.host.install.HostInstallation;
import io.vpcha.spi.SpiVersion;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The plugins of an action: only the one that provides the action's strategy, found through the
 * {@link PluginIndex}, so that an action costs one plugin, not all of them, and another plugin's
 * static initialiser never runs in this resource's actions. Every plugin is loaded (and the index
 * made again) when the index is missing, stale (a jar added, removed, replaced), unreadable, or does
 * not know the strategy; so a broken or missing index makes an action slower, never wrong.
 *
 * <p>{@link ComparisonSwitch#PLUGIN_INDEX} off loads every plugin always (to compare, or to rule the
 * index out).
 */
public final class IndexedPlugins implements PluginSource {
    private final Path directory;
    private final PluginLoader loader;
    private final String host;
    private final Instant loadingDeadline;
    /**
     * What the index gave for each strategy asked for, loaded once: a stop asks for its strategy twice (the
     * one that started the resource, then the action's), and a second load would cost a second class loader
     * and another share of the time given for loading.
     */
    private final Map<String, Optional<PluginRegistry>> loadedThroughIndex = new HashMap<>();

    private PluginRegistry all;

    IndexedPlugins(Path directory, PluginLoader loader, String host, Instant loadingDeadline) {
        this.directory = requireNonNull(directory, "directory is null");
        this.loader = requireNonNull(loader, "loader is null");
        this.host = requireNonNull(host, "host is null");
        this.loadingDeadline = requireNonNull(loadingDeadline, "loadingDeadline is null");
    }

    /**
     * The plugins of {@code directory} for one action: through the index, unless the environment turns
     * it off.
     *
     * @param reservedParameterNames the host's own parameter names, which no strategy may declare
     */
    public static PluginSource of(Path directory, Set<String> reservedParameterNames, Map<String, String> environment) {
        return of(directory, reservedParameterNames, environment, Instant.now().plus(PluginLoader.DEFAULT_LOAD_TIME));
    }

    /**
     * The plugins of {@code directory} for one action, as {@link #of(Path, Set, Map)}; a plugin still
     * loading at {@code loadingDeadline} (one that hangs) is reported and left out, whether it loads
     * alone through the index or with every other.
     */
    public static PluginSource of(
            Path directory,
            Set<String> reservedParameterNames,
            Map<String, String> environment,
            Instant loadingDeadline) {
        PluginLoader loader = new PluginLoader(reservedParameterNames);
        if (!ComparisonSwitch.PLUGIN_INDEX.on(environment)) {
            return loader.load(directory, loadingDeadline);
        }
        return new IndexedPlugins(directory, loader, hostIdentity(reservedParameterNames), loadingDeadline);
    }

    /**
     * Loads every plugin and writes the index anew (install.sh runs it through {@code vpc-ha plugins
     * --index}).
     *
     * @return why no index could be written, if it could not
     */
    public static Optional<String> rebuild(Path directory, Set<String> reservedParameterNames) {
        IndexedPlugins plugins = new IndexedPlugins(
                directory,
                new PluginLoader(reservedParameterNames),
                hostIdentity(reservedParameterNames),
                Instant.now().plus(PluginLoader.DEFAULT_LOAD_TIME));
        return plugins.loadAllAndIndex();
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public synchronized Optional<InstalledStrategy> strategy(String name) {
        if (all == null) {
            Optional<PluginRegistry> indexed = loadedThroughIndex.computeIfAbsent(name, this::throughIndex);
            if (indexed.isPresent()) {
                Optional<InstalledStrategy> strategy = indexed.get().strategy(name);
                if (strategy.isPresent()) {
                    return strategy;
                }
                if (!Instant.now().isBefore(loadingDeadline)) {
                    // it hung: no time is left to load every plugin, and its own problem says why
                    all = indexed.get();
                    return Optional.empty();
                }
            }
        }
        // not indexed, or no longer where the index says: every plugin says why (or where it is now)
        return registry().strategy(name);
    }

    @Override
    public synchronized PluginRegistry registry() {
        if (all == null) {
            loadAllAndIndex();
        }
        return all;
    }

    /** The plugin the index names for the strategy, loaded alone; empty when the index cannot tell. */
    private Optional<PluginRegistry> throughIndex(String name) {
        try {
            Optional<PluginIndex> index = PluginIndex.read(directory);
            if (index.isEmpty() || !index.get().isCurrent(host, PluginIndex.fingerprint(directory))) {
                return Optional.empty();
            }
            Optional<String> entry = index.get().entryFor(name);
            if (entry.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(loader.load(directory, List.of(directory.resolve(entry.get())), loadingDeadline));
        } catch (IOException | RuntimeException brokenIndex) {
            // the index only ever saves time: without it, every plugin is loaded
            return Optional.empty();
        }
    }

    /** Loads every plugin, then writes the index when the plugins did not change meanwhile. */
    private Optional<String> loadAllAndIndex() {
        List<PluginIndex.Entry> before;
        try {
            before = PluginIndex.fingerprint(directory);
        } catch (IOException | RuntimeException e) {
            all = loader.load(directory, loadingDeadline);
            return Optional.of("cannot list " + directory + ": " + e.getMessage());
        }
        all = loader.load(directory, loadingDeadline);
        try {
            Optional<PluginIndex> kept = PluginIndex.read(directory);
            if (kept.isPresent() && kept.get().isCurrent(host, before)) {
                return Optional.empty();
            }
            if (!PluginIndex.sameFiles(PluginIndex.fingerprint(directory), before)) {
                return Optional.of("the plugins changed while they were loaded");
            }
            // never a file in a directory others could have planted a link in
            Optional<String> unsafe = SafeFiles.directoryProblem(directory, false);
            if (unsafe.isPresent()) {
                return unsafe;
            }
            PluginIndex.of(host, before, all).write(directory);
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("cannot write " + directory.resolve(PluginIndex.FILE) + ": " + e.getMessage());
        }
    }

    /**
     * What decides what loads: this host (its jar's size and modification time: an upgrade or a rebuild
     * replaces it), its SPI and the parameter names it reserves.
     *
     * <p>Cheap on purpose, since every action computes it before it loads anything: a stat, String's
     * specified hash (a message digest would load the JDK's security providers), and no {@code +} on
     * strings (the first use of each shape of string concatenation spins method handles: ~15 ms cold).
     */
    private static String hostIdentity(Set<String> reservedParameterNames) {
        String reserved = String.join(",", new TreeSet<>(reservedParameterNames));
        String host;
        try {
            Path jar = Path.of(IndexedPlugins.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            BasicFileAttributes attributes = Files.readAttributes(jar, BasicFileAttributes.class);
            host = String.join(
                    " ",
                    jar.getFileName().toString(),
                    Long.toString(attributes.size()),
                    Long.toString(attributes.lastModifiedTime().toMillis()));
        } catch (IOException | URISyntaxException | RuntimeException e) {
            host = HostInstallation.version();
        }
        return String.join(
                " ", host, "spi", SpiVersion.current(), "reserved", Integer.toHexString(reserved.hashCode()));
    }
}
