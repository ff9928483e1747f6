package io.vpcha.toolkit.bench;

import static io.vpcha.toolkit.bench.ComparisonSwitch.FLOATING_IP_DIRECT;
import static io.vpcha.toolkit.bench.ComparisonSwitch.ROUTES_IN_PLACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TestComparisonSwitch {
    @Test
    void theVariablesAreTheOnesTheDocsAndTheBenchName() {
        assertThat(ROUTES_IN_PLACE.variable()).isEqualTo("VPC_HA_ROUTES_IN_PLACE");
        assertThat(FLOATING_IP_DIRECT.variable()).isEqualTo("VPC_HA_FLOATING_IP_DIRECT");
    }

    @Test
    void onlyOffTakesTheOlderPath() {
        assertThat(ROUTES_IN_PLACE.on(Map.of("VPC_HA_ROUTES_IN_PLACE", "off"))).isFalse();
        assertThat(ROUTES_IN_PLACE.on(Map.of())).as("unset").isTrue();
        assertThat(ROUTES_IN_PLACE.on(Map.of("VPC_HA_ROUTES_IN_PLACE", ""))).isTrue();
        assertThat(ROUTES_IN_PLACE.on(Map.of("VPC_HA_ROUTES_IN_PLACE", "OFF")))
                .as("exactly off, as the docs and the bench write it")
                .isTrue();
        assertThat(ROUTES_IN_PLACE.on(Map.of("VPC_HA_ROUTES_IN_PLACE", "on"))).isTrue();
    }

    @Test
    void eachSwitchReadsOnlyItsOwnVariable() {
        Map<String, String> routesOff = Map.of("VPC_HA_ROUTES_IN_PLACE", "off");
        assertThat(FLOATING_IP_DIRECT.on(routesOff)).isTrue();
        assertThat(FLOATING_IP_DIRECT.on(Map.of("VPC_HA_FLOATING_IP_DIRECT", "off")))
                .isFalse();
        assertThat(ROUTES_IN_PLACE.on(Map.of("VPC_HA_FLOATING_IP_DIRECT", "off")))
                .isTrue();
    }
}
