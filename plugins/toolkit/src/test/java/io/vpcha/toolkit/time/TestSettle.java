package io.vpcha.toolkit.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcha.host.testing.TestClock;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Waiting for a change to show, within the action's time, with the action's clock. */
class TestSettle {
    private final TestClock clock = new TestClock();

    private TimeBox timeBox(Duration left) {
        return new TimeBox(clock.instant().plus(left), clock);
    }

    @Test
    void readsUntilSettledRidingTransientFailures() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        List<Object> answers = List.of(
                new CloudException(CloudErrorKind.TRANSIENT, 503, null, "HTTP 503", null, null),
                Map.of("lifecycle_state", "updating"),
                Map.of("lifecycle_state", "stable", "id", "r1"));

        Map<String, Object> settled = Settle.within(timeBox(Duration.ofSeconds(10)))
                .pauses(Duration.ofMillis(10), Duration.ofMillis(20))
                .until(
                        "public address range r1",
                        () -> answer(answers.get(reads.getAndIncrement())),
                        Settle.fieldIs("lifecycle_state", "stable"),
                        (seen, failure) -> StrategyException.generic("never"));

        assertThat(settled).containsEntry("id", "r1");
        assertThat(reads).hasValue(3);
    }

    @Test
    void aFailureThatIsNotTransientOrACheckThatGivesUpEndsTheWait() {
        Settle settle =
                Settle.within(timeBox(Duration.ofSeconds(10))).pauses(Duration.ofMillis(10), Duration.ofMillis(20));

        assertThatThrownBy(() -> settle.until(
                        "x",
                        () -> {
                            throw new CloudException(
                                    CloudErrorKind.NOT_FOUND, 404, "not_found", "HTTP 404", null, null);
                        },
                        seen -> true,
                        (seen, failure) -> StrategyException.generic("never")))
                .hasMessage("HTTP 404");
        assertThatThrownBy(() -> settle.until(
                        "x",
                        () -> "moved by node-f",
                        seen -> {
                            throw StrategyException.generic(seen);
                        },
                        (seen, failure) -> StrategyException.generic("never")))
                .hasMessage("moved by node-f");
    }

    @Test
    void whenTheTimeRunsOutTheFailureSaysWhatWasSeenLast() {
        Instant begin = Instant.now();

        assertThatThrownBy(() -> Settle.within(timeBox(Duration.ofMillis(800)))
                        .until(
                                "floating IP f",
                                () -> "bound to node-a",
                                seen -> false,
                                (seen, failure) -> StrategyException.generic("not settled; last seen "
                                        + seen.orElse("nothing")
                                        + failure.map(f -> ", " + f.reason()).orElse(""))))
                .hasMessageStartingWith("not settled; last seen bound to node-a");
        assertThat(Duration.between(begin, Instant.now()))
                .as("within the time box, which keeps a quarter of 0.8 s in reserve")
                .isLessThan(Duration.ofMillis(800));
    }

    @Test
    void theTimeBoxCountsByTheActionsClock() throws Exception {
        TimeBox box = timeBox(Duration.ofSeconds(30));
        assertThat(box.remaining()).isGreaterThan(Duration.ofSeconds(28));

        clock.advance(Duration.ofSeconds(30));

        assertThat(box.remaining()).isNegative();
        assertThatThrownBy(() -> box.call("get route r1", () -> "never called"))
                .isInstanceOf(CloudException.class)
                .hasMessage("get route r1: no answer in the time this action has");
        assertThat(box.pause(Duration.ofSeconds(1))).isFalse();
    }

    @Test
    void aHangingCallEndsAtTheAnswerByTime() {
        TimeBox box = timeBox(Duration.ofMillis(800));
        Instant begin = Instant.now();

        assertThatThrownBy(() -> box.call("get floating IP f", () -> {
                    try {
                        Thread.sleep(30_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return "late";
                }))
                .isInstanceOf(CloudException.class)
                .satisfies(e -> assertThat(((CloudException) e).isTransient()).isTrue());
        assertThat(Duration.between(begin, Instant.now())).isLessThan(Duration.ofMillis(800));
        assertThat(box.answerBy()).isBefore(begin.plusMillis(800));
    }

    @SuppressWarnings("unchecked") // the answers are JSON objects
    private static Map<String, Object> answer(Object answer) throws StrategyException {
        if (answer instanceof StrategyException failure) {
            throw failure;
        }
        return (Map<String, Object>) answer;
    }
}
