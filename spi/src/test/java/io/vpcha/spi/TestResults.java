package io.vpcha.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TestResults {
    @Test
    void reasonsAreOneLine() {
        StrategyException error = StrategyException.notConfigured("first\n  second\r\nthird");
        assertThat(error.reason()).isEqualTo("first; second; third");
        assertThat(error.kind().ocfExitCode()).isEqualTo(6);
        assertThat(MonitorResult.degraded("api\nslow").reason()).isEqualTo("api; slow");
        assertThatThrownBy(() -> StrategyException.generic("  ")).hasMessage("reason is empty");
    }

    @Test
    void ocfCodes() {
        assertThat(ResourceState.RUNNING.ocfExitCode()).isZero();
        assertThat(ResourceState.NOT_RUNNING.ocfExitCode()).isEqualTo(7);
        assertThat(ResourceState.DEGRADED.ocfExitCode()).isEqualTo(190);
        assertThat(ErrorKind.INVALID_ARGUMENT.ocfExitCode()).isEqualTo(2);
        assertThat(ErrorKind.INSUFFICIENT_PRIVILEGES.ocfExitCode()).isEqualTo(4);
    }

    @Test
    void probeIsAMonitorWithoutInterval() {
        assertThat(MonitorRequest.probe().isProbe()).isTrue();
        assertThat(MonitorRequest.recurring(Duration.ofSeconds(10)).isProbe()).isFalse();
        assertThat(CheckLevel.fromOcfCheckLevel(0)).isEqualTo(CheckLevel.SYNTAX);
        assertThat(CheckLevel.fromOcfCheckLevel(10)).isEqualTo(CheckLevel.CLOUD);
        assertThat(CheckLevel.fromOcfCheckLevel(20)).isEqualTo(CheckLevel.CLOUD);
    }

    @Test
    void readinessIsReadyOrHasAProblemAndAOneLineReason() {
        assertThat(Readiness.ready().isReady()).isTrue();
        assertThat(Readiness.ready().problem()).isEmpty();
        Readiness missing = Readiness.notReady(ReadinessProblem.TARGET, "route vip-a\nis gone");
        assertThat(missing.isReady()).isFalse();
        assertThat(missing.problem()).contains(ReadinessProblem.TARGET);
        assertThat(missing.reason()).isEqualTo("route vip-a; is gone");
        assertThat(missing.toString()).isEqualTo("not ready (target): route vip-a; is gone");
        assertThat(ReadinessProblem.CREDENTIALS.code()).isEqualTo("credentials");
        assertThatThrownBy(() -> Readiness.notReady(ReadinessProblem.OTHER, " "))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStrategyWithoutItsOwnReadinessIsReadyByDefault() throws StrategyException {
        FailoverStrategy plain = new FailoverStrategy() {
            @Override
            public void start() {}

            @Override
            public void stop() {}

            @Override
            public MonitorResult monitor(MonitorRequest request) {
                return MonitorResult.running();
            }

            @Override
            public void validate(CheckLevel level) {}
        };
        assertThat(plain.readiness()).isEqualTo(Readiness.ready());
    }
}
