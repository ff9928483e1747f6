package io.vpcha.host.testing;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.SpiVersion;
import io.vpcha.spi.StrategyProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Compiles Java sources into a real plugin jar at test time, against the SPI jar alone (as a
 * third-party author would), with a manifest and a service file, so that plugin loading is tested
 * with the same kind of artefacts it meets in production, broken ones included.
 */
public final class PluginJarBuilder {
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<String> providers = new ArrayList<>();
    private final List<Path> classPath = new ArrayList<>();
    private Path spi = spiJar();
    private String spiVersion = SpiVersion.current();
    private String implementationVersion = "1.2.3";

    /** Adds a compilation unit: the fully qualified class name and its source. */
    public PluginJarBuilder source(String className, String source) {
        sources.put(requireNonNull(className, "className is null"), requireNonNull(source, "source is null"));
        return this;
    }

    /** Lists provider classes in META-INF/services/io.vpcha.spi.StrategyProvider. */
    public PluginJarBuilder provider(String className) {
        providers.add(className);
        return this;
    }

    /** The VpcHa-Spi-Version attribute, or null for none. */
    public PluginJarBuilder spiVersion(String version) {
        this.spiVersion = version;
        return this;
    }

    public PluginJarBuilder implementationVersion(String version) {
        this.implementationVersion = version;
        return this;
    }

    /**
     * The SPI to compile against instead of this build's: e.g. the classes of an older SPI, to make a
     * plugin as its authors built it then (set {@link #spiVersion} to match).
     */
    public PluginJarBuilder compileAgainstSpi(Path spiClasses) {
        this.spi = requireNonNull(spiClasses, "spiClasses is null");
        return this;
    }

    /** Another jar to compile against (e.g. a library the plugin bundles in its folder). */
    public PluginJarBuilder compileAgainst(Path jar) {
        classPath.add(jar);
        return this;
    }

    public Path build(Path jar) {
        Path work = null;
        try {
            work = Files.createTempDirectory("plugin-src");
            Path classes = Files.createDirectories(work.resolve("classes"));
            List<String> files = new ArrayList<>();
            for (Map.Entry<String, String> source : sources.entrySet()) {
                Path file = work.resolve("src").resolve(source.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, source.getValue());
                files.add(file.toString());
            }
            if (!files.isEmpty()) {
                compile(files, classes);
            }
            Manifest manifest = new Manifest();
            Attributes attributes = manifest.getMainAttributes();
            attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
            if (spiVersion != null) {
                attributes.putValue(SpiVersion.MANIFEST_ATTRIBUTE, spiVersion);
            }
            if (implementationVersion != null) {
                attributes.put(Attributes.Name.IMPLEMENTATION_VERSION, implementationVersion);
            }
            Files.createDirectories(jar.toAbsolutePath().getParent());
            try (OutputStream file = Files.newOutputStream(jar);
                    JarOutputStream out = new JarOutputStream(file, manifest);
                    Stream<Path> walk = Files.walk(classes)) {
                for (Path path : walk.filter(Files::isRegularFile).sorted().toList()) {
                    out.putNextEntry(
                            new JarEntry(classes.relativize(path).toString().replace('\\', '/')));
                    Files.copy(path, out);
                    out.closeEntry();
                }
                if (!providers.isEmpty()) {
                    out.putNextEntry(new JarEntry("META-INF/services/" + StrategyProvider.class.getName()));
                    out.write((String.join("\n", providers) + "\n").getBytes(StandardCharsets.UTF_8));
                    out.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(work);
        }
    }

    /** The sources and classes are only the jar's makings: nothing is left in the temporary folder. */
    private static void deleteTree(Path folder) {
        if (folder == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + folder, e);
        }
    }

    private void compile(List<String> files, Path classes) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        List<String> arguments = new ArrayList<>(List.of(
                "-d",
                classes.toString(),
                "--release",
                "17",
                "-classpath",
                Stream.concat(Stream.of(spi), classPath.stream())
                        .map(Path::toString)
                        .reduce((a, b) -> a + File.pathSeparator + b)
                        .orElseThrow()));
        arguments.addAll(files);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status = compiler.run(null, output, output, arguments.toArray(String[]::new));
        if (status != 0) {
            throw new IllegalStateException("test plugin did not compile: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * A shipped plugin's jar as Maven packages it, from the classes a test already has: the plugin
     * module's classes and resources (its service file and manifest entries included), the classes of
     * the libraries it bundles (e.g. the toolkit), and the SPI version.
     *
     * @param plugin a class of the plugin module
     * @param bundled a class of each library the jar bundles
     */
    public static Path packaged(Path jar, Class<?> plugin, Class<?>... bundled) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue(SpiVersion.MANIFEST_ATTRIBUTE, SpiVersion.current());
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, "test");
        Set<String> added = new HashSet<>();
        List<Class<?>> sources = new ArrayList<>();
        sources.add(plugin);
        sources.addAll(List.of(bundled));
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            for (Class<?> from : sources) {
                Path classes = Path.of(
                        from.getProtectionDomain().getCodeSource().getLocation().toURI());
                boolean ownResources = from == plugin;
                if (Files.isDirectory(classes)) {
                    try (Stream<Path> files = Files.walk(classes)) {
                        for (Path file :
                                files.filter(Files::isRegularFile).sorted().toList()) {
                            String name = classes.relativize(file).toString().replace('\\', '/');
                            if ((ownResources || !name.startsWith("META-INF/")) && added.add(name)) {
                                jarOut.putNextEntry(new JarEntry(name));
                                Files.copy(file, jarOut);
                                jarOut.closeEntry();
                            }
                        }
                    }
                } else {
                    try (JarInputStream in = new JarInputStream(Files.newInputStream(classes))) {
                        for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                            if (!entry.isDirectory()
                                    && !entry.getName().startsWith("META-INF/")
                                    && added.add(entry.getName())) {
                                jarOut.putNextEntry(new JarEntry(entry.getName()));
                                in.transferTo(jarOut);
                                jarOut.closeEntry();
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return jar;
    }

    /** Where the SPI classes are: the SPI jar in a Maven build, its classes folder in an IDE. */
    public static Path spiJar() {
        try {
            return Path.of(StrategyProvider.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
