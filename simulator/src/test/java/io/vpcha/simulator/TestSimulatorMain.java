package io.vpcha.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.simulator.oracle.TrafficSource;
import io.vpcha.simulator.scenario.Scenario;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestSimulatorMain {
    @TempDir
    Path directory;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SimulatorMain.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsTheUrlsForABuiltInScenario() {
        Run run = run("--scenario", "three-zone", "--listen", "127.0.0.1:0");

        assertThat(run.code()).isEqualTo(SimulatorMain.EXIT_OK);
        assertThat(run.out())
                .containsPattern("VPC_URL=http://127\\.0\\.0\\.1:\\d+/v1")
                .containsPattern("IAM_URL=http://127\\.0\\.0\\.1:\\d+\\n")
                .contains("ADMIN_URL=", "METADATA_URL=", "METADATA_URL_NODE_A=", "METADATA_URL_NODE_B=");
    }

    @Test
    void acceptsAScenarioFileAndHttps() throws Exception {
        Path scenario = directory.resolve("mine.json");
        Files.writeString(scenario, "{\"zones\":[\"us-south-1\"],\"api_keys\":[{\"name\":\"k\",\"key\":\"v\"}]}");
        Path ca = directory.resolve("ca.pem");

        Run run = run("--scenario", scenario.toString(), "--listen", "127.0.0.1:0", "--ca-out", ca.toString());

        assertThat(run.code()).isEqualTo(SimulatorMain.EXIT_OK);
        assertThat(run.out()).contains("VPC_URL=https://", "CA_CERT=" + ca.toAbsolutePath());
        assertThat(ca).exists();
    }

    @Test
    void badArgumentsAndBadScenarios() {
        assertThat(run("--listen", "nonsense").code()).isEqualTo(SimulatorMain.EXIT_USAGE);
        assertThat(run("--frobnicate").code()).isEqualTo(SimulatorMain.EXIT_USAGE);
        Run missing = run("--scenario", "no-such-scenario");
        assertThat(missing.code()).isEqualTo(SimulatorMain.EXIT_ERROR);
        assertThat(missing.err()).contains("no-such-scenario");
        assertThat(run("--help").out()).contains("--scenario", "--listen", "--metadata-listen");
    }

    @Test
    void exampleScenarioWalkthroughTokenRoutesPatchOracle() {
        try (VpcSimulator simulator = VpcSimulator.start(Scenario.threeZone())) {
            System.out.println("three-zone scenario: started in " + simulator.startupMillis() + " ms (HTTP)");
            SimClient client = new SimClient(simulator).login("sim-test-apikey-ha-0000000000000001");
            String routes = client.routesPath("vip-egress");
            String zone2 =
                    client.routeByName("vip-egress", "vip-us-south-2").get("id").getAsString();
            assertThat(simulator
                            .oracle()
                            .deliver("10.0.0.100", TrafficSource.fromZone("us-south-2"))
                            .instanceName())
                    .hasValue("node-a");

            SimClient.Reply patched =
                    client.patch(routes + "/" + zone2, "{\"next_hop\":{\"address\":\"10.240.64.4\"}}");

            assertThat(patched.status()).isEqualTo(200);
            SimClient.Reply oracle = client.admin("GET", "/sim/oracle?address=10.0.0.100&zone=us-south-2", null);
            assertThat(oracle.json().getAsJsonObject("instance").get("name").getAsString())
                    .isEqualTo("node-b");
            assertThat(simulator
                            .oracle()
                            .deliver(
                                    "10.0.0.100",
                                    TrafficSource.ingress(TrafficSource.Ingress.TRANSIT_GATEWAY, "us-south-1"))
                            .instanceName())
                    .hasValue("node-a");
            assertThat(simulator
                            .oracle()
                            .deliver(
                                    "169.59.10.20", TrafficSource.ingress(TrafficSource.Ingress.INTERNET, "us-south-1"))
                            .instanceName())
                    .hasValue("node-a");
            SimClient readonly = new SimClient(simulator).login("sim-test-apikey-readonly-000000002");
            assertThat(readonly.patch(routes + "/" + zone2, "{\"priority\":1}").status())
                    .isEqualTo(403);
        }
    }

    @Test
    void exampleScenarioIsShippedUnderSimulatorScenarios() {
        Path shipped = Path.of("scenarios", "three-zone.json");

        assertThat(shipped).exists();
        assertThat(Scenario.load(shipped).json()).isEqualTo(Scenario.threeZone().json());
    }

    @Test
    void tlsNamesGoIntoTheServerCertificate() throws Exception {
        Run bad = run("--https", "--tls-name", "no names/with slashes", "--listen", "127.0.0.1:0");
        Run good = run(
                "--tls-name",
                "us-south.iaas.cloud.ibm.com",
                "--tls-name",
                "iam.cloud.ibm.com",
                "--ca-out",
                directory.resolve("ca.pem").toString(),
                "--listen",
                "127.0.0.1:0");

        assertThat(bad.code()).isEqualTo(SimulatorMain.EXIT_USAGE);
        assertThat(bad.err()).contains("--tls-name");
        assertThat(good.code()).isEqualTo(SimulatorMain.EXIT_OK);
        assertThat(good.out()).contains("VPC_URL=https://127.0.0.1:");
        try (VpcSimulator simulator = SimulatorOptions.builder()
                        .https(true)
                        .caCertificateFile(directory.resolve("ca2.pem"))
                        .tlsName("us-south.iaas.cloud.ibm.com")
                        .tlsName("iam.cloud.ibm.com")
                        .start();
                SSLSocket socket = (SSLSocket) TestHttps.trusting(directory.resolve("ca2.pem"))
                        .getSocketFactory()
                        .createSocket("127.0.0.1", simulator.vpcUrl().getPort())) {
            socket.startHandshake();
            X509Certificate certificate = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            List<String> names = new ArrayList<>();
            certificate.getSubjectAlternativeNames().forEach(name -> names.add(String.valueOf(name.get(1))));

            assertThat(names).contains("us-south.iaas.cloud.ibm.com", "iam.cloud.ibm.com", "localhost", "127.0.0.1");
        }
    }
}
