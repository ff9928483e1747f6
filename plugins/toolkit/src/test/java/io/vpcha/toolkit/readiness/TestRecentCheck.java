package io.vpcha.toolkit.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The record of a successful readiness check, and how long it vouches for what the check remembered
 * (the bounds themselves: custom-route's TestReadinessVouchesForRoutes).
 */
class TestRecentCheck {
    private static final Instant FIRST = Instant.parse("2026-11-30T00:00:00Z");

    @Test
    void theFirstCheckHasATimeAndNoIntervalTheNextTheTimeSinceTheFirst() {
        Map<String, String> first = RecentCheck.checkedAt(Optional.empty(), FIRST);
        assertThat(first).containsExactly(Map.entry(RecentCheck.CHECKED, Long.toString(FIRST.toEpochMilli())));

        Instant second = FIRST.plusSeconds(45);
        assertThat(RecentCheck.checkedAt(Optional.of(first), second))
                .containsExactly(
                        Map.entry(RecentCheck.CHECKED, Long.toString(second.toEpochMilli())),
                        Map.entry(RecentCheck.INTERVAL, "45000"));
    }

    @Test
    void aPreviousCheckDamagedOrNotBeforeThisOneGivesNoInterval() {
        assertThat(RecentCheck.checkedAt(Optional.of(Map.of(RecentCheck.CHECKED, "soon")), FIRST))
                .doesNotContainKey(RecentCheck.INTERVAL);
        assertThat(RecentCheck.checkedAt(
                        Optional.of(Map.of(RecentCheck.CHECKED, Long.toString(FIRST.toEpochMilli()))), FIRST))
                .doesNotContainKey(RecentCheck.INTERVAL);
        assertThat(RecentCheck.checkedAt(
                        Optional.of(Map.of(
                                RecentCheck.CHECKED,
                                Long.toString(FIRST.plusSeconds(5).toEpochMilli()))),
                        FIRST))
                .as("the clock went back")
                .doesNotContainKey(RecentCheck.INTERVAL);
    }

    @Test
    void aCheckVouchesForItsRecordUntilThreeIntervalsHavePassed() {
        Map<String, String> first = RecentCheck.checkedAt(Optional.empty(), FIRST);
        Map<String, String> second = RecentCheck.checkedAt(Optional.of(first), FIRST.plusSeconds(60));

        assertThat(RecentCheck.vouches(Optional.of(first), FIRST.plusSeconds(90)))
                .as("the default interval, 30 s")
                .isTrue();
        assertThat(RecentCheck.vouches(Optional.of(first), FIRST.plusSeconds(91)))
                .isFalse();
        assertThat(RecentCheck.vouches(Optional.of(second), FIRST.plusSeconds(60 + 180)))
                .as("the interval seen, 60 s")
                .isTrue();
        assertThat(RecentCheck.vouches(Optional.of(second), FIRST.plusSeconds(60 + 181)))
                .isFalse();
    }
}
