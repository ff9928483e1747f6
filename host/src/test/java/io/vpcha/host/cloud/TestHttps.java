package io.vpcha.host.cloud;

import static io.vpcha.host.cloud.CloudFixture.HA_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.scenario.Scenario;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestHttps {
    @TempDir
    Path work;

    @Test
    void theSimulatorsCaIsTrustedOnlyWhenConfigured() throws Exception {
        try (VpcSimulator simulator = VpcSimulator.builder()
                        .scenario(Scenario.threeZone())
                        .perInstanceMetadata(true)
                        .https(true)
                        .caCertificateFile(work.resolve("ca.pem"))
                        .start();
                CloudFixture fixture = new CloudFixture(simulator, Files.createDirectory(work.resolve("tokens")))) {
            assertThat(simulator.vpcUrl().getScheme()).isEqualTo("https");

            assertThat(fixture.access(fixture.parameters(
                                    "node-a",
                                    "api_key",
                                    HA_KEY,
                                    "ca_file",
                                    simulator.caCertificate().toString()))
                            .vpc()
                            .listFloatingIps())
                    .isNotEmpty();

            assertThatThrownBy(() -> fixture.access(fixture.parameters("node-a", "api_key", HA_KEY))
                            .vpc()
                            .listFloatingIps())
                    .isInstanceOf(CloudException.class)
                    .hasMessageContaining("SSL");

            Path notPem = Files.writeString(work.resolve("bad.pem"), "not a certificate");
            assertThatThrownBy(() -> fixture.access(
                                    fixture.parameters("node-a", "api_key", HA_KEY, "ca_file", notPem.toString()))
                            .vpc()
                            .listFloatingIps())
                    .isInstanceOfSatisfying(
                            CloudException.class,
                            e -> assertThat(e.cloudErrorKind()).isEqualTo(CloudErrorKind.CONFIGURATION))
                    .hasMessageContaining("cannot use ca_file " + notPem);
        }
    }
}
