package io.vpcha.ocf;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The installed secondary-ip agent with manage_local_ip=true, as root in a network namespace of its
 * own: the guest interface is found by the MAC address the VPC API gives node-b's VNI (the scenario
 * same-subnet's 02:00:0a:f0:00:05, given here to a veth interface eth1), start binds the VIP and adds
 * it there with the subnet's prefix, monitor notices when it is gone, stop removes it.
 */
class SecondaryIpLocalAddressIT {
    private static final String NAMESPACE = "vpcha-it-sip";
    private static final String VIP = "10.240.0.100";

    private static Installation installation;
    private static NamespacedSimulator simulator;

    @BeforeAll
    static void start() throws Exception {
        installation = Installation.install();
        simulator = NamespacedSimulator.start(installation, NAMESPACE, "same-subnet");
        // a veth pair (this kernel may have no dummy interfaces); the peer only keeps eth1 up
        assertThat(NamespacedSimulator.in(
                                NAMESPACE, "ip", "link", "add", "eth1", "type", "veth", "peer", "name", "eth1p")
                        .exitCode())
                .isZero();
        assertThat(NamespacedSimulator.in(NAMESPACE, "ip", "link", "set", "eth1p", "up")
                        .exitCode())
                .isZero();
        assertThat(NamespacedSimulator.in(NAMESPACE, "ip", "link", "set", "eth1", "address", "02:00:0a:f0:00:05")
                        .exitCode())
                .isZero();
        assertThat(NamespacedSimulator.in(NAMESPACE, "ip", "link", "set", "eth1", "up")
                        .exitCode())
                .isZero();
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
    void startFindsTheInterfaceByTheVnisMacMonitorMissesTheAddressAndStopRemovesIt() throws IOException {
        Path run = Files.createTempDirectory("sip-run");

        Command.Result start = agent("start", run);
        assertThat(start.exitCode()).as("%s", start).isZero();
        assertThat(eth1()).contains("inet " + VIP + "/24");
        assertThat(agent("monitor", run).exitCode()).isZero();

        NamespacedSimulator.in(NAMESPACE, "ip", "addr", "del", VIP + "/24", "dev", "eth1");
        Command.Result monitor = agent("monitor", run);
        assertThat(monitor.exitCode()).isEqualTo(7);
        assertThat(monitor.stderr()).contains("is bound here but not on interface eth1");

        assertThat(agent("start", run).exitCode()).isZero();
        assertThat(eth1()).contains("inet " + VIP + "/24");
        Command.Result stop = agent("stop", run);
        assertThat(stop.exitCode()).as("%s", stop).isZero();
        assertThat(eth1()).doesNotContain(VIP);
        assertThat(agent("monitor", run).exitCode()).isEqualTo(7);
    }

    private static String eth1() {
        return NamespacedSimulator.in(NAMESPACE, "ip", "-4", "-o", "addr", "show", "dev", "eth1")
                .stdout();
    }

    private static Command.Result agent(String action, Path run) {
        return Command.of(
                        NamespacedSimulator.IP,
                        "netns",
                        "exec",
                        NAMESPACE,
                        installation.agent("vpc-secondary-ip").toString(),
                        action)
                .cleanEnvironment()
                // cold: never the accelerator this machine may run (the launcher's default socket)
                .env("VPC_HA_ACCELERATOR", "")
                .timeout(Duration.ofSeconds(60))
                .env("OCF_RESOURCE_INSTANCE", "sip")
                .env("HA_RSCTMP", run.toString())
                .env("OCF_RESKEY_CRM_meta_on_node", "node-b")
                .env("OCF_RESKEY_CRM_meta_interval", "10000")
                .env("OCF_RESKEY_ip", VIP)
                .env("OCF_RESKEY_vpc_url", simulator.urls.get("VPC_URL"))
                .env("OCF_RESKEY_iam_url", simulator.urls.get("IAM_URL"))
                .env("OCF_RESKEY_metadata_url", simulator.urls.get("METADATA_URL_NODE_B"))
                .env("OCF_RESKEY_token_cache_dir", run.resolve("tokens").toString())
                .run();
    }
}
