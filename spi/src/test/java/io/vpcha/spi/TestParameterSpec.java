package io.vpcha.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TestParameterSpec {
    @Test
    void builderFillsTheRecord() {
        ParameterSpec spec = ParameterSpec.builder("vip", ParameterType.IPV4_CIDR)
                .shortDescription("Virtual IP")
                .longDescription("The address clients use.")
                .required()
                .uniqueGroup("vip")
                .deprecatedAliases("ext_ip")
                .build();

        assertThat(spec.name()).isEqualTo("vip");
        assertThat(spec.required()).isTrue();
        assertThat(spec.defaultValue()).isEmpty();
        assertThat(spec.uniqueGroup()).hasValue("vip");
        assertThat(spec.answersTo("ext_ip")).isTrue();
        assertThat(spec.answersTo("vip")).isTrue();
        assertThat(spec.answersTo("other")).isFalse();
        assertThat(spec.problem("10.0.0.300")).hasValue("vip: '10.0.0.300' is not an IPv4 address or CIDR block");
    }

    @Test
    void longDescriptionDefaultsToTheShortOne() {
        ParameterSpec spec = ParameterSpec.builder("name", ParameterType.STRING)
                .shortDescription("A name")
                .build();
        assertThat(spec.longDescription()).isEqualTo("A name");
    }

    @Test
    void declarationMistakesAreRefusedAtOnce() {
        assertThatThrownBy(() -> ParameterSpec.builder("Vip", ParameterType.STRING)
                        .shortDescription("x")
                        .build())
                .hasMessageContaining("'Vip' is not lower case");
        assertThatThrownBy(() -> ParameterSpec.builder("a", ParameterType.STRING)
                        .shortDescription("x")
                        .required()
                        .defaultValue("b")
                        .build())
                .hasMessage("a: a required parameter has no default");
        assertThatThrownBy(() -> ParameterSpec.builder("a", ParameterType.ENUM)
                        .shortDescription("x")
                        .build())
                .hasMessage("a: an ENUM parameter needs allowed values");
        assertThatThrownBy(() -> ParameterSpec.builder("a", ParameterType.ENUM)
                        .shortDescription("x")
                        .allowedValues("keep")
                        .defaultValue("drop")
                        .build())
                .hasMessage("a: default 'drop' is not one of keep");
        assertThatThrownBy(() -> ParameterSpec.builder("key", ParameterType.STRING)
                        .shortDescription("x")
                        .sensitive()
                        .defaultValue("secret")
                        .build())
                .hasMessage("key: a sensitive parameter has no default");
        assertThatThrownBy(
                        () -> ParameterSpec.builder("a", ParameterType.STRING).build())
                .hasMessage("a: shortDescription is not set");
        assertThatThrownBy(() -> ParameterSpec.builder("a", ParameterType.STRING)
                        .shortDescription("x")
                        .deprecatedAliases("a")
                        .build())
                .hasMessage("a: an alias repeats the name");
    }
}
