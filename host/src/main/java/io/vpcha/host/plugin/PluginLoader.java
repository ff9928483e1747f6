package io.vpcha.host.plugin;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.files.SafeFiles;
import io.vpcha.spi.ParameterSpec;
import io.vpcha.spi.SpiVersion;
import io.vpcha.spi.StrategyProvider;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * whose static initialiser, constructor or description throws (any {@link Throwable}, errors such as
 * {@link AssertionError} and {@link StackOverflowError} included), a name that is not a valid strategy
 * name, a parameter that clashes with the host's own, and two plugins claiming one strategy name (both
 * are refused: the host cannot know which one the administrator meant).
 *
 * <p>Plugin code runs as root, so a plugin is only loaded from a directory no one else can change (see
 * {@link SafeFiles#trustedDirectoryProblem}) and when its jars are owned by root (or the user running vpc-ha) and writable
 * by no one else. Each plugin loads in a thread of its own, all at once, within a bound: one that hangs
 * (in its static initialiser or constructor, say) is reported when the bound is reached, and one that
 * calls {@code System.exit} is reported when the {@link ExitGuard} holds that exit; the others load
 * all the same.
 */
public final class PluginLoader {
    /** How long loading may take when no deadline is given (the vpc-ha command): ample for any working plugin. */
    public static final Duration DEFAULT_LOAD_TIME = Duration.ofSeconds(10);

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

    /** Loads the plugins of {@code directory}, giving them {@link #DEFAULT_LOAD_TIME}. */
    public PluginRegistry load(Path directory) {
        return load(directory, Instant.now().plus(DEFAULT_LOAD_TIME));
    }

    /**
     * Loads the plugins of {@code directory}; a plugin not loaded by {@code deadline} is reported as
     * hanging and left out.
     */
    public PluginRegistry load(Path directory, Instant deadline) {
        requireNonNull(directory, "directory is null");
        List<PluginProblem> problems = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            problems.add(new PluginProblem(directory, "the plugins directory does not exist"));
            return new PluginRegistry(directory, List.of(), problems);
        }
        if (refused(directory, problems)) {
            return new PluginRegistry(directory, List.of(), problems);
        }
        return load(directory, entries(directory, problems), deadline, problems);
    }

    /**
     * Loads only {@code entries} of a plugins directory, by {@code deadline}: the plugin the
     * {@link PluginIndex} names for a strategy, the others untouched (their static initialisers never
     * run). The directory is trusted or refused as a whole, as when every plugin loads.
     */
    public PluginRegistry load(Path directory, List<Path> entries, Instant deadline) {
        requireNonNull(directory, "directory is null");
        List<PluginProblem> problems = new ArrayList<>();
        if (refused(directory, problems)) {
            return new PluginRegistry(directory, List.of(), problems);
        }
        return load(directory, entries, deadline, problems);
    }

    /** Whether the plugins directory may not be trusted with root's power (the problem added if so). */
    private static boolean refused(Path directory, List<PluginProblem> problems) {
        Optional<String> unsafe = SafeFiles.trustedDirectoryProblem(directory.toAbsolutePath());
        unsafe.ifPresent(problem ->
                problems.add(new PluginProblem(directory, "plugins directory refused, no plugin loaded: " + problem)));
        return unsafe.isPresent();
    }

    /** Each plugin in a thread of its own, all at once, each within the deadline. */
    @SuppressWarnings("try") // the registration lasts for the whole block, never referenced in it
    private PluginRegistry load(Path directory, List<Path> entries, Instant deadline, List<PluginProblem> problems) {
        requireNonNull(deadline, "deadline is null");
        Map<String, PluginLoadTask> loads = new LinkedHashMap<>();
        for (Path entry : entries) {
            loads.put(PluginClassLoader.loaderName(pluginName(entry)), new PluginLoadTask(entry));
        }
        List<InstalledStrategy> loaded = new ArrayList<>();
        try (ExitGuard.Registration exits = ExitGuard.onPluginExit(attempt -> {
            PluginLoadTask load = loads.get(attempt.pluginLoaderName());
            if (load != null) {
                load.fail("tried to end the process (System.exit) while loading; a plugin must never exit");
            }
        })) {
            loads.values().forEach(PluginLoadTask::start);
            for (PluginLoadTask load : loads.values()) {
                PluginLoad result = load.await(deadline);
                loaded.addAll(result.strategies());
                problems.addAll(result.problems());
            }
        }
        return new PluginRegistry(directory, withoutDuplicates(loaded, problems), problems);
    }

    /** What loading one plugin gave: its strategies and its problems. */
    private record PluginLoad(List<InstalledStrategy> strategies, List<PluginProblem> problems) {
        static PluginLoad failed(Path entry, String reason) {
            return new PluginLoad(List.of(), List.of(new PluginProblem(entry, reason)));
        }

        static PluginLoad outOfTime(Path entry, String reason) {
            return new PluginLoad(List.of(), List.of(new PluginProblem(entry, reason, true)));
        }
    }

    /** Loading one plugin, in a daemon thread of its own; ended early when the plugin tries to exit. */
    private final class PluginLoadTask extends FutureTask<PluginLoad> {
        private final Path entry;
        private final Thread thread;

        PluginLoadTask(Path entry) {
            super(() -> {
                try {
                    return loadPlugin(entry);
                } catch (Throwable e) { // any failure of plugin code stays the plugin's
                    return PluginLoad.failed(entry, "cannot be loaded: " + describe(e));
                }
            });
            this.entry = entry;
            this.thread = new Thread(this, "vpc-ha load " + entry.getFileName());
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        /** Ends the load with a problem (from the exit guard's thread). */
        void fail(String reason) {
            set(PluginLoad.failed(entry, reason));
        }

        PluginLoad await(Instant deadline) {
            try {
                long millis =
                        Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
                return get(millis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                thread.interrupt(); // a plugin asleep wakes and fails; one that spins keeps a CPU for this process
                return PluginLoad.outOfTime(
                        entry, "did not finish loading in the time given (it hangs, in its provider's constructor?)");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return PluginLoad.failed(entry, "loading was interrupted");
            } catch (ExecutionException e) {
                return PluginLoad.failed(entry, "cannot be loaded: " + describe(e.getCause()));
            }
        }
    }

    private static String pluginName(Path entry) {
        return entry.getFileName().toString();
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

    private PluginLoad loadPlugin(Path entry) {
        List<InstalledStrategy> loaded = new ArrayList<>();
        List<PluginProblem> problems = new ArrayList<>();
        List<Path> jars;
        try {
            jars = jarsOf(entry);
        } catch (IOException e) {
            return PluginLoad.failed(entry, "cannot list the plugin folder: " + e.getMessage());
        }
        if (jars.isEmpty()) {
            return PluginLoad.failed(entry, "the plugin folder holds no jar");
        }
        Optional<String> untrusted = untrusted(entry, jars);
        if (untrusted.isPresent()) {
            return PluginLoad.failed(entry, "refused, not loaded: " + untrusted.get());
        }
        Optional<String> spiProblem;
        try {
            spiProblem = SpiVersion.incompatibility(declaredSpiVersion(jars));
        } catch (IOException e) {
            return PluginLoad.failed(entry, "not a readable jar: " + e.getMessage());
        }
        if (spiProblem.isPresent()) {
            return PluginLoad.failed(entry, "incompatible plugin: " + spiProblem.get());
        }
        PluginClassLoader classLoader;
        try {
            classLoader = new PluginClassLoader(pluginName(entry), urls(jars), spiLoader);
        } catch (MalformedURLException e) {
            return PluginLoad.failed(entry, "bad jar path: " + e.getMessage());
        }
        int found = loadProviders(entry, classLoader, loaded, problems);
        if (found == 0 && problems.isEmpty()) {
            problems.add(new PluginProblem(
                    entry,
                    "no strategy provider: the plugin has no " + SERVICE_FILE + " naming a class that implements "
                            + StrategyProvider.class.getName()));
        }
        return new PluginLoad(loaded, problems);
    }

    /**
     * Why the plugin's files may not be trusted with root's power: a jar or folder (or what a link
     * among them points to) owned by another user or writable by others, or lying in a directory others
     * can change. Empty when they may.
     */
    private static Optional<String> untrusted(Path entry, List<Path> jars) {
        List<Path> files = new ArrayList<>(jars);
        if (Files.isDirectory(entry)) {
            files.add(0, entry);
        }
        try {
            for (Path file : files) {
                Path real = file.toRealPath();
                Optional<String> problem = SafeFiles.ownerOrModeProblem(real);
                if (problem.isEmpty() && !real.equals(file.toAbsolutePath())) {
                    // a link: where it leads must be as safe as the plugins directory itself
                    problem = SafeFiles.trustedDirectoryProblem(real.getParent());
                }
                if (problem.isPresent()) {
                    return problem;
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot check the owner and mode of its files: " + e.getMessage());
        } catch (UnsupportedOperationException e) {
            return Optional.of("cannot check the owner and mode of its files on this file system");
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
            } catch (Throwable e) { // ServiceConfigurationError, LinkageError, an Error a static initialiser threw
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
        } catch (Throwable e) { // AssertionError, StackOverflowError... stay the plugin's failure
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
