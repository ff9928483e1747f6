package io.vpcha.host.accelerator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.ocf.OcfExitCode;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.scenario.Scenario;
import io.vpcha.simulator.wire.TcpProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warm monitors that call the cloud, asked of a real service over its socket: the simulator over TLS
 * behind proxies that count each endpoint's connections on the server side.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TestWarmCloud {
    private static final String HA_KEY = "sim-test-apikey-ha-0000000000000001";
    private static final String READONLY_KEY = "sim-test-apikey-readonly-000000002";

    @TempDir
    Path root;

    private AcceleratorFixture accelerator;
    private VpcSimulator simulator;
    private TcpProxy vpc;
    private TcpProxy iam;
    private Process launcher;

    @BeforeEach
    void start() throws IOException {
        accelerator = new AcceleratorFixture(root, Duration.ofMinutes(10));
        simulator = VpcSimulator.builder()
                .scenario(Scenario.threeZone())
                .perInstanceMetadata(true)
                .https(true)
                .caCertificateFile(root.resolve("ca.pem"))
                .start();
        vpc = TcpProxy.start(simulator.vpcUrl(), Duration.ZERO);
        iam = TcpProxy.start(simulator.iamUrl(), Duration.ZERO);
        launcher = new ProcessBuilder("sleep", "60").start();
    }

    @AfterEach
    void stop() throws IOException {
        launcher.destroyForcibly();
        accelerator.close();
        vpc.close();
        iam.close();
        simulator.close();
    }

    @Test
    void warmMonitorsOfTwoResourcesShareOneVpcConnectionAndKeepOneTokenPerKey() throws IOException {
        Map<String, String> first = environment("vip1", HA_KEY);
        Map<String, String> second = environment("vip2", READONLY_KEY);
        for (int round = 0; round < 4; round++) {
            assertThat(accelerator.ask(launcher.pid(), "monitor", first)).endsWith("end " + OcfExitCode.SUCCESS);
            assertThat(accelerator.ask(launcher.pid(), "monitor", second)).endsWith("end " + OcfExitCode.SUCCESS);
        }

        assertThat(vpc.counts().connections())
                .as("VPC API connections for 8 warm monitors of 2 resources")
                .isEqualTo(1);
        assertThat(simulator.journal().find(entry -> entry.service().equals("iam")))
                .as("one token per key, each fetched once")
                .hasSize(2);
        assertThat(iam.counts().connections())
                .as("each token's POST on a connection of its own action")
                .isEqualTo(2);
    }

    @Test
    void aConnectionCutBetweenWarmMonitorsCostsOneNewConnectionAndNoFailure() throws IOException {
        Map<String, String> env = environment("vip1", HA_KEY);
        assertThat(accelerator.ask(launcher.pid(), "monitor", env)).endsWith("end " + OcfExitCode.SUCCESS);
        long requests = simulator.journal().entries().size();

        vpc.cutConnections();

        assertThat(accelerator.ask(launcher.pid(), "monitor", env)).endsWith("end " + OcfExitCode.SUCCESS);
        assertThat(accelerator.ask(launcher.pid(), "monitor", env)).endsWith("end " + OcfExitCode.SUCCESS);
        assertThat(vpc.counts().connections()).as("the cut one, then one new").isEqualTo(2);
        assertThat(simulator.journal().entries().size() - requests)
                .as("each monitor's request reached the API once")
                .isEqualTo(2);
    }

    private Map<String, String> environment(String resource, String apiKey) throws IOException {
        Map<String, String> env = accelerator.environment("cloudy");
        env.put("OCF_RESOURCE_INSTANCE", resource);
        env.put("OCF_RESKEY_CRM_meta_interval", "10000");
        env.put("OCF_RESKEY_vpc_url", vpc.url(simulator.vpcUrl()).toString());
        env.put("OCF_RESKEY_iam_url", iam.url(simulator.iamUrl()).toString());
        env.put("OCF_RESKEY_ca_file", simulator.caCertificate().toString());
        env.put("OCF_RESKEY_api_key", apiKey);
        env.put("OCF_RESKEY_metadata_url", simulator.metadataUrlFor("node-a").toString());
        env.put(
                "OCF_RESKEY_token_cache_dir",
                Files.createDirectories(root.resolve("tokens")).toString());
        return env;
    }
}
