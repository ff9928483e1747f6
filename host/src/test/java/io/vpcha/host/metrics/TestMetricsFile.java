package io.vpcha.host.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.cloud.http.HttpCall;
import io.vpcha.spi.Readiness;
import io.vpcha.spi.ReadinessProblem;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestMetricsFile {
    private static final Instant END = Instant.parse("2026-11-29T12:00:00Z");

    @TempDir
    Path directory;

    @Test
    void countersCarryOnFromTheLastFileAndGaugesAreReplaced() throws Exception {
        MetricsFile metrics = new MetricsFile(directory, "vip");
        RequestCounts requests = new RequestCounts();
        requests.answered(call("GET", "https://us-south.iaas.cloud.ibm.com/v1/floating_ips/r006-1"), 200);
        requests.answered(call("POST", "https://iam.cloud.ibm.com/identity/token"), 200);
        requests.unanswered(call("PATCH", "https://us-south.iaas.cloud.ibm.com/v1/floating_ips/r006-1"));
        requests.retrying(call("PATCH", "https://us-south.iaas.cloud.ibm.com/v1/floating_ips/r006-1"));

        metrics.record(action("monitor", "degraded", requests, Optional.of(notReady()), false));
        metrics.record(action("monitor", "success", new RequestCounts(), Optional.of(Readiness.ready()), false));
        metrics.record(action("promote", "success", new RequestCounts(), Optional.empty(), true));

        String text = Files.readString(metrics.file());
        assertThat(metrics.file().getFileName().toString()).isEqualTo("vpc-ha-vip.prom");
        assertThat(text)
                .contains("# TYPE vpc_ha_actions_total counter\n")
                .contains("vpc_ha_actions_total{resource=\"vip\",strategy=\"floating-ip\",action=\"monitor\","
                        + "result=\"degraded\"} 1\n")
                .contains("vpc_ha_action_duration_seconds_count{resource=\"vip\",strategy=\"floating-ip\","
                        + "action=\"monitor\",result=\"success\"} 1\n")
                .contains("vpc_ha_api_requests_total{resource=\"vip\",service=\"vpc\",method=\"read\",status=\"2xx\"}"
                        + " 1\n")
                .contains("vpc_ha_api_requests_total{resource=\"vip\",service=\"vpc\",method=\"write\","
                        + "status=\"none\"} 1\n")
                .contains("vpc_ha_api_requests_total{resource=\"vip\",service=\"iam\",method=\"write\",status=\"2xx\"}"
                        + " 1\n")
                .contains("vpc_ha_api_retries_total{resource=\"vip\"} 1\n")
                .contains("vpc_ha_token_requests_total{resource=\"vip\"} 1\n")
                .contains("vpc_ha_ready{resource=\"vip\"} 1\n")
                .contains("vpc_ha_not_ready{resource=\"vip\",reason=\"credentials\"} 0\n")
                .contains("vpc_ha_last_failover_duration_seconds{resource=\"vip\"} 1.5\n")
                .doesNotContain("r006-1")
                .doesNotContain("iam.cloud.ibm.com");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(metrics.file())))
                .as("node_exporter reads it as its own user")
                .isEqualTo("rw-r--r--");
    }

    @Test
    void aDamagedFileStartsTheCountersAgain() throws Exception {
        MetricsFile metrics = new MetricsFile(directory, "vip");
        Files.writeString(metrics.file(), "vpc_ha_actions_total{x} not-a-number\ngarbage\n");

        metrics.record(action("stop", "success", new RequestCounts(), Optional.empty(), false));

        assertThat(Files.readString(metrics.file()))
                .contains("vpc_ha_actions_total{resource=\"vip\",strategy=\"floating-ip\",action=\"stop\","
                        + "result=\"success\"} 1\n")
                .doesNotContain("garbage");
    }

    @Test
    void labelValuesAreEscaped() {
        assertThat(MetricsFile.labels("resource", "a\"b\\c")).isEqualTo("{resource=\"a\\\"b\\\\c\"}");
    }

    @Test
    void metricsGoOnlyIntoARealDirectoryThatNoOneElseMayWriteTo() throws Exception {
        Path real = Files.createDirectory(directory.resolve("textfiles"));
        assertThat(new MetricsFile(real, "vip").problem()).isEmpty();

        Path link = Files.createSymbolicLink(directory.resolve("link"), real);
        assertThat(new MetricsFile(link, "vip").problem())
                .hasValueSatisfying(problem -> assertThat(problem).contains("is a symbolic link"));
        assertThat(new MetricsFile(directory.resolve("missing"), "vip").problem())
                .hasValueSatisfying(problem -> assertThat(problem).contains("does not exist"));
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertThat(new MetricsFile(real, "vip").problem())
                .hasValueSatisfying(problem -> assertThat(problem).contains("writable by group or others"));
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setOwner(
                real, real.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        assertThat(new MetricsFile(real, "vip").problem())
                .as("a directory of another user (tests run as root)")
                .hasValueSatisfying(problem -> assertThat(problem).contains("is owned by uid"));
    }

    private static MetricsFile.Action action(
            String action, String result, RequestCounts requests, Optional<Readiness> readiness, boolean tookOver) {
        return new MetricsFile.Action(
                "floating-ip", action, result, Duration.ofMillis(1500), END, requests, readiness, tookOver);
    }

    private static Readiness notReady() {
        return Readiness.notReady(ReadinessProblem.METADATA, "metadata service: connection refused");
    }

    private static HttpCall call(String method, String uri) {
        return new HttpCall(method, URI.create(uri), Map.of(), Optional.empty());
    }
}
