package io.vpcha.toolkit.stop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
