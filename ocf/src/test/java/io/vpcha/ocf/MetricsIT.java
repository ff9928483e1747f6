package io.vpcha.ocf;

import static io.vpcha.host.testing.Secrets.neverShown;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.Command;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics of the installed agent as Prometheus sees them: Debian's prometheus-node-exporter, run
 * with only its textfile collector on a directory the agent writes into, scraped over HTTP.
 */
class MetricsIT {
    private static final String NODE_EXPORTER = "/usr/bin/prometheus-node-exporter";
    private static final String API_KEY = "sim-test-apikey-ha-0000000000000001";

    @RegisterExtension
    static final AgentWithSimulator agent = new AgentWithSimulator();

    @TempDir
    Path work;

    private Process exporter;

    @AfterEach
    void stopExporter() throws InterruptedException {
        if (exporter != null) {
            exporter.destroy();
            if (!exporter.waitFor(10, TimeUnit.SECONDS)) {
                exporter.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void nodeExporterServesTheActionsReadinessAndFailoverOfAPromotableResource() throws Exception {
        assertThat(Path.of(NODE_EXPORTER))
                .as("prometheus-node-exporter (scripts/install-test-deps.sh installs it)")
                .isExecutable();
        Path textfiles = Files.createDirectories(work.resolve("textfiles"));
        URI metrics = startExporter(textfiles);

        List<String> promotable = List.of("CRM_meta_promotable=true");
        assertThat(agent("start", textfiles, promotable, 0).exitCode()).isZero();
        assertThat(agent("monitor", textfiles, promotable, 30_000).exitCode()).isZero();
        Command.Result promote = agent("promote", textfiles, promotable, 0);
        assertThat(promote.exitCode()).as("%s", promote).isZero();
        assertThat(agent("monitor", textfiles, promotable, 11_000).exitCode()).isEqualTo(8);

        String scraped = scrape(metrics);

        assertThat(neverShown(scraped, API_KEY, "Bearer"))
                .contains("vpc_ha_actions_total{action=\"promote\",resource=\"it-metrics\",result=\"success\","
                        + "strategy=\"custom-route\"} 1")
                .contains("vpc_ha_actions_total{action=\"monitor\",resource=\"it-metrics\","
                        + "result=\"running_promoted\",strategy=\"custom-route\"} 1")
                .contains("vpc_ha_ready{resource=\"it-metrics\"} 1")
                .contains("vpc_ha_not_ready{reason=\"credentials\",resource=\"it-metrics\"} 0")
                .contains("vpc_ha_last_failover_duration_seconds{resource=\"it-metrics\"}")
                .contains("vpc_ha_api_requests_total{method=\"write\",resource=\"it-metrics\",service=\"vpc\","
                        + "status=\"2xx\"}")
                .contains("node_textfile_scrape_error 0");
        try (Stream<Path> files = Files.list(textfiles)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .as("one file per resource, no temporary left")
                    .containsExactly("vpc-ha-it-metrics.prom");
        }
    }

    @Test
    void aDirectoryOthersMayWriteToGetsNoMetrics() throws Exception {
        Path open = Files.createDirectories(work.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(agent("monitor", open, List.of(), 0).exitCode()).isEqualTo(7);

        try (Stream<Path> files = Files.list(open)) {
            assertThat(files).isEmpty();
        }
    }

    private URI startExporter(Path textfiles) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        exporter = new ProcessBuilder(
                        NODE_EXPORTER,
                        "--collector.disable-defaults",
                        "--collector.textfile",
                        "--collector.textfile.directory=" + textfiles,
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("node-exporter.log").toFile())
                .start();
        URI uri = URI.create("http://127.0.0.1:" + port + "/metrics");
        Instant latest = Instant.now().plusSeconds(20);
        while (true) {
            try {
                scrape(uri);
                return uri;
            } catch (IOException notYet) {
                if (!exporter.isAlive() || Instant.now().isAfter(latest)) {
                    throw new AssertionError(
                            "node_exporter did not serve " + uri + ": "
                                    + Files.readString(work.resolve("node-exporter.log")),
                            notYet);
                }
                // it is starting: ask again shortly, within the bound above
                exporter.waitFor(100, TimeUnit.MILLISECONDS);
            }
        }
    }

    private static String scrape(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .build()
                .send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
        return response.body();
    }

    private Command.Result agent(String action, Path textfiles, List<String> extra, long intervalMillis)
            throws IOException {
        Command command = Command.of(
                        agent.installation().agent("vpc-custom-route").toString(), action)
                .cleanEnvironment()
                // cold: never the accelerator this machine may run (the launcher's default socket)
                .env("VPC_HA_ACCELERATOR", "")
                .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
                .env("OCF_ROOT", agent.installation().ocfRoot.toString())
                .env("OCF_RESOURCE_INSTANCE", "it-metrics")
                .env("HA_NODENAME", "node-b")
                .env("HA_RSCTMP", Files.createDirectories(work.resolve("run")).toString())
                .env("OCF_RESKEY_CRM_meta_timeout", "20000")
                .env("OCF_RESKEY_CRM_meta_interval", Long.toString(intervalMillis))
                .env("OCF_RESKEY_vip", "10.0.0.100")
                .env("OCF_RESKEY_manage_local_ip", "false")
                .env("OCF_RESKEY_vpc_url", agent.simulator().vpcUrl().toString())
                .env("OCF_RESKEY_iam_url", agent.simulator().iamUrl().toString())
                .env(
                        "OCF_RESKEY_metadata_url",
                        agent.simulator().metadataUrlFor("node-b").toString())
                .env("OCF_RESKEY_token_cache_dir", work.resolve("tokens").toString())
                .env("OCF_RESKEY_api_key", API_KEY)
                .env("OCF_RESKEY_metrics_dir", textfiles.toString())
                .timeout(Duration.ofMinutes(1));
        for (String pair : extra) {
            int equals = pair.indexOf('=');
            command.env("OCF_RESKEY_" + pair.substring(0, equals), pair.substring(equals + 1));
        }
        return command.run();
    }
}
