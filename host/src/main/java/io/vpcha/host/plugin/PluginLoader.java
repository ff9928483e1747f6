package io.vpcha.host.plugin;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.ParameterSpec;
import io.vpcha.spi.SpiVersion;
import io.vpcha.spi.StrategyProvider;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Loads every plugin of a plugins directory. Each entry is one plugin: a {@code .jar} file, or a
 * folder whose jars (sorted by name) form the plugin's class path. Each plugin gets its own
 * {@link PluginClassLoader} and its {@link StrategyProvider}s are found with {@link ServiceLoader}.
 *
 * <p>Every failure is confined to its plugin and reported with the plugin's path: a jar that is not
 * a jar, no or an incompatible SPI version, no provider, a provider whose class cannot be loaded or
 * whose static initialiser or constructor throws, a name that is not a valid strategy name, a
 * parameter that clashes with the host's own, and two plugins claiming one strategy name (both are
 * refused: the host cannot know which one the administrator meant).
 */
public final class PluginLoader {
    private static final Pattern STRATEGY_NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final int MAX_PROVIDER_FAILURES = 16;
    private static final String SERVICE_FILE = "META-INF/services/" + StrategyProvider.class.getName();

    private final ClassLoader spiLoader;
    private final Set<String> reservedParameterNames;

    /**
     * @param reservedParameterNames the host's own parameter names (and aliases), which no strategy
     *     may declare
     */
    public PluginLoader(Set<String> reservedParameterNames) {
        this.spiLoader = StrategyProvider.class.getClassLoader();
        this.reservedParameterNames =
                Set.copyOf(requireNonNull(reservedParameterNames, "reservedParameterNames is null"));
    }

