package io.vpcha.host.cloud;

import static io.vpcha.host.cloud.CloudFixture.HA_KEY;
import static io.vpcha.host.cloud.CloudFixture.READONLY_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcha.host.cloud.http.CallObserver;
import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.scenario.Scenario;
import io.vpcha.simulator.wire.TcpProxy;
import io.vpcha.simulator.wire.WireCounts;
import io.vpcha.spi.ParameterValues;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.RoutePatch;
import io.vpcha.spi.cloud.RoutingTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cloud access of actions run one after the other in one long-lived JVM (the resident
 * accelerator), against the simulator over TLS, reached through proxies that count each endpoint's
 * connections: one connection per endpoint for all of them, one IAM token per credential, and nothing
 * of one credential's served to another.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TestResidentCloud {
    @TempDir
    Path work;

    private VpcSimulator simulator;
    private TcpProxy vpcProxy;
    private TcpProxy iamProxy;
    private CloudFixture fixture;
    private final ResidentCloud resident = new ResidentCloud();

    @BeforeEach
    void start() throws Exception {
        simulator = VpcSimulator.builder()
                .scenario(Scenario.threeZone())
                .perInstanceMetadata(true)
                .https(true)
                .caCertificateFile(work.resolve("ca.pem"))
                .start();
        vpcProxy = TcpProxy.start(simulator.vpcUrl(), Duration.ZERO);
        iamProxy = TcpProxy.start(simulator.iamUrl(), Duration.ZERO);
        fixture = new CloudFixture(simulator, Files.createDirectory(work.resolve("tokens")));
    }

    @AfterEach
    void stop() {
        resident.close();
        vpcProxy.close();
        iamProxy.close();
        simulator.close();
    }

    @Test
    void warmActionsShareOneConnectionPerEndpointAndOneToken() throws Exception {
        Map<String, String> parameters = parameters(HA_KEY);
        for (int action = 0; action < 5; action++) {
            try (HostCloudAccess cloud = action(parameters)) {
                String vpcId = cloud.metadata().instance().vpcId();
                cloud.vpc().listRoutingTables(vpcId);
                cloud.vpc().listFloatingIps();
            }
        }

        assertThat(vpcProxy.counts().connections())
                .as("VPC API connections for 5 actions")
                .isEqualTo(1);
        assertThat(iamProxy.counts().connections()).as("IAM connections").isEqualTo(1);
        assertThat(fixture.iamRequests()).as("one token for all of them").isEqualTo(1);
        try (Stream<Path> files = Files.list(fixture.tokenCache)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .as("the token is in the node's cache too, for the cold path")
                    .anyMatch(name -> name.startsWith("token-") && !name.endsWith(".lock"));
        }
    }

    @Test
    void aConnectionCutWhileKeptIsReplacedAndTheActionSucceeds() throws Exception {
        Map<String, String> parameters = parameters(HA_KEY);
        String vpcId;
        try (HostCloudAccess cloud = action(parameters)) {
            vpcId = cloud.metadata().instance().vpcId();
            cloud.vpc().listRoutingTables(vpcId);
        }
        WireCounts before = vpcProxy.counts();
        long requestsBefore = simulator.journal().entries().size();

        vpcProxy.cutConnections();

        try (HostCloudAccess cloud = action(parameters)) {
            assertThat(cloud.vpc().listRoutingTables(vpcId)).isNotEmpty();
        }
        assertThat(vpcProxy.counts().minus(before).connections())
                .as("one new connection")
                .isEqualTo(1);
        assertThat(simulator.journal().entries().size() - requestsBefore)
                .as("the request reached the API once")
                .isEqualTo(1);
        try (HostCloudAccess cloud = action(parameters)) {
            cloud.vpc().listRoutingTables(vpcId);
        }
        assertThat(vpcProxy.counts().minus(before).connections())
                .as("the new one kept")
                .isEqualTo(1);
    }

    @Test
    void twoCredentialsNeverShareATokenInOneJvm() throws Exception {
        Map<String, String> ha = parameters(HA_KEY);
        Map<String, String> readOnly = parameters(READONLY_KEY);
        String vpcId;
        RoutingTable egress;
        try (HostCloudAccess cloud = action(ha)) {
            vpcId = cloud.metadata().instance().vpcId();
            egress = cloud.vpc().listRoutingTables(vpcId).stream()
                    .filter(table -> table.name().equals("vip-egress"))
                    .findFirst()
                    .orElseThrow();
        }
        String routeId;
        try (HostCloudAccess cloud = action(readOnly)) {
            routeId = cloud.vpc().listRoutes(vpcId, egress.id()).get(0).id();
            // the read-only key's own token: the HA key's, held in this JVM, would be allowed to write
            assertThatThrownBy(() ->
                            cloud.vpc().updateRoute(vpcId, egress.id(), routeId, RoutePatch.nextHop("10.240.0.4")))
                    .isInstanceOfSatisfying(
                            CloudException.class, e -> assertThat(e.status()).isEqualTo(403));
        }
        try (HostCloudAccess cloud = action(ha)) {
            assertThat(cloud.vpc()
                            .updateRoute(vpcId, egress.id(), routeId, RoutePatch.nextHop("10.240.64.4"))
                            .nextHopAddress())
                    .hasValue("10.240.64.4");
        }
        assertThat(fixture.iamRequests()).as("one token per key").isEqualTo(2);
    }

    /** One action's cloud access in the resident JVM, with a deadline of its own. */
    private HostCloudAccess action(Map<String, String> parameters) throws Exception {
        CloudSettings settings = CloudSettings.from(ParameterValues.of(CommonParameters.all(), parameters));
        Instant deadline = Instant.now().plusSeconds(20);
        return new HostCloudAccess(
                settings,
                () -> deadline,
                fixture.log,
                fixture.secrets::add,
                WriteGate.OPEN,
                CallObserver.NONE,
                Optional.of(resident));
    }

    private Map<String, String> parameters(String apiKey) {
        Map<String, String> parameters = new HashMap<>(fixture.parameters(
                "node-a",
                "api_key",
                apiKey,
                "ca_file",
                simulator.caCertificate().toString()));
        parameters.put(CloudParameters.VPC_URL, vpcProxy.url(simulator.vpcUrl()).toString());
        parameters.put(CloudParameters.IAM_URL, iamProxy.url(simulator.iamUrl()).toString());
        return parameters;
    }
}
