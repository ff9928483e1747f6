package io.vpcha.host.ocf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcha.host.cloud.UnusableCloud;
import io.vpcha.host.files.WriteFence;
import io.vpcha.host.testing.RecordingLog;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestHostStrategyContext {
    @TempDir
    Path stateRoot;

    @Test
    void aFencedOffActionGetsNoStateDirectory() {
        AtomicBoolean clientWaits = new AtomicBoolean(true);
        HostStrategyContext context = context(() -> {
            if (!clientWaits.get()) {
                throw new WriteFence.Closed("its client gave up");
            }
        });
        Path directory = context.stateDirectory();
        assertThat(directory).isDirectory();

        clientWaits.set(false);
        assertThatThrownBy(context::stateDirectory)
                .isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(WriteFence.Closed.class)
                .hasMessageContaining("its client gave up");
        assertThat(Files.exists(directory)).as("nothing removed").isTrue();
    }

    @Test
    void aFencedOffActionCreatesNothing() {
        HostStrategyContext context = context(() -> {
            throw new WriteFence.Closed("its deadline passed");
        });
        assertThatThrownBy(context::stateDirectory).hasCauseInstanceOf(WriteFence.Closed.class);
        assertThat(stateRoot.resolve("vpc-ha")).doesNotExist();
    }

    private HostStrategyContext context(WriteFence fence) {
        return new HostStrategyContext(
                "node1",
                "vip",
                Instant.now().plusSeconds(20),
                new RecordingLog(),
                stateRoot,
                UnusableCloud.because("no cloud in this test"),
                Clock.systemUTC(),
                fence);
    }
}
