package io.vpcha.strategy.floatingip;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.plugin.InstalledStrategy;
import io.vpcha.host.plugin.PluginLoader;
import io.vpcha.host.plugin.PluginRegistry;
import io.vpcha.host.testing.SimulatedCluster.Outcome;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.spi.SpiVersion;
import io.vpcha.toolkit.time.TimeBox;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin loaded the way the host loads any third-party plugin: a jar in plugins/, its own class
 * loader that sees the SPI and nothing else of the host, and it still fails over.
 */
class TestFloatingIpPluginJar {
    private static VpcSimulator simulator;

    @TempDir
    Path work;

    @BeforeAll
    static void startSimulator() {
        simulator = FloatingIpCluster.startSimulator();
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    @Test
    void theJarLoadsInItsOwnClassLoaderAndMovesTheFloatingIp() throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        pluginJar(plugins.resolve("vpc-ha-strategy-floating-ip.jar"));

        PluginRegistry registry = new PluginLoader(CommonParameters.reservedNames()).load(plugins);

        assertThat(registry.problems()).isEmpty();
        InstalledStrategy installed = registry.strategy("floating-ip").orElseThrow();
        assertThat(installed.classLoader()).isNotSameAs(getClass().getClassLoader());
        assertThat(installed.provider().getClass()).isNotSameAs(FloatingIpStrategyProvider.class);
        assertThat(installed.classLoader().loadClass(TimeBox.class.getName()))
                .as("the toolkit travels in the plugin, in the plugin's class loader")
                .isNotSameAs(TimeBox.class);

        FloatingIpCluster cluster = new FloatingIpCluster(simulator, work, installed.provider());
        Outcome start = cluster.start("node-b", FloatingIpCluster.parameters());
        assertThat(start.code()).as(start.toString()).isZero();
        assertThat(cluster.vipDeliveredTo()).hasValue("node-b");
    }

    /**
     * The plugin jar as Maven packages it: this module's classes and resources, the toolkit's classes
     * it bundles, and the SPI version.
     */
    private static void pluginJar(Path jar) throws IOException, URISyntaxException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue(SpiVersion.MANIFEST_ATTRIBUTE, SpiVersion.current());
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, "test");
        Set<String> added = new HashSet<>();
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            for (Class<?> from : List.of(FloatingIpStrategyProvider.class, TimeBox.class)) {
                Path classes = Path.of(
                        from.getProtectionDomain().getCodeSource().getLocation().toURI());
                if (Files.isDirectory(classes)) {
                    try (Stream<Path> files = Files.walk(classes)) {
                        for (Path file :
                                files.filter(Files::isRegularFile).sorted().toList()) {
                            String name = classes.relativize(file).toString().replace('\\', '/');
                            boolean ownManifestEntries = from == FloatingIpStrategyProvider.class;
                            if ((ownManifestEntries || !name.startsWith("META-INF/")) && added.add(name)) {
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
        }
    }
}
