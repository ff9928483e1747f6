package io.vpcha.host.ocf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestActionDeadline {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aTenthOfTheTimeoutIsKeptWithinBounds() {
        assertThat(ActionDeadline.of(START, Duration.ofSeconds(20)).deadline()).isEqualTo(START.plusSeconds(18));
        assertThat(ActionDeadline.of(START, Duration.ofMinutes(2)).deadline()).isEqualTo(START.plusSeconds(115));
        assertThat(ActionDeadline.of(START, Duration.ofSeconds(3)).deadline()).isEqualTo(START.plusMillis(2500));
        assertThat(ActionDeadline.of(START, Duration.ofMillis(600)).deadline()).isEqualTo(START.plusMillis(300));
    }

    @Test
    void pluginsLoadInAQuarterOfTheTimeToTheDeadlineAndAStopOrDemoteInHalf() {
        ActionDeadline deadline = ActionDeadline.of(START, Duration.ofSeconds(20));
        assertThat(deadline.pluginLoadingDeadline("monitor")).isEqualTo(START.plusMillis(4500));
        assertThat(deadline.pluginLoadingDeadline("start")).isEqualTo(START.plusMillis(4500));
        assertThat(deadline.pluginLoadingDeadline("stop")).isEqualTo(START.plusSeconds(9));
        assertThat(deadline.pluginLoadingDeadline("demote")).isEqualTo(START.plusSeconds(9));
    }

    @Test
    void cloudCallsEndATwentiethOfTheTimeoutBeforeTheActionWithinBounds() {
        assertThat(OcfAgent.cloudReserve(Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(1));
        assertThat(OcfAgent.cloudReserve(Duration.ofSeconds(30))).isEqualTo(Duration.ofMillis(1500));
        assertThat(OcfAgent.cloudReserve(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(2));
        assertThat(OcfAgent.cloudReserve(Duration.ofSeconds(3))).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void timeoutAndIntervalComeFromPacemakersMilliseconds() {
        OcfEnvironment env = new OcfEnvironment(Map.of(
                "OCF_RESKEY_CRM_meta_timeout",
                "45000",
                "OCF_RESKEY_CRM_meta_interval",
                "10000",
                "OCF_RESKEY_vip",
                "10.0.0.1",
                "OCF_RESKEY_crm_feature_set",
                "3.16.2"));
        assertThat(env.timeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(env.interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(env.parameters()).containsExactly(Map.entry("vip", "10.0.0.1"));

        OcfEnvironment defaults = new OcfEnvironment(Map.of("OCF_RESKEY_CRM_meta_timeout", "soon"));
        assertThat(defaults.timeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(defaults.interval()).isZero();
        assertThat(defaults.resourceInstance()).isEqualTo("default");
    }

    @Test
    void stateDirectoriesAreFileSafe() {
        assertThat(HostStrategyContext.stateDirectoryOf(Path.of("/run/ra"), "vip:1"))
                .hasToString("/run/ra/vpc-ha/vip:1");
        assertThat(HostStrategyContext.stateDirectoryOf(Path.of("/run/ra"), "../etc/x"))
                .hasToString("/run/ra/vpc-ha/_._etc_x");
    }
}
