package io.vpcha.strategy.floatingip;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.plugin.InstalledStrategy;
import io.vpcha.host.plugin.PluginLoader;
import io.vpcha.host.plugin.PluginRegistry;
import io.vpcha.host.testing.PluginJarBuilder;
import io.vpcha.host.testing.SimulatedCluster.Outcome;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.toolkit.time.TimeBox;
import java.nio.file.Files;
import java.nio.file.Path;
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
        PluginJarBuilder.packaged(
                plugins.resolve("vpc-ha-strategy-floating-ip.jar"), FloatingIpStrategyProvider.class, TimeBox.class);

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
}
