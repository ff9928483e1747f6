package io.vpcha.strategy.customroute;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How long a readiness check vouches for the remembered routes: {@link RouteReadiness#vouchesForRoutes}. */
class TestReadinessVouchesForRoutes {
    private static final Instant CHECKED = Instant.parse("2026-11-29T23:00:00Z");

    @Test
    void threeDefaultIntervalsWhenTheIntervalIsUnknownOrShorter() {
        List<Optional<String>> intervals = List.of(Optional.empty(), Optional.of("10000"), Optional.of("30000"));
        for (Optional<String> interval : intervals) {
            Optional<Map<String, String>> record = record(interval);
            assertThat(RouteReadiness.vouchesForRoutes(record, CHECKED)).isTrue();
            assertThat(RouteReadiness.vouchesForRoutes(record, CHECKED.plusSeconds(90)))
                    .as("interval %s", interval)
                    .isTrue();
            assertThat(RouteReadiness.vouchesForRoutes(record, CHECKED.plusSeconds(91)))
                    .as("interval %s", interval)
                    .isFalse();
        }
    }

    @Test
    void threeLongerIntervalsButNeverMoreThanTenMinutes() {
        Optional<Map<String, String>> minute = record(Optional.of("60000"));
        assertThat(RouteReadiness.vouchesForRoutes(minute, CHECKED.plusSeconds(180)))
                .isTrue();
        assertThat(RouteReadiness.vouchesForRoutes(minute, CHECKED.plusSeconds(181)))
                .isFalse();

        Optional<Map<String, String>> hour =
                record(Optional.of(Long.toString(Duration.ofHours(1).toMillis())));
        assertThat(RouteReadiness.vouchesForRoutes(hour, CHECKED.plus(Duration.ofMinutes(10))))
                .isTrue();
        assertThat(RouteReadiness.vouchesForRoutes(
                        hour, CHECKED.plus(Duration.ofMinutes(10).plusMillis(1))))
                .isFalse();
    }

    @Test
    void noTimeADamagedOneOrOneAheadOfTheClockVouchesForNothing() {
        assertThat(RouteReadiness.vouchesForRoutes(Optional.empty(), CHECKED)).isFalse();
        assertThat(RouteReadiness.vouchesForRoutes(Optional.of(Map.of("next", "2")), CHECKED))
                .as("a record of an older version")
                .isFalse();
        assertThat(RouteReadiness.vouchesForRoutes(Optional.of(Map.of("next", "2", "checked", "soon")), CHECKED))
                .isFalse();
        assertThat(RouteReadiness.vouchesForRoutes(record(Optional.empty()), CHECKED.minusSeconds(1)))
                .as("the clock went back")
                .isFalse();
    }

    private static Optional<Map<String, String>> record(Optional<String> interval) {
        return Optional.of(interval.map(millis ->
                        Map.of("next", "1", "checked", Long.toString(CHECKED.toEpochMilli()), "interval", millis))
                .orElseGet(() -> Map.of("next", "1", "checked", Long.toString(CHECKED.toEpochMilli()))));
    }
}
