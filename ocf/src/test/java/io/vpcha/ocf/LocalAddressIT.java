package io.vpcha.ocf;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * custom-route with manage_local_ip=true, as root in a network namespace of its own: start adds the
 * VIP to the loopback with iproute2, monitor notices when it is gone, stop removes it, also after the
 * resource's parameters or its strategy changed. The simulator runs in the same namespace, so nothing
 * leaves it.
 */
class LocalAddressIT {
    private static final String NAMESPACE = "vpcha-it-lip";
    private static final String IP = NamespacedSimulator.IP;

    private static Installation installation;
    private static NamespacedSimulator simulator;
    private static Map<String, String> urls;

    /** The resource's HA_RSCTMP, removed after each test. */
    @TempDir
    Path run;

    @BeforeAll
    static void start() throws Exception {
        installation = Installation.install();
        simulator = NamespacedSimulator.start(installation, NAMESPACE, "three-zone");
        urls = simulator.urls;
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
    void startAddsTheVipLocallyMonitorMissesItAndStopRemovesIt() throws IOException {
        Command.Result start = agent("start", run);
        assertThat(start.exitCode()).as("%s", start).isZero();
        assertThat(loopback()).contains("inet 10.0.0.100/32");
        assertThat(agent("monitor", run).exitCode()).isZero();

        Command.of("ip", "netns", "exec", NAMESPACE, "ip", "addr", "del", "10.0.0.100/32", "dev", "lo")
                .run();
        Command.Result monitor = agent("monitor", run);
        assertThat(monitor.exitCode()).isEqualTo(7);
        assertThat(monitor.stderr()).contains("ocf-exit-reason:10.0.0.100 is not on lo");

        assertThat(agent("start", run).exitCode()).isZero();
        assertThat(loopback()).contains("inet 10.0.0.100/32");
        Command.Result stop = agent("stop", run);
        assertThat(stop.exitCode()).as("%s", stop).isZero();
        assertThat(loopback()).doesNotContain("10.0.0.100");
        assertThat(agent("monitor", run).exitCode()).isEqualTo(7);
    }

    @Test
    void aStopAfterAChangeThatCannotWorkStillRemovesTheVip() throws IOException {
        // a reloadable value the strategy refuses, one the host refuses, and a changed vip
        for (String[] change : new String[][] {
            {"OCF_RESKEY_parallelism", "99"}, {"OCF_RESKEY_request_timeout", "0"}, {"OCF_RESKEY_vip", "10.0.0.101"}
        }) {
            Command.Result start = agent("start", run);
            assertThat(start.exitCode()).as("%s", start).isZero();
            assertThat(loopback()).contains("inet 10.0.0.100/32");

            Command.Result stop = agent("stop", run, change);

            assertThat(stop.exitCode())
                    .as("stop with %s=%s: %s", change[0], change[1], stop)
                    .isZero();
            assertThat(loopback())
                    .as("after a stop with %s=%s", change[0], change[1])
                    .doesNotContain("10.0.0.100");
            assertThat(agent("monitor", run).exitCode()).isEqualTo(7);
        }
    }

    @Test
    void stopOfAResourceNeverStartedHereSucceedsWithoutTheInterfaceOrIproute2() throws IOException {

        Command.Result stopEth9 = agent("stop", run, "OCF_RESKEY_interface", "eth9");
        assertThat(stopEth9.exitCode()).as("%s", stopEth9).isZero();
        Command.Result noIp = agent(
                "stop",
                run,
                "PATH",
                "/nonexistent",
                "VPC_HA_JAVA",
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        assertThat(noIp.exitCode()).as("ip not on the PATH: %s", noIp).isZero();
        assertThat(noIp.stderr()).contains("without iproute2 vpc-ha cannot have added it");

        Command.Result startEth9 = agent("start", run, "OCF_RESKEY_interface", "eth9");
        assertThat(startEth9.exitCode()).as("%s", startEth9).isEqualTo(6);
        assertThat(startEth9.stderr()).contains("ocf-exit-reason:interface eth9 does not exist on this node");
        assertThat(loopback()).doesNotContain("10.0.0.100");
    }

    @Test
    void aStopAfterTheStrategyChangedRemovesTheVipTheStrategyThatStartedItAdded() {
        Command.Result start = generic("start", run, "strategy", "custom-route", "vip", "10.0.0.100");
        assertThat(start.exitCode()).as("%s", start).isZero();
        assertThat(loopback()).contains("inet 10.0.0.100/32");

        // Pacemaker stops the resource with its new parameters: floating-ip's stop knows nothing of a VIP on lo
        Command.Result stop = generic("stop", run, "strategy", "floating-ip", "floating_ip", "vip-fip");

        assertThat(stop.exitCode()).as("%s", stop).isZero();
        assertThat(loopback()).doesNotContain("10.0.0.100");
        assertThat(stop.stderr())
                .contains("stop: strategy custom-route started this resource here with other parameters than the "
                        + "current ones (changed: strategy, vip)");
        assertThat(generic("monitor", run, "strategy", "custom-route", "vip", "10.0.0.100")
                        .exitCode())
                .isEqualTo(7);
    }

    @Test
    void aStopWhoseStrategysPluginWasRemovedFailsNamingItUntilItIsBack(@TempDir Path otherPlugins) throws IOException {
        Command.Result start = generic("start", run, "strategy", "custom-route", "vip", "10.0.0.100");
        assertThat(start.exitCode()).as("%s", start).isZero();
        try (Stream<Path> jars = Files.list(installation.prefix.resolve("plugins"))) {
            for (Path jar : jars.filter(jar -> jar.getFileName().toString().endsWith(".jar"))
                    .filter(jar -> !jar.getFileName().toString().contains("custom-route"))
                    .toList()) {
                Files.copy(jar, otherPlugins.resolve(jar.getFileName()));
            }
        }

        Command.Result withoutIt = generic(
                "stop",
                run,
                "VPC_HA_PLUGINS",
                otherPlugins.toString(),
                "strategy",
                "floating-ip",
                "floating_ip",
                "vip-fip");

        assertThat(withoutIt.exitCode())
                .as("reported stopped, the VIP would serve beside the next node's: %s", withoutIt)
                .isEqualTo(1);
        assertThat(withoutIt.stderr())
                .contains("ocf-exit-reason:cannot stop: strategy custom-route started this resource here and its "
                        + "plugin is gone; reinstall it");
        assertThat(loopback()).contains("inet 10.0.0.100/32");

        Command.Result reinstalled = generic("stop", run, "strategy", "floating-ip", "floating_ip", "vip-fip");
        assertThat(reinstalled.exitCode()).as("%s", reinstalled).isZero();
        assertThat(loopback()).doesNotContain("10.0.0.100");
    }

    private static String loopback() {
        return Command.of("ip", "netns", "exec", NAMESPACE, "ip", "-4", "-o", "addr", "show", "dev", "lo")
                .run()
                .stdout();
    }

    /** Runs an action of the agent in the namespace; {@code changes} are NAME, VALUE pairs of the environment. */
    private static Command.Result agent(String action, Path run, String... changes) {
        Command command = inNamespace("vpc-custom-route", action, run).env("OCF_RESKEY_vip", "10.0.0.100");
        for (int i = 0; i < changes.length; i += 2) {
            command = command.env(changes[i], changes[i + 1]);
        }
        return command.run();
    }

    /**
     * Runs an action of the generic agent ocf:vpcha-it:vpc-ha in the namespace with the cloud parameters and
     * {@code pairs}: NAME, VALUE of a parameter, or of the environment when the name is in capitals.
     */
    private static Command.Result generic(String action, Path run, String... pairs) {
        Command command = inNamespace("vpc-ha", action, run);
        for (int i = 0; i < pairs.length; i += 2) {
            boolean environment = pairs[i].equals(pairs[i].toUpperCase(Locale.ROOT));
            command = command.env(environment ? pairs[i] : "OCF_RESKEY_" + pairs[i], pairs[i + 1]);
        }
        return command.run();
    }

    /** An action of {@code agentName} in the namespace, as Pacemaker runs it on node-b, with the cloud parameters. */
    private static Command inNamespace(String agentName, String action, Path run) {
        return Command.of(
                        IP,
                        "netns",
                        "exec",
                        NAMESPACE,
                        installation.agent(agentName).toString(),
                        action)
                .cleanEnvironment()
                // cold: never the accelerator this machine may run (the launcher's default socket)
                .env("VPC_HA_ACCELERATOR", "")
                .timeout(Duration.ofSeconds(60))
                .env("OCF_RESOURCE_INSTANCE", "lip")
                .env("HA_RSCTMP", run.toString())
                .env("OCF_RESKEY_CRM_meta_on_node", "node-b")
                .env("OCF_RESKEY_CRM_meta_interval", "10000")
                .env("OCF_RESKEY_vpc_url", urls.get("VPC_URL"))
                .env("OCF_RESKEY_iam_url", urls.get("IAM_URL"))
                .env("OCF_RESKEY_metadata_url", urls.get("METADATA_URL_NODE_B"))
                .env("OCF_RESKEY_token_cache_dir", run.resolve("tokens").toString());
    }
}
