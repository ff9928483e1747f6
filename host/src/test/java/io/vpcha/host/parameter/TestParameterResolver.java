package io.vpcha.host.parameter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcha.host.plugin.InstalledStrategy;
import io.vpcha.spi.FailoverStrategy;
import io.vpcha.spi.ParameterSpec;
import io.vpcha.spi.ParameterType;
import io.vpcha.spi.ParameterValues;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestParameterResolver {
    private static final InstalledStrategy ROUTES = strategy(
            "custom-route",
            ParameterSpec.builder("vip", ParameterType.IPV4_CIDR)
                    .shortDescription("VIP")
                    .required()
                    .deprecatedAliases("ext_ip")
                    .build(),
            ParameterSpec.builder("routing_tables", ParameterType.LIST)
                    .shortDescription("tables")
                    .build(),
            ParameterSpec.builder("api_key", ParameterType.STRING)
                    .shortDescription("key")
                    .sensitive()
                    .build());
    private static final InstalledStrategy FLOATING = strategy(
            "floating-ip",
            ParameterSpec.builder("floating_ip", ParameterType.STRING)
                    .shortDescription("fip")
                    .required()
                    .build());

    @Test
    void splitsCommonAndStrategyValuesAndMapsAliases() throws ConfigurationException {
        ResolvedParameters resolved =
                resolve(Map.of("strategy", "custom-route", "ext_ip", "10.0.0.9", "api_key", "secret-value"));

        assertThat(resolved.common().require("strategy")).isEqualTo("custom-route");
        assertThat(resolved.strategy().require("vip")).isEqualTo("10.0.0.9");
        assertThat(resolved.warnings()).containsExactly("parameter ext_ip is deprecated; use vip");
        assertThat(resolved.secrets()).containsExactly("secret-value");
    }

    @Test
    void anAliasAndItsParameterTogetherAreAConflict() {
        assertThatThrownBy(() -> resolve(Map.of("strategy", "custom-route", "ext_ip", "10.0.0.9", "vip", "10.0.0.9")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("ext_ip and vip both set vip; keep one");
    }

    @Test
    void misspeltAndForeignParametersAreExplained() {
        assertThatThrownBy(() -> resolve(Map.of(
                        "strategy", "custom-route", "vip", "10.0.0.9", "routing_table", "rt1", "floating_ip", "fip1")))
                .hasMessage("floating_ip: a parameter of strategy floating-ip, not of custom-route; "
                        + "routing_table: not a parameter of strategy custom-route (did you mean routing_tables?)");
        assertThatThrownBy(() -> resolve(Map.of("strategy", "custom-route", "zzz", "1")))
                .hasMessage("zzz: not a parameter of strategy custom-route; vip: required but not set");
    }

    @Test
    void editDistance() {
        assertThat(ParameterResolver.editDistance("routing_table", "routing_tables"))
                .isEqualTo(1);
        assertThat(ParameterResolver.editDistance("vip", "vpi")).isEqualTo(2);
        assertThat(ParameterResolver.editDistance("", "abc")).isEqualTo(3);
    }

    private static ResolvedParameters resolve(Map<String, String> raw) throws ConfigurationException {
        return ParameterResolver.resolve(raw, CommonParameters.all(), ROUTES, List.of(ROUTES, FLOATING));
    }

    private static InstalledStrategy strategy(String name, ParameterSpec... specs) {
        StrategyProvider provider = new StrategyProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return name;
            }

            @Override
            public List<ParameterSpec> parameters() {
                return List.of(specs);
            }

            @Override
            public FailoverStrategy create(ParameterValues parameters, StrategyContext context) {
                throw new UnsupportedOperationException("not used by these tests");
            }
        };
        return new InstalledStrategy(
                name,
                "1",
                name,
                name,
                List.of(specs),
                Path.of(name + ".jar"),
                provider,
                TestParameterResolver.class.getClassLoader());
    }
}
