package io.vpcha.strategy.floatingip;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.plugin.InstalledStrategy;
import io.vpcha.host.plugin.PluginLoader;
import io.vpcha.host.plugin.PluginRegistry;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.spi.SpiVersion;
import io.vpcha.strategy.floatingip.FloatingIpCluster.Outcome;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
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

        FloatingIpCluster cluster = new FloatingIpCluster(simulator, work, installed.provider());
        Outcome start = cluster.start("node-b", FloatingIpCluster.parameters());
        assertThat(start.code()).as(start.toString()).isZero();
        assertThat(cluster.vipDeliveredTo()).hasValue("node-b");
    }

    /** The plugin jar as Maven packages it: this module's classes and resources, and the SPI version. */
    private static void pluginJar(Path jar) throws IOException, URISyntaxException {
        Path classes = Path.of(FloatingIpStrategyProvider.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue(SpiVersion.MANIFEST_ATTRIBUTE, SpiVersion.current());
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, "test");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jarOut = new JarOutputStream(out, manifest);
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                jarOut.putNextEntry(
                        new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, jarOut);
                jarOut.closeEntry();
            }
        }
    }
}
