package io.vpcha.host.ocf;

import static io.vpcha.host.testing.Secrets.neverShown;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.files.WriteFence;
import io.vpcha.host.testing.RecordedPacemakerTools;
import io.vpcha.spi.CheckLevel;
import io.vpcha.spi.FailoverStrategy;
import io.vpcha.spi.MonitorRequest;
import io.vpcha.spi.MonitorResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPromotableResource {
    private static final String SECRET = "k3y-THAT-must-never-show";

    @TempDir
    Path stateRoot;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void aReasonThatQuotesASecretIsRecordedPublishedAndLoggedMasked() throws Exception {
        RecordedPacemakerTools tools = RecordedPacemakerTools.in(stateRoot.resolve("sbin"));
        Map<String, String> variables = new HashMap<>(Map.of(
                "OCF_RESOURCE_INSTANCE", "vip:0",
                "OCF_RESKEY_CRM_meta_promotable", "true",
                "OCF_RESKEY_CRM_meta_on_node", "node1",
                "HA_RSCTMP", stateRoot.toString(),
                "HA_SBIN_DIR", tools.directory()));
        AgentLog log = new AgentLog("vip:0", new PrintStream(err, true, StandardCharsets.UTF_8), true);
        log.addSecrets(Set.of(SECRET));
        Standby standby = new Standby(stateRoot, "vip:0");
        ReadinessCheck quotesTheKey = ReadinessCheck.unusable("IAM refused the key " + SECRET);

        assertThat(resource(variables, standby, quotesTheKey, log).run("start", false, new Idle()))
                .isZero();

        assertThat(neverShown(Files.readString(standby.file()), SECRET))
                .as("the standby record")
                .contains("IAM refused the key ***");
        List<String> calls = tools.takeCalls();
        assertThat(calls).isNotEmpty();
        calls.forEach(call -> neverShown(call, SECRET));

        variables.put("OCF_RESKEY_CRM_meta_interval", "10000");
        assertThat(resource(variables, standby, quotesTheKey, log).run("monitor", false, new Idle()))
                .isZero();
        assertThat(tools.takeCalls())
                .as("the same readiness as recorded: nothing published again")
                .isEmpty();
        neverShown(Files.readString(standby.file()), SECRET);
        neverShown(err.toString(StandardCharsets.UTF_8), SECRET);
    }

    private PromotableResource resource(
            Map<String, String> variables, Standby standby, ReadinessCheck readiness, AgentLog log) {
        OcfEnvironment environment = new OcfEnvironment(variables);
        Clock clock = Clock.fixed(Instant.parse("2026-11-29T23:00:00Z"), ZoneOffset.UTC);
        return new PromotableResource(
                environment,
                standby,
                new SplitBrainGuard(
                        SplitBrainGuard.fileOf(stateRoot, "vip:0"),
                        "node1",
                        "vip",
                        Optional::empty,
                        clock,
                        log,
                        WriteFence.OPEN),
                new PacemakerAttributes(environment, log),
                readiness,
                clock,
                log,
                reason -> {},
                seen -> {});
    }

    /** A strategy that runs nowhere and never fails. */
    private static final class Idle implements FailoverStrategy {
        @Override
        public void start() {}

        @Override
        public void stop() {}

        @Override
        public MonitorResult monitor(MonitorRequest request) {
            return MonitorResult.notRunning("not promoted here");
        }

        @Override
        public void validate(CheckLevel level) {}
    }
}
