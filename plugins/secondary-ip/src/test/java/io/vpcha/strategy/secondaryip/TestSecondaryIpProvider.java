package io.vpcha.strategy.secondaryip;

import static io.vpcha.strategy.secondaryip.SecondaryIpCluster.parameters;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.plugin.InstalledStrategy;
import io.vpcha.host.plugin.PluginLoader;
import io.vpcha.host.plugin.PluginRegistry;
import io.vpcha.host.testing.PluginJarBuilder;
import io.vpcha.host.testing.SimulatedCluster.Outcome;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.spi.ParameterSpec;
import io.vpcha.spi.StrategyProvider;
import io.vpcha.toolkit.time.TimeBox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin as the host sees it: registration, declared parameters, meta-data, its own class loader. */
class TestSecondaryIpProvider {
    private static VpcSimulator simulator;

    @TempDir
    Path work;

    @BeforeAll
    static void startSimulator() {
        simulator = SecondaryIpCluster.startSimulator();
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    @Test
    void theProviderIsRegisteredForTheServiceLoader() {
        assertThat(ServiceLoader.load(StrategyProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(SecondaryIpStrategyProvider.class);
        assertThat(new SecondaryIpStrategyProvider().name()).isEqualTo("secondary-ip");
    }

    @Test
    void theParametersAreDeclaredOnce() {
        Map<String, ParameterSpec> specs = new SecondaryIpStrategyProvider()
                .parameters().stream().collect(Collectors.toMap(ParameterSpec::name, Function.identity()));

        assertThat(specs)
                .containsOnlyKeys(
                        "ip", "target", "node_targets", "manage_local_ip", "interface", "stop_policy", "monitor_grace");
        assertThat(specs.get("ip").required()).isTrue();
        assertThat(specs.get("ip").uniqueGroup()).hasValue("ip");
        assertThat(specs.get("manage_local_ip").defaultValue()).hasValue("true");
        assertThat(specs.get("stop_policy").allowedValues()).containsExactly("keep", "unbind");
        assertThat(specs.get("monitor_grace").rangeDescription()).hasValue("0 to 86400");
        assertThat(specs.values().stream().filter(ParameterSpec::reloadable).map(ParameterSpec::name))
                .containsExactlyInAnyOrder("stop_policy", "monitor_grace");
        assertThat(specs)
                .as("the host declares the endpoint and the credentials")
                .doesNotContainKeys("api_key");
    }

    @Test
    void metaDataListsTheParameters() {
        SecondaryIpCluster cluster = new SecondaryIpCluster(simulator, work);

        Outcome metaData =
                cluster.run("node-b", "meta-data", parameters(), Duration.ZERO, Duration.ofSeconds(20), Map.of());

        assertThat(metaData.code()).isZero();
        assertThat(metaData.result().stdout())
                .contains("<parameter name=\"ip\" unique-group=\"secondary-ip:ip\">")
                .contains("<parameter name=\"manage_local_ip\"")
                .contains("secondary reserved IP");
        assertThat(metaData.entries()).isEmpty();
    }

    @Test
    void theJarLoadsInItsOwnClassLoaderAndMovesTheVip() throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        PluginJarBuilder.packaged(
                plugins.resolve("vpc-ha-strategy-secondary-ip.jar"), SecondaryIpStrategyProvider.class, TimeBox.class);

        PluginRegistry registry = new PluginLoader(CommonParameters.reservedNames()).load(plugins);

        assertThat(registry.problems()).isEmpty();
        InstalledStrategy installed = registry.strategy("secondary-ip").orElseThrow();
        assertThat(installed.provider().getClass()).isNotSameAs(SecondaryIpStrategyProvider.class);
        assertThat(installed.classLoader().loadClass(TimeBox.class.getName()))
                .as("the toolkit travels in the plugin, in the plugin's class loader")
                .isNotSameAs(TimeBox.class);
        simulator.reset();
        SecondaryIpCluster cluster = new SecondaryIpCluster(simulator, work, installed.provider());
        Outcome start = cluster.start("node-b", parameters());
        assertThat(start.code()).as(start.toString()).isZero();
        assertThat(cluster.deliveredFromEveryZone(SecondaryIpCluster.VIP)).containsOnly("node-b");
    }
}
