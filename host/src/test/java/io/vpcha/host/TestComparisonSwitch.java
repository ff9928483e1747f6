package io.vpcha.host;

import static io.vpcha.host.ComparisonSwitch.CONNECT_AHEAD;
import static io.vpcha.host.ComparisonSwitch.PLUGIN_INDEX;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TestComparisonSwitch {
    @Test
    void theVariablesAreTheOnesTheDocsAndTheBenchName() {
        assertThat(PLUGIN_INDEX.variable()).isEqualTo("VPC_HA_PLUGIN_INDEX");
        assertThat(CONNECT_AHEAD.variable()).isEqualTo("VPC_HA_CONNECT_AHEAD");
    }

    @Test
    void onlyOffTakesTheOlderPath() {
        assertThat(CONNECT_AHEAD.on(Map.of("VPC_HA_CONNECT_AHEAD", "off"))).isFalse();
        assertThat(CONNECT_AHEAD.on(Map.of())).as("unset").isTrue();
        assertThat(CONNECT_AHEAD.on(Map.of("VPC_HA_CONNECT_AHEAD", ""))).isTrue();
        assertThat(CONNECT_AHEAD.on(Map.of("VPC_HA_CONNECT_AHEAD", "OFF")))
                .as("exactly off, as the docs and the bench write it")
                .isTrue();
        assertThat(PLUGIN_INDEX.on(Map.of("VPC_HA_CONNECT_AHEAD", "off")))
                .as("each switch reads only its own variable")
                .isTrue();
    }
}
