package io.vpcha.toolkit.stop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcha.spi.ParameterSpec;
import io.vpcha.spi.ParameterType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestStopPolicy {
    @Test
    void parameterValuesAreTheLowerCaseNamesAndReadBack() {
        assertThat(StopPolicy.KEEP.parameterValue()).isEqualTo("keep");
        assertThat(StopPolicy.UNBIND.parameterValue()).isEqualTo("unbind");
        for (StopPolicy policy : StopPolicy.values()) {
            assertThat(StopPolicy.fromParameterValue(policy.parameterValue())).isSameAs(policy);
        }
    }

    @Test
    void readsAnyCaseWithBlanks() {
        assertThat(StopPolicy.fromParameterValue(" Unbind ")).isSameAs(StopPolicy.UNBIND);
    }

    @Test
    void refusesAnUnknownValue() {
        assertThatThrownBy(() -> StopPolicy.fromParameterValue("release")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theParameterOffersEveryPolicyKeepsByDefaultAndIsReloadable() {
        ParameterSpec spec = StopPolicy.parameter("What stop does", "keep: ... unbind: ...");

        assertThat(spec.name()).isEqualTo("stop_policy").isEqualTo(StopPolicy.PARAMETER);
        assertThat(spec.type()).isEqualTo(ParameterType.ENUM);
        assertThat(spec.shortDescription()).isEqualTo("What stop does");
        assertThat(spec.longDescription()).isEqualTo("keep: ... unbind: ...");
        assertThat(spec.allowedValues()).isEqualTo(List.of("keep", "unbind"));
        assertThat(spec.defaultValue()).isEqualTo(Optional.of("keep"));
        assertThat(spec.reloadable()).isTrue();
        assertThat(spec.required()).isFalse();
    }
}
