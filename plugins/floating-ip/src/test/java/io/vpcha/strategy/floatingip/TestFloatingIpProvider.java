package io.vpcha.strategy.floatingip;

import static io.vpcha.strategy.floatingip.FloatingIpCluster.parameters;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.SimulatedCluster.Outcome;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.spi.ParameterSpec;
import io.vpcha.spi.ParameterType;
import io.vpcha.spi.StrategyProvider;
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

/** The plugin as the host sees it: registration, declared parameters, meta-data, reload. */
class TestFloatingIpProvider {
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
    void theProviderIsRegisteredForTheServiceLoader() {
        assertThat(ServiceLoader.load(StrategyProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(FloatingIpStrategyProvider.class);
        assertThat(new FloatingIpStrategyProvider().name()).isEqualTo("floating-ip");
    }

    @Test
    void theParametersAreDeclaredWithTheOldNamesAsDeprecated() {
        Map<String, ParameterSpec> specs = new FloatingIpStrategyProvider()
                .parameters().stream().collect(Collectors.toMap(ParameterSpec::name, Function.identity()));

        assertThat(specs)
                .containsOnlyKeys(
                        "floating_ip",
                        "target",
                        "node_targets",
                        "stop_policy",
                        "monitor_grace",
                        "vni_id_1",
                        "vni_id_2");
        assertThat(specs.get("floating_ip").required()).isTrue();
        assertThat(specs.get("floating_ip").deprecatedAliases()).containsExactly("fip_id");
        assertThat(specs.get("node_targets").type()).isEqualTo(ParameterType.MAP);
        assertThat(specs.get("stop_policy").allowedValues()).containsExactly("keep", "unbind");
        assertThat(specs.get("stop_policy").defaultValue()).hasValue("keep");
        assertThat(specs.get("monitor_grace").type()).isEqualTo(ParameterType.INTEGER);
        assertThat(specs.get("monitor_grace").defaultValue()).hasValue("60");
        assertThat(specs.values().stream().filter(ParameterSpec::reloadable).map(ParameterSpec::name))
                .containsExactlyInAnyOrder("stop_policy", "monitor_grace");
        assertThat(specs.get("vni_id_1").shortDescription()).startsWith("Deprecated");
        assertThat(specs.get("vni_id_2").shortDescription()).startsWith("Deprecated");
        assertThat(specs)
                .as("the host declares the endpoint and the credentials")
                .doesNotContainKeys("vpc_url", "api_key");
        assertThat(specs.values()).noneMatch(ParameterSpec::sensitive);
    }

    @Test
    void metaDataListsTheParametersAndTheDeprecatedAlias() {
        FloatingIpCluster cluster = new FloatingIpCluster(simulator, work);

        Outcome metaData =
                cluster.run("node-a", "meta-data", Map.of(), Duration.ZERO, Duration.ofSeconds(20), Map.of());

        assertThat(metaData.code()).isZero();
        assertThat(metaData.result().stdout())
                .contains("<parameter name=\"floating_ip\"")
                .contains("<parameter name=\"fip_id\"")
                .contains("<parameter name=\"node_targets\"")
                .contains("<parameter name=\"vni_id_1\"")
                .contains("Strategy floating-ip: start binds");
        assertThat(metaData.entries()).isEmpty();
    }

    @Test
    void reloadAgentNeedsNoRequest() {
        FloatingIpCluster cluster = new FloatingIpCluster(simulator, work);

        Outcome reload = cluster.run(
                "node-b",
                "reload-agent",
                parameters("monitor_grace", "120"),
                Duration.ZERO,
                Duration.ofSeconds(20),
                Map.of());

        assertThat(reload.code()).isZero();
        assertThat(reload.entries()).isEmpty();
    }
}
