package io.vpcha.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestParameterValues {
    private static final List<ParameterSpec> SPECS = List.of(
            ParameterSpec.builder("vip", ParameterType.IPV4_CIDR)
                    .shortDescription("VIP")
                    .required()
                    .build(),
            ParameterSpec.builder("manage_local_ip", ParameterType.BOOLEAN)
                    .shortDescription("m")
                    .defaultValue("true")
                    .build(),
            ParameterSpec.builder("routing_tables", ParameterType.LIST)
                    .shortDescription("t")
                    .build(),
            ParameterSpec.builder("node_ips", ParameterType.MAP)
                    .shortDescription("n")
                    .build(),
            ParameterSpec.builder("grace", ParameterType.INTEGER)
                    .shortDescription("g")
                    .defaultValue("60")
                    .build(),
            ParameterSpec.builder("api_key", ParameterType.STRING)
                    .shortDescription("k")
                    .sensitive()
                    .build());

    @Test
    void typedAccessWithDefaultsApplied() {
        ParameterValues values = ParameterValues.of(
                SPECS, Map.of("vip", " 10.0.0.100 ", "routing_tables", "a,b", "node_ips", "n1=10.0.1.4,n2=10.0.2.4"));

        assertThat(values.require("vip")).isEqualTo("10.0.0.100");
        assertThat(values.flag("manage_local_ip")).isTrue();
        assertThat(values.isExplicit("manage_local_ip")).isFalse();
        assertThat(values.isExplicit("vip")).isTrue();
        assertThat(values.list("routing_tables")).containsExactly("a", "b");
        assertThat(values.map("node_ips")).containsExactly(Map.entry("n1", "10.0.1.4"), Map.entry("n2", "10.0.2.4"));
        assertThat(values.integer("grace")).hasValue(60);
        assertThat(values.string("api_key")).isEmpty();
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        assertThatThrownBy(() -> ParameterValues.of(SPECS, Map.of("manage_local_ip", "maybe", "bogus", "1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("manage_local_ip: 'maybe' is not a boolean")
                .hasMessageContaining("bogus: not a declared parameter")
                .hasMessageContaining("vip: required but not set");
    }

    @Test
    void toStringMasksSecrets() {
        ParameterValues values = ParameterValues.of(SPECS, Map.of("vip", "10.0.0.100", "api_key", "s3cr3t-key"));
        assertThat(values.toString())
                .contains("api_key=***")
                .contains("vip=10.0.0.100")
                .doesNotContain("s3cr3t-key");
    }

    @Test
    void askingForAnUndeclaredOrMistypedParameterIsAProgrammingError() {
        ParameterValues values = ParameterValues.of(SPECS, Map.of("vip", "10.0.0.100"));
        assertThatThrownBy(() -> values.string("nope")).hasMessage("parameter nope is not declared");
        assertThatThrownBy(() -> values.flag("vip")).hasMessage("parameter vip is IPV4_CIDR, not BOOLEAN");
    }
}
