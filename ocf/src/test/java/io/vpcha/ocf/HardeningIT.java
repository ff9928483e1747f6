package io.vpcha.ocf;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.Command;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.scenario.Scenario;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed agent, through its real launcher (a 96 MB heap, the environment Pacemaker gives), with
 * what an adversarial pass found breaking it: paths outside ASCII under the POSIX locale, a key file far
 * too large to be one, credentials in a URL. Against the simulator over HTTPS on loopback.
 */
class HardeningIT {
    private static final String KEY = "sim-test-apikey-ha-0000000000000001";
    private static Installation installation;
    private static VpcSimulator simulator;

    @TempDir
    Path work;

    @BeforeAll
    static void start() {
        installation = Installation.install();
        simulator = VpcSimulator.builder()
                .scenario(Scenario.threeZone())
                .perInstanceMetadata(true)
                .https(true)
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (simulator != null) {
            simulator.close();
        }
        if (installation != null) {
            installation.close();
        }
    }

    @Test
    void pathsOutsideAsciiWorkUnderThePosixLocale() throws Exception {
        Path folder = Files.createDirectories(work.resolve("clés-é"));
        Path caFile = Files.copy(simulator.caCertificate(), folder.resolve("autorité.pem"));
        Path keyFile = Files.writeString(folder.resolve("clé"), KEY);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        Path tokens = work.resolve("jetons-é");

        // Command's clean environment is Pacemaker's: no LANG, LC_ALL=C
        for (String action : new String[] {"validate-all", "start", "monitor", "stop"}) {
            Command.Result result = agent("vpc-custom-route", action, "node-b")
                    .env("OCF_CHECK_LEVEL", "10")
                    .env("OCF_RESKEY_ca_file", caFile.toString())
                    .env("OCF_RESKEY_api_key_file", keyFile.toString())
                    .env("OCF_RESKEY_token_cache_dir", tokens.toString())
                    .run();
            assertThat(result.exitCode()).as("%s: %s", action, result).isZero();
        }
        try (Stream<Path> files = Files.list(tokens)) {
            assertThat(files.map(file -> file.getFileName().toString())).anyMatch(name -> name.startsWith("token-"));
        }
    }

    @Test
    void aKeyFileFarTooLargeIsRefusedWithAReasonAndStopStillSucceeds() throws Exception {
        // sparse: 100 MB that take no disk, more than the launcher's 96 MB heap
        Path huge = work.resolve("huge.key");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(100L * 1024 * 1024);
        }
        Files.setPosixFilePermissions(huge, PosixFilePermissions.fromString("rw-------"));

        Command.Result start = agent("vpc-custom-route", "start", "node-b")
                .env("OCF_RESKEY_api_key_file", huge.toString())
                .run();
        assertThat(start.exitCode()).as("%s", start).isEqualTo(6);
        assertThat(start.stderr())
                .contains("ocf-exit-reason:api key file refused: name the key file itself")
                .doesNotContain("OutOfMemoryError");

        // floating-ip with stop_policy=unbind reads the key in its stop: a stop that must still succeed
        assertThat(agent("vpc-floating-ip", "start", "node-a")
                        .env("OCF_RESKEY_floating_ip", "vip-fip")
                        .env("OCF_RESKEY_stop_policy", "unbind")
                        .env("OCF_RESKEY_api_key_file", key().toString())
                        .run()
                        .exitCode())
                .isZero();
        Command.Result stop = agent("vpc-floating-ip", "stop", "node-a")
                .env("OCF_RESKEY_floating_ip", "vip-fip")
                .env("OCF_RESKEY_stop_policy", "unbind")
                .env("OCF_RESKEY_api_key_file", huge.toString())
                .env("OCF_RESKEY_token_cache_dir", work.resolve("other-tokens").toString())
                .run();
        assertThat(stop.exitCode()).as("%s", stop).isZero();
        assertThat(stop.stderr()).contains("could not unbind").contains("api key file refused");

