package io.vpcha.host.ocf;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.spi.Readiness;
import io.vpcha.spi.ReadinessProblem;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestStandby {
    private static final Instant AT = Instant.parse("2026-11-30T05:00:00.250Z");

    @TempDir
    Path stateRoot;

    @Test
    void theRecordIsWhatPropertiesStoreWroteWithoutItsDateLine() throws Exception {
        Standby standby = new Standby(stateRoot, "vip:1");
        Readiness notReady = Readiness.notReady(ReadinessProblem.CLOUD, "GET /v1/routing_tables: 503 #2 = retry!");

        standby.record(notReady, AT, false);

        String text = Files.readString(standby.file(), StandardCharsets.US_ASCII);
        assertThat(text).isEqualTo("""
                        #vpc-ha: this instance of a promotable clone runs here
                        at=2026-11-30T05\\:00\\:00.250Z
                        problem=cloud
                        promoted=false
                        ready=false
                        reason=GET /v1/routing_tables\\: 503 \\#2 \\= retry\\!
                        """);
        // what the host wrote before, with Properties.store: the same comment and pairs, and a date
        Properties values = new Properties();
        values.setProperty("promoted", "false");
        values.setProperty("ready", "false");
        values.setProperty("problem", "cloud");
        values.setProperty("reason", notReady.reason());
        values.setProperty("at", AT.toString());
        StringWriter stored = new StringWriter();
        values.store(stored, "vpc-ha: this instance of a promotable clone runs here");
        List<String> storedLines = stored.toString().lines().toList();
        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).isEqualTo(storedLines.get(0));
        assertThat(lines.subList(1, lines.size()))
                .containsExactlyInAnyOrderElementsOf(storedLines.subList(2, storedLines.size()));
    }

    @Test
    void aReasonOfAnyCharactersReadsBackAsRecorded() throws Exception {
        Standby standby = new Standby(stateRoot, "vip:1");
        Readiness notReady = Readiness.notReady(
                ReadinessProblem.TARGET, " route 'vip\u00e9' \u2192 zone\\2 gone: see \u20ac\ud83d\ude00 \t ");

        standby.record(notReady, AT, true);

        assertThat(standby.last()).contains(new Standby.Seen(notReady, AT, true));
        assertThat(Files.readString(standby.file(), StandardCharsets.ISO_8859_1)
                        .chars()
                        .allMatch(c -> c == '\n' || (c >= 0x20 && c <= 0x7e)))
                .as("plain ASCII")
                .isTrue();
        standby.promoted(false, AT.plusSeconds(1));
        assertThat(standby.last()).contains(new Standby.Seen(notReady, AT.plusSeconds(1), false));
    }

    @Test
    void aRecordWrittenWithPropertiesStoreIsReadAsBefore() throws Exception {
        Standby standby = new Standby(stateRoot, "vip:1");
        standby.record(Readiness.ready(), AT, false);
        // as the host wrote it until now: a date line, store's order, non-ASCII characters as UTF-8
        String old = """
                #vpc-ha: this instance of a promotable clone runs here
                #Mon Nov 30 05:00:00 UTC 2026
                reason=\\ caf\u00e9 \u20ac\\: gone
                problem=local
                at=2026-11-30T05\\:00\\:00.250Z
                ready=false
                promoted=true
                """;
        Files.writeString(standby.file(), old, StandardCharsets.UTF_8);

        assertThat(standby.last())
                .contains(new Standby.Seen(
                        Readiness.notReady(ReadinessProblem.LOCAL, " caf\u00e9 \u20ac: gone"), AT, true));
    }
}
