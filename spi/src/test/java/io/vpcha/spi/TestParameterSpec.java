package io.vpcha.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    @Test
    void aRangeIsCheckedAndDescribed() {
        ParameterSpec spec = ParameterSpec.builder("page_limit", ParameterType.INTEGER)
                .shortDescription("Items per page")
                .range(1, 100)
                .defaultValue("50")
                .build();

        assertThat(spec.problem("100")).isEmpty();
        assertThat(spec.problem("101")).hasValue("page_limit: '101' is not 1 to 100");
        assertThat(spec.problem("0")).hasValue("page_limit: '0' is not 1 to 100");
        assertThat(spec.problem("x")).hasValue("page_limit: 'x' is not an integer");
        assertThat(spec.rangeDescription()).hasValue("1 to 100");
        assertThat(ParameterSpec.builder("g", ParameterType.INTEGER)
                        .shortDescription("x")
                        .minimum(0)
                        .build()
                        .rangeDescription())
                .hasValue("0 or more");
        assertThat(ParameterSpec.builder("g", ParameterType.INTEGER)
                        .shortDescription("x")
                        .build()
                        .rangeDescription())
                .isEmpty();
    }

    @Test
    void aRangeMistakeIsRefusedAtOnce() {
        assertThatThrownBy(() -> ParameterSpec.builder("a", ParameterType.STRING)
                        .shortDescription("x")
                        .minimum(1)
                        .build())
                .hasMessage("a: only an INTEGER parameter has a range");
        assertThatThrownBy(() -> ParameterSpec.builder("a", ParameterType.INTEGER)
                        .shortDescription("x")
                        .range(5, 1)
                        .build())
                .hasMessage("a: minimum 5 is greater than maximum 1");
        assertThatThrownBy(() -> ParameterSpec.builder("a", ParameterType.INTEGER)
                        .shortDescription("x")
                        .range(1, 50)
                        .defaultValue("80")
                        .build())
                .hasMessage("a: default '80' is not 1 to 50");
    }

    @SuppressWarnings("deprecation") // the constructor of SPI 1.0 must keep working
    @Test
    void theConstructorOfSpi10StillWorks() {
        ParameterSpec spec = new ParameterSpec(
                "a",
                ParameterType.INTEGER,
                "x",
                "y",
                false,
                Optional.of("3"),
                List.of(),
                Optional.empty(),
                false,
                false,
                List.of());
        assertThat(spec.minimum()).isEmpty();
        assertThat(spec.problem("-5")).isEmpty();
    }

    @Test
    void valuesAreCheckedAgainstTheRange() {
        ParameterSpec spec = ParameterSpec.builder("parallelism", ParameterType.INTEGER)
                .shortDescription("x")
                .range(1, 50)
                .defaultValue("8")
                .build();
        assertThatThrownBy(() -> ParameterValues.of(List.of(spec), Map.of("parallelism", "99")))
                .hasMessage("parallelism: '99' is not 1 to 50");
    }
}