        Command.Result doctor = Command.of(
                        installation.launcher().toString(),
                        "doctor",
                        "strategy=custom-route",
                        "vip=10.0.0.100",
                        "api_key_file=" + huge,
                        "ca_file=" + simulator.caCertificate(),
                        "vpc_url=" + simulator.vpcUrl(),
                        "iam_url=" + simulator.iamUrl(),
                        "metadata_url=" + simulator.metadataUrlFor("node-b"),
                        "token_cache_dir=" + work.resolve("doctor-tokens"))
                .cleanEnvironment()
                // cold: never the accelerator this machine may run (the launcher's default socket)
                .env("VPC_HA_ACCELERATOR", "")
                .env("OCF_RESKEY_CRM_meta_on_node", "node-b")
                .env("HA_RSCTMP", work.resolve("run").toString())
                .timeout(Duration.ofSeconds(90))
                .run();
        assertThat(doctor.exitCode()).as("%s", doctor).isEqualTo(1);
        assertThat(doctor.stdout()).containsPattern("FAIL credentials +api key file refused: name the key file itself");
        assertThat(doctor.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aPasswordInAUrlNeverShowsAndTheReasonFitsWhatPacemakerKeeps() {
        Command.Result start = agent("vpc-custom-route", "start", "node-b")
                .env(
                        "OCF_RESKEY_vpc_url",
                        "https://admin:Pa55-w0rd@" + simulator.vpcUrl().getAuthority())
                .env("OCF_RESKEY_region", "x".repeat(10_000))
                .env("HA_debug", "1")
                .run();

        assertThat(start.exitCode()).isEqualTo(6);
        assertThat(start.output()).doesNotContain("Pa55-w0rd");
        assertThat(start.stderr())
                .contains("vpc_url: 'https://***@" + simulator.vpcUrl().getAuthority());
        String reason = start.stderr()
                .lines()
                .filter(line -> line.startsWith("ocf-exit-reason:"))
                .findFirst()
                .orElseThrow();
        assertThat(reason.substring("ocf-exit-reason:".length()).getBytes(StandardCharsets.UTF_8))
                .hasSizeLessThanOrEqualTo(128);
        assertThat(reason).startsWith("ocf-exit-reason:region: 'xxx").endsWith("...");
    }

    private Path key() throws Exception {
        Path key = work.resolve("api.key");
        if (!Files.exists(key)) {
            Files.writeString(key, KEY);
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        }
        return key;
    }

    /** An action of an installed agent on node {@code node}, as Pacemaker runs it, against the simulator. */
    private Command agent(String agent, String action, String node) {
        Command command = plainAgent(agent, action, node);
        return agent.equals("vpc-custom-route")
                ? command.env("OCF_RESKEY_vip", "10.0.0.100").env("OCF_RESKEY_manage_local_ip", "false")
                : command;
    }

    private Command plainAgent(String agent, String action, String node) {
        return Command.of(installation.agent(agent).toString(), action)
                .cleanEnvironment()
                .env("VPC_HA_ACCELERATOR", "")
                .timeout(Duration.ofSeconds(60))
                .env("OCF_RESOURCE_INSTANCE", "hardening-" + agent)
                .env("HA_RSCTMP", work.resolve("run").toString())
                .env("OCF_RESKEY_CRM_meta_on_node", node)
                .env("OCF_RESKEY_CRM_meta_timeout", "30000")
                .env("OCF_RESKEY_ca_file", simulator.caCertificate().toString())
                .env("OCF_RESKEY_vpc_url", simulator.vpcUrl().toString())
                .env("OCF_RESKEY_iam_url", simulator.iamUrl().toString())
                .env("OCF_RESKEY_metadata_url", simulator.metadataUrlFor(node).toString())
                .env("OCF_RESKEY_token_cache_dir", work.resolve("tokens").toString());
    }
}
