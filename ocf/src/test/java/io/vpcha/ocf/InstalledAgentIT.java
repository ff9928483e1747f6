package io.vpcha.ocf;

import static io.vpcha.host.testing.Secrets.neverShown;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vpcha.host.testing.Command;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed distribution, driven by Pacemaker's own tools: xmllint with resource-agents'
 * ra-api-1.dtd, ocf-tester, and Pacemaker's executor through crm_resource.
 */
class InstalledAgentIT {
    private static final Path DTD_DIRECTORY = Path.of("/usr/share/resource-agents");
    private static Installation installation;

    @TempDir
    Path work;

    @BeforeAll
    static void install() {
        installation = Installation.install();
    }

    @AfterAll
    static void uninstall() throws Exception {
        if (installation != null) {
            installation.close();
        }
    }

    @Test
    void theShippedStrategiesAndTheOutOfTreeExamplePluginLoad() {
        Command.Result result = Command.of(installation.launcher().toString(), "plugins", "--format", "json")
                .run();

        assertThat(result.exitCode()).as("%s", result).isZero();
        Map<String, JsonObject> plugins = new TreeMap<>();
        JsonParser.parseString(result.stdout())
                .getAsJsonObject()
                .getAsJsonArray("plugins")
                .forEach(element ->
                        plugins.put(element.getAsJsonObject().get("name").getAsString(), element.getAsJsonObject()));
        assertThat(plugins)
                .containsOnlyKeys(
                        "custom-route",
                        "floating-ip",
                        "load-balancer",
                        "public-address-range",
                        "secondary-ip",
                        "state-file");
        assertThat(plugins.values())
                .allSatisfy(each -> assertThat(each.get("status").getAsString()).isEqualTo("loaded"));
        JsonObject plugin = plugins.get("state-file");
        assertThat(plugin.get("version").getAsString()).isEqualTo("1.0.0");
        assertThat(plugin.get("status").getAsString()).isEqualTo("loaded");
        assertThat(plugin.get("source").getAsString())
                .isEqualTo(installation
                        .prefix
                        .resolve("plugins/state-file-strategy-1.0.0.jar")
                        .toString());
    }

    @Test
    void metaDataOfEveryAgentIsValidAgainstTheDtd() {
        for (String agent : new String[] {
            "vpc-ha",
            "vpc-custom-route",
            "vpc-floating-ip",
            "vpc-load-balancer",
            "vpc-public-address-range",
            "vpc-secondary-ip",
            "vpc-state-file"
        }) {
            Command.Result metaData = Command.of(installation.agent(agent).toString(), "meta-data")
                    .cleanEnvironment()
                    // cold: never the accelerator this machine may run (the launcher's default socket)
                    .env("VPC_HA_ACCELERATOR", "")
                    .run();
            assertThat(metaData.exitCode()).as("%s", metaData).isZero();
            assertThat(metaData.stderr())
                    .as("meta-data writes nothing to stderr")
                    .isEmpty();

            Command.Result lint = Command.of("xmllint", "--noout", "--valid", "-")
                    .directory(DTD_DIRECTORY)
                    .input(metaData.stdout())
                    .run();
            assertThat(lint.exitCode())
                    .as("xmllint on %s meta-data: %s", agent, lint)
                    .isZero();
            assertThat(lint.stderr()).isEmpty();
        }
    }

    @Test
    void anInvalidDocumentFailsTheSameCheck() {
        // the check above must be able to fail: a parameter without content is invalid under the DTD
        Command.Result lint = Command.of("xmllint", "--noout", "--valid", "-")
                .directory(DTD_DIRECTORY)
                .input(
                        "<?xml version=\"1.0\"?>\n<!DOCTYPE resource-agent SYSTEM \"ra-api-1.dtd\">\n"
                                + "<resource-agent name=\"x\"><version>1.1</version><longdesc/><shortdesc/><parameters>"
                                + "<parameter name=\"p\"><longdesc/><shortdesc/></parameter></parameters><actions/></resource-agent>\n")
                .run();
        assertThat(lint.exitCode()).isNotZero();
    }