    public PluginRegistry load(Path directory) {
        requireNonNull(directory, "directory is null");
        List<PluginProblem> problems = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            problems.add(new PluginProblem(directory, "the plugins directory does not exist"));
            return new PluginRegistry(directory, List.of(), problems);
        }
        return load(directory, entries(directory, problems), problems);
    }

    /**
     * Loads only {@code entries} of a plugins directory: the plugin the {@link PluginIndex} names for
     * a strategy, the others untouched (their static initialisers never run).
     */
    public PluginRegistry load(Path directory, List<Path> entries) {
        return load(directory, entries, new ArrayList<>());
    }

    private PluginRegistry load(Path directory, List<Path> entries, List<PluginProblem> problems) {
        List<InstalledStrategy> loaded = new ArrayList<>();
        for (Path entry : entries) {
            loadPlugin(entry, loaded, problems);
        }
        return new PluginRegistry(directory, withoutDuplicates(loaded, problems), problems);
    }

    /** The plugins of a directory: its jars and folders, sorted, hidden ones left out. */
    static List<Path> entries(Path directory, List<PluginProblem> problems) {
        try (Stream<Path> stream = Files.list(directory)) {
            return stream.filter(path -> !path.getFileName().toString().startsWith("."))
                    .filter(path -> Files.isDirectory(path)
                            || path.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            problems.add(new PluginProblem(directory, "cannot list the plugins directory: " + e.getMessage()));
            return List.of();
        }
    }

    private void loadPlugin(Path entry, List<InstalledStrategy> loaded, List<PluginProblem> problems) {
        List<Path> jars;
        try {
            jars = jarsOf(entry);
        } catch (IOException e) {
            problems.add(new PluginProblem(entry, "cannot list the plugin folder: " + e.getMessage()));
            return;
        }
        if (jars.isEmpty()) {
            problems.add(new PluginProblem(entry, "the plugin folder holds no jar"));
            return;
        }
        Optional<String> spiProblem;
        try {
            spiProblem = SpiVersion.incompatibility(declaredSpiVersion(jars));
        } catch (IOException e) {
            problems.add(new PluginProblem(entry, "not a readable jar: " + e.getMessage()));
            return;
        }
        if (spiProblem.isPresent()) {
            problems.add(new PluginProblem(entry, "incompatible plugin: " + spiProblem.get()));
            return;
        }
        PluginClassLoader classLoader;
        try {
            classLoader = new PluginClassLoader(entry.getFileName().toString(), urls(jars), spiLoader);
        } catch (MalformedURLException e) {
            problems.add(new PluginProblem(entry, "bad jar path: " + e.getMessage()));
            return;
        }
        int found = loadProviders(entry, classLoader, loaded, problems);
        if (found == 0
                && problems.stream().noneMatch(problem -> problem.source().equals(entry))) {
            problems.add(new PluginProblem(
                    entry,
                    "no strategy provider: the plugin has no " + SERVICE_FILE + " naming a class that implements "
                            + StrategyProvider.class.getName()));
        }
    }

    /** Returns how many providers the plugin registers, loaded or not. */
    private int loadProviders(
            Path entry, PluginClassLoader classLoader, List<InstalledStrategy> loaded, List<PluginProblem> problems) {
        Iterator<StrategyProvider> providers =
                ServiceLoader.load(StrategyProvider.class, classLoader).iterator();
        int found = 0;
        int failures = 0;
        while (true) {
            StrategyProvider provider;
            try {
                if (!PluginCalls.call(classLoader, providers::hasNext)) {
                    return found;
                }
                found++;
                provider = PluginCalls.call(classLoader, providers::next);
            } catch (ServiceConfigurationError | LinkageError e) {
                problems.add(new PluginProblem(entry, "cannot create a strategy provider: " + describe(e)));
                // ServiceLoader makes a best effort to go on after an error, without a guarantee: bound it.
                if (++failures >= MAX_PROVIDER_FAILURES) {
                    return found;
                }
                continue;
            }
            inspect(entry, provider, classLoader, problems).ifPresent(loaded::add);
        }
    }

    private Optional<InstalledStrategy> inspect(
            Path entry, StrategyProvider provider, ClassLoader classLoader, List<PluginProblem> problems) {
        String providerClass = provider.getClass().getName();
        try {
            return PluginCalls.call(classLoader, () -> {
                String name = provider.name();
                if (name == null || !STRATEGY_NAME.matcher(name).matches()) {
                    problems.add(new PluginProblem(
                            entry,
                            providerClass + " names its strategy '" + name
                                    + "', which is not lower case letters, digits and dashes starting with a letter"));
                    return Optional.empty();
                }
                List<ParameterSpec> parameters = List.copyOf(provider.parameters());
                List<String> clashes = parameters.stream()
                        .flatMap(spec -> Stream.concat(Stream.of(spec.name()), spec.deprecatedAliases().stream()))
                        .filter(reservedParameterNames::contains)
                        .toList();
                if (!clashes.isEmpty()) {
                    problems.add(new PluginProblem(
                            entry,
                            "strategy '" + name + "' declares parameter " + String.join(", ", clashes)
                                    + ", which the host reserves for itself"));
                    return Optional.empty();
                }
                List<String> repeated = parameters.stream()
                        .flatMap(spec -> Stream.concat(Stream.of(spec.name()), spec.deprecatedAliases().stream()))
                        .collect(Collectors.groupingBy(n -> n, LinkedHashMap::new, Collectors.counting()))
                        .entrySet()
                        .stream()
                        .filter(e -> e.getValue() > 1)
                        .map(Map.Entry::getKey)
                        .toList();
                if (!repeated.isEmpty()) {
                    problems.add(new PluginProblem(
                            entry,
                            "strategy '" + name + "' declares parameter " + String.join(", ", repeated)
                                    + " more than once"));
                    return Optional.empty();
                }
                return Optional.of(new InstalledStrategy(
                        name,
                        provider.version(),
                        provider.description(),
                        provider.longDescription(),
                        parameters,
                        entry,
                        provider,
                        classLoader));
            });
        } catch (RuntimeException | LinkageError e) {
            problems.add(new PluginProblem(entry, providerClass + " failed while describing itself: " + describe(e)));
            return Optional.empty();
        }
    }

    private static List<InstalledStrategy> withoutDuplicates(
            List<InstalledStrategy> loaded, List<PluginProblem> problems) {
        Map<String, List<InstalledStrategy>> byName = loaded.stream()
                .collect(Collectors.groupingBy(InstalledStrategy::name, LinkedHashMap::new, Collectors.toList()));
        List<InstalledStrategy> unique = new ArrayList<>();
        byName.forEach((name, claimants) -> {
            if (claimants.size() == 1) {
                unique.add(claimants.get(0));
                return;
            }
            for (InstalledStrategy claimant : claimants) {
                String others = claimants.stream()
                        .filter(other -> !other.equals(claimant))
                        .map(other -> other.source().toString())
                        .collect(Collectors.joining(", "));
                problems.add(new PluginProblem(
                        claimant.source(),
                        "strategy '" + name + "' is also provided by " + others
                                + "; neither is used until one is removed"));
            }
        });
        return unique;
    }

    static List<Path> jarsOf(Path entry) throws IOException {
        if (!Files.isDirectory(entry)) {
            return List.of(entry);
        }
        try (Stream<Path> stream = Files.list(entry)) {
            return stream.filter(path -> path.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .toList();
        }
    }

    /** The SPI version the plugin declares: the first of its jars (in class-path order) that names one. */
    private static String declaredSpiVersion(List<Path> jars) throws IOException {
        for (Path jar : jars) {
            try (JarFile jarFile = new JarFile(jar.toFile(), false)) {
                if (jarFile.getManifest() == null) {
                    continue;
                }
                Attributes attributes = jarFile.getManifest().getMainAttributes();
                String version = attributes.getValue(SpiVersion.MANIFEST_ATTRIBUTE);
                if (version != null) {
                    return version;
                }
            }
        }
        return null;
    }

    private static List<URL> urls(List<Path> jars) throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            urls.add(jar.toUri().toURL());
        }
        return urls;
    }

    /** The error and its innermost cause, on one line: what an administrator needs to find the fault. */
    static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = error.getClass().getSimpleName() + ": " + error.getMessage();
        if (root != error) {
            text += " (caused by " + root.getClass().getName() + ": " + root.getMessage() + ")";
        }
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
