package io.vpcha.toolkit.time;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.RecordingLog;
import io.vpcha.spi.MonitorResult;
import io.vpcha.spi.ParameterSpec;
import io.vpcha.spi.ParameterType;
import io.vpcha.spi.ResourceState;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestMonitorGrace {
    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
    private final StrategyException outage =
            new CloudException(CloudErrorKind.TRANSIENT, 503, null, "HTTP 503 service_unavailable", null, null);
    private final StrategyException forbidden =
            new CloudException(CloudErrorKind.PERMISSION, 403, "not_authorized", "HTTP 403 not_authorized", null, null);

    private final RecordingLog log = new RecordingLog();
    private final MonitorGrace grace =
            new MonitorGrace(Duration.ofSeconds(60), "monitor_grace", Clock.fixed(NOW, ZoneOffset.UTC), log);

    @Test
    void aTransientFailureWithinTheGraceIsRunningWithAWarning() {
        MonitorResult result =
                grace.unverified("floating IP f", "bound here", outage, Optional.of(NOW.minusSeconds(60)));

        assertThat(result.state()).isEqualTo(ResourceState.RUNNING);
        assertThat(log.text())
                .isEqualTo("WARNING cannot verify floating IP f (last seen bound here 60s ago, within "
                        + "monitor_grace 60s): HTTP 503 service_unavailable");
    }

    @Test
    void beyondTheGraceOrNeverVerifiedItIsDegradedNeverNotRunning() {
        MonitorResult late =
                grace.unverified("the routes", "delivering here", outage, Optional.of(NOW.minusMillis(60_001)));
        MonitorResult never = grace.unverified("the routes", "delivering here", outage, Optional.empty());

        assertThat(late.state()).isEqualTo(ResourceState.DEGRADED);
        assertThat(late.reason())
                .isEqualTo("cannot verify the routes (last seen delivering here 60s ago, beyond monitor_grace 60s): "
                        + "HTTP 503 service_unavailable");
        assertThat(never.state()).isEqualTo(ResourceState.DEGRADED);
        assertThat(never.reason()).isEqualTo("cannot verify the routes: HTTP 503 service_unavailable");
    }

    @Test
    void aFailureThatIsNotTransientIsDegradedAtOnce() {
        MonitorResult result = grace.unverified("the routes", "delivering here", forbidden, Optional.of(NOW));

        assertThat(result.state()).isEqualTo(ResourceState.DEGRADED);
        assertThat(result.reason()).isEqualTo("cannot verify the routes: HTTP 403 not_authorized");
        assertThat(log.lines()).isEmpty();
    }

    @Test
    void durationsReadAsPeopleSayThem() {
        assertThat(MonitorGrace.seconds(Duration.ofMillis(1234))).isEqualTo("1.2s");
        assertThat(MonitorGrace.seconds(Duration.ofSeconds(75))).isEqualTo("75s");
        assertThat(MonitorGrace.seconds(Duration.ofSeconds(-3))).isEqualTo("0.0s");
    }

    @Test
    void theParameterIsWholeSecondsUpToADaySixtyByDefaultAndReloadable() {
        assertThat(MonitorGrace.parameter("Seconds of API trouble tolerated", "When the API ..."))
                .as("the spec's every field, by the record's equality")
                .isEqualTo(ParameterSpec.builder("monitor_grace", ParameterType.INTEGER)
                        .shortDescription("Seconds of API trouble tolerated")
                        .longDescription("When the API ...")
                        .range(0, 86_400)
                        .defaultValue("60")
                        .reloadable()
                        .build());
        assertThat(MonitorGrace.PARAMETER).isEqualTo("monitor_grace");
        assertThat(MonitorGrace.DEFAULT_SECONDS).isEqualTo(60);
    }
}