    @Test
    void metaDataWorksAsNobodyWithoutNetwork() {
        Command.Result result = Command.of(
                        "unshare",
                        "--net",
                        "su",
                        "nobody",
                        "-s",
                        "/bin/sh",
                        "-c",
                        installation.agent("vpc-ha") + " meta-data")
                .cleanEnvironment()
                .env("VPC_HA_ACCELERATOR", "")
                .run();

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).contains("<resource-agent name=\"vpc-ha\"").contains("name=\"message\"");
    }

    @Test
    void ocfTesterPassesOnTheGenericAgent() {
        Command.Result result = Command.of(
                        "ocf-tester",
                        "-n",
                        "it-generic",
                        "-o",
                        "strategy=state-file",
                        "-o",
                        "message=hello",
                        installation.agent("vpc-ha").toString())
                .cleanEnvironment()
                .env("VPC_HA_ACCELERATOR", "")
                .run();

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).contains("vpc-ha passed all tests");
    }

    @Test
    void ocfTesterPassesOnThePerStrategyAgent() {
        Command.Result result = Command.of(
                        "ocf-tester",
                        "-n",
                        "it-fixed",
                        "-o",
                        "message=hi",
                        installation.agent("vpc-state-file").toString())
                .cleanEnvironment()
                .env("VPC_HA_ACCELERATOR", "")
                .run();

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).contains("vpc-state-file passed all tests");
    }

    /**
     * The load-balancer strategy's default mode needs no cloud: ocf-tester runs its whole sequence on
     * the installed agent, and a listener started through Pacemaker's executor outlives the agent.
     */
    @Test
    void theLoadBalancerHealthListenerPassesOcfTesterAndOutlivesTheAgent() throws Exception {
        int port = freeLoopbackPort();
        Command.Result tester = Command.of(
                        "ocf-tester",
                        "-n",
                        "it-lb",
                        "-o",
                        "load_balancer=app-lb",
                        "-o",
                        "pool=app-pool",
                        "-o",
                        "health_port=" + port,
                        "-o",
                        "health_address=127.0.0.1",
                        installation.agent("vpc-load-balancer").toString())
                .cleanEnvironment()
                .env("VPC_HA_ACCELERATOR", "")
                .run();
        assertThat(tester.exitCode()).as("%s", tester).isZero();
        assertThat(tester.stdout()).contains("vpc-load-balancer passed all tests");

        Path cib = cibWith(healthCheckPrimitive("it-lb", port));
        Command.Result start = crmResource(cib, "--force-start", "it-lb");
        assertThat(start.exitCode()).as("%s", start).isZero();
        try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertThat(probe.isConnected())
                    .as("the listener outlived crm_resource and the agent")
                    .isTrue();
        }
        assertThat(crmResource(cib, "--force-check", "it-lb").exitCode()).isZero();
        assertThat(crmResource(cib, "--force-stop", "it-lb").exitCode()).isZero();
        assertThat(crmResource(cib, "--force-check", "it-lb").exitCode()).isEqualTo(7);
        assertThatConnectionRefused(port);
    }

    /**
     * A stop after a bad change (the pool parameter removed, health_port broken) still ends this node's
     * listener: it comes from the record start left, which needs none of them. Pacemaker may stop a
     * resource with its new parameters; a listener left behind would keep attracting traffic.
     */
    @Test
    void aStopAfterABadChangeStillEndsTheHealthListener() throws Exception {
        int port = freeLoopbackPort();
        String started = healthCheckPrimitive("it-lb-bad", port);
        Path cib = cibWith(started);
        Command.Result start = crmResource(cib, "--force-start", "it-lb-bad");
        assertThat(start.exitCode()).as("%s", start).isZero();
        try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertThat(probe.isConnected()).isTrue();
        }

        Path changed = cibWith("""
                <primitive id="it-lb-bad" class="ocf" provider="vpcha-it" type="vpc-load-balancer">
                  <instance_attributes id="it-lb-bad-ia">
                    <nvpair id="it-lb-bad-lb" name="load_balancer" value="app-lb"/>
                    <nvpair id="it-lb-bad-port" name="health_port" value="http"/>
                  </instance_attributes>
                </primitive>""");
        assertThat(crmResource(changed, "--force-start", "it-lb-bad").exitCode())
                .as("the changed configuration cannot start")
                .isEqualTo(6);
        Command.Result stop = crmResource(changed, "--force-stop", "it-lb-bad");
        assertThat(stop.exitCode()).as("%s", stop).isZero();
        assertThatConnectionRefused(port);
        assertThat(crmResource(cibWith(started), "--force-check", "it-lb-bad").exitCode())
                .as("stopped with the configuration it started with too")
                .isEqualTo(7);
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }

    /** A load-balancer resource in health-check mode, its listener on 127.0.0.1:{@code port}. */
    private static String healthCheckPrimitive(String id, int port) {
        return """
                <primitive id="%1$s" class="ocf" provider="vpcha-it" type="vpc-load-balancer">
                  <instance_attributes id="%1$s-ia">
                    <nvpair id="%1$s-lb" name="load_balancer" value="app-lb"/>
                    <nvpair id="%1$s-pool" name="pool" value="app-pool"/>
                    <nvpair id="%1$s-port" name="health_port" value="%2$d"/>
                    <nvpair id="%1$s-address" name="health_address" value="127.0.0.1"/>
                  </instance_attributes>
                </primitive>""".formatted(id, port);
    }

    private static void assertThatConnectionRefused(int port) {
        try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
            throw new AssertionError("something still listens on port " + port + " after stop: " + probe);
        } catch (IOException expected) {
            // refused: the listener is gone
        }
    }

    @Test
    void pacemakersExecutorRunsTheAgentFromACibFile() throws Exception {
        Path cib = cibWith("""
                <primitive id="it-crm" class="ocf" provider="vpcha-it" type="vpc-ha">
                  <instance_attributes id="it-crm-ia">
                    <nvpair id="it-crm-strategy" name="strategy" value="state-file"/>
                    <nvpair id="it-crm-message" name="message" value="from crm_resource"/>
                  </instance_attributes>
                </primitive>""");

        assertThat(crmResource(cib, "--validate", "it-crm").exitCode()).isZero();
        assertThat(crmResource(cib, "--force-check", "it-crm").exitCode())
                .as("not running before start")
                .isEqualTo(7);
        Command.Result start = crmResource(cib, "--force-start", "it-crm");
        assertThat(start.exitCode()).as("%s", start).isZero();
        assertThat(crmResource(cib, "--force-check", "it-crm").exitCode()).isZero();
        assertThat(Files.readString(Path.of("/run/resource-agents/vpc-ha/it-crm/state")))
                .isEqualTo("from crm_resource\n");
        assertThat(crmResource(cib, "--force-stop", "it-crm").exitCode()).isZero();
        assertThat(crmResource(cib, "--force-check", "it-crm").exitCode()).isEqualTo(7);
    }

    @Test
    void pacemakerShowsTheExitReasonOfABadConfiguration() throws Exception {
        Path cib = cibWith("""
                <primitive id="it-bad" class="ocf" provider="vpcha-it" type="vpc-ha">
                  <instance_attributes id="it-bad-ia">
                    <nvpair id="it-bad-strategy" name="strategy" value="custom-rout"/>
                  </instance_attributes>
                </primitive>""");

        Command.Result start = crmResource(cib, "--force-start", "it-bad");

        assertThat(start.exitCode()).as("%s", start).isNotZero();
        assertThat(start.output()).contains("no strategy custom-rout installed");
    }

    @Test
    void withoutJavaTheAgentSaysSoAndStopStillSucceeds() {
        Command.Result monitor = Command.of(installation.agent("vpc-ha").toString(), "monitor")
                .cleanEnvironment()
                .env("VPC_HA_ACCELERATOR", "")
                .env("VPC_HA_JAVA", "/nonexistent/java")
                .env("OCF_RESKEY_strategy", "state-file")
                .run();
        assertThat(monitor.exitCode()).isEqualTo(5);
        assertThat(monitor.stderr()).contains("ocf-exit-reason:no Java runtime found");

        Command.Result stop = Command.of(installation.agent("vpc-ha").toString(), "stop")
                .cleanEnvironment()
                .env("VPC_HA_ACCELERATOR", "")
                .env("VPC_HA_JAVA", "/nonexistent/java")
                .run();
        assertThat(stop.exitCode()).isZero();
    }

    @Test
    void anApiKeyGivenToTheAgentNeverReachesItsOutput() {
        String key = "sim-test-apikey-ha-0000000000000001";
        Command.Result start = Command.of(installation.agent("vpc-ha").toString(), "start")
                .cleanEnvironment()
                .env("VPC_HA_ACCELERATOR", "")
                .env("OCF_RESOURCE_INSTANCE", "it-secret")
                .env("HA_debug", "1")
                .env("OCF_RESKEY_strategy", "state-file")
                .env("OCF_RESKEY_api_key", key)
                .env("OCF_RESKEY_message", "uses " + key)
                .run();
        Command.Result stop = Command.of(installation.agent("vpc-ha").toString(), "stop")
                .cleanEnvironment()
                .env("VPC_HA_ACCELERATOR", "")
                .env("OCF_RESOURCE_INSTANCE", "it-secret")
                .env("OCF_RESKEY_strategy", "state-file")
                .env("OCF_RESKEY_api_key", key)
                .run();

        // into the test report, which SecretScanIT scans with every other report
        System.out.println(start);
        System.out.println(stop);
        assertThat(start.exitCode()).as("%s", start).isZero();
        assertThat(neverShown(start.stderr(), key))
                .contains("DEBUG: start with strategy state-file")
                .contains("message=uses ***");
        assertThat(stop.exitCode()).isZero();
    }

    @Test
    void theDemoTellsEveryStoryThroughTheInstalledAgent() {
        Command.Result demo = Command.of(installation.launcher().toString(), "demo")
                .timeout(Duration.ofMinutes(3))
                .run();

        System.out.println(demo);
        assertThat(demo.exitCode()).as("%s", demo).isZero();
        assertThat(demo.stdout())
                .contains("strategy custom-route")
                .contains("strategy floating-ip")
                .contains("strategy load-balancer")
                .contains("strategy public-address-range")
                .contains("strategy secondary-ip")
                .doesNotContain("UNEXPECTED");
        assertThat(demo.stdout()
                        .lines()
                        .filter(line -> line.strip().startsWith("ok:"))
                        .count())
                .as("an ok line for each of the five stories")
                .isEqualTo(5);
        assertThat(demo.stdout()).containsPattern("start +node-b +0 ok .* node-b / node-b / node-b / node-b");
    }

    private Path cibWith(String primitive) throws Exception {
        Path cib = work.resolve("cib.xml");
        Command.Result empty = Command.of("cibadmin", "--empty").run();
        assertThat(empty.exitCode()).as("%s", empty).isZero();
        Files.writeString(cib, empty.stdout());
        Command.Result create = Command.of("cibadmin", "--create", "-o", "resources", "--xml-text", primitive)
                .env("CIB_file", cib.toString())
                .run();
        assertThat(create.exitCode()).as("%s", create).isZero();
        return cib;
    }

    private static Command.Result crmResource(Path cib, String action, String resource) {
        return Command.of(installation.atPacemakersPath("crm_resource", action, "-r", resource))
                .env("CIB_file", cib.toString())
                // the agent crm_resource runs: cold, never this machine's accelerator
                .env("VPC_HA_ACCELERATOR", "")
                .run();
    }
}
