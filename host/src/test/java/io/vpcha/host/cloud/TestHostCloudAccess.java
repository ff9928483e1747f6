package io.vpcha.host.cloud;

import static io.vpcha.host.cloud.CloudFixture.HA_KEY;
import static io.vpcha.host.cloud.CloudFixture.READONLY_KEY;
import static io.vpcha.host.testing.Secrets.neverShown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vpcha.host.cloud.auth.TokenCacheNames;
import io.vpcha.host.cloud.http.HttpCall;
import io.vpcha.host.cloud.http.HttpTransport;
import io.vpcha.host.cloud.http.SocketTransport;
import io.vpcha.host.cloud.vpc.VpcCall;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.fault.FaultRule;
import io.vpcha.simulator.scenario.Scenario;
import io.vpcha.spi.cloud.ApiRequest;
import io.vpcha.spi.cloud.ApiResponse;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.FloatingIp;
import io.vpcha.spi.cloud.Instance;
import io.vpcha.spi.cloud.Route;
import io.vpcha.spi.cloud.RoutePatch;
import io.vpcha.spi.cloud.RoutePrototype;
import io.vpcha.spi.cloud.RoutingTable;
import io.vpcha.spi.cloud.VpcApi;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestHostCloudAccess {
    private static VpcSimulator simulator;

    @TempDir
    Path work;

    private CloudFixture fixture;

    @BeforeAll
    static void startSimulator() {
        simulator = VpcSimulator.builder()
                .scenario(Scenario.threeZone())
                .perInstanceMetadata(true)
                .start();
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    @BeforeEach
    void resetSimulator() throws Exception {
        simulator.reset();
        fixture = new CloudFixture(simulator, Files.createDirectory(work.resolve("tokens")));
    }

    @AfterEach
    void closeConnections() {
        fixture.close();
    }

    @Test
    void anApiKeyListsTablesAndRoutesAndMovesANextHop() throws Exception {
        HostCloudAccess cloud = fixture.access(fixture.parameters("node-a", "api_key", HA_KEY));
        VpcApi vpc = cloud.vpc();
        String vpcId = cloud.metadata().instance().vpcId();

        List<RoutingTable> tables = vpc.listRoutingTables(vpcId);
        RoutingTable egress = tables.stream()
                .filter(t -> t.name().equals("vip-egress"))
                .findFirst()
                .orElseThrow();
        RoutingTable ingress = tables.stream()
                .filter(t -> t.name().equals("vip-ingress"))
                .findFirst()
                .orElseThrow();
        assertThat(egress.isIngress()).isFalse();
        assertThat(ingress.isIngress()).isTrue();
        List<Route> routes = vpc.listRoutes(vpcId, egress.id());
        assertThat(routes).extracting(Route::zone).containsExactlyInAnyOrder("us-south-1", "us-south-2", "us-south-3");
        assertThat(routes).allSatisfy(route -> {
            assertThat(route.destination()).isEqualTo("10.0.0.100/32");
            assertThat(route.nextHopAddress()).hasValue("10.240.0.4");
            assertThat(route.isUserRoute()).isTrue();
        });

        Route moved = vpc.updateRoute(vpcId, egress.id(), routes.get(0).id(), RoutePatch.nextHop("10.240.64.4"));

        assertThat(moved.nextHopAddress()).hasValue("10.240.64.4");
        assertThat(vpc.getRoute(vpcId, egress.id(), moved.id()).nextHopAddress())
                .hasValue("10.240.64.4");
        assertThat(fixture.iamRequests()).as("one token for the whole action").isEqualTo(1);
    }

    @Test
    void aRawRequestAnswersWithAJsonTreeOfJdkTypesAndTheHeaders() throws Exception {
        HostCloudAccess cloud = fixture.access(fixture.parameters("node-a", "api_key", HA_KEY));
        String vpcId = cloud.metadata().instance().vpcId();

        ApiResponse response = cloud.send(ApiRequest.builder("GET", "/vpcs/" + vpcId + "/routing_tables")
                .query("limit", "1")
                .build());

        assertThat(response.isSuccess()).isTrue();
        Map<String, Object> body = response.jsonObject();
        assertThat(body.get("limit")).isEqualTo(1L);
        assertThat(body.get("routing_tables")).isInstanceOf(List.class);
        Map<?, ?> table = (Map<?, ?>) ((List<?>) body.get("routing_tables")).get(0);
        assertThat(table.get("id")).isInstanceOf(String.class);
        assertThat(table.get("route_internet_ingress")).isInstanceOf(Boolean.class);
        assertThat(response.header("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));

        ApiResponse missing = cloud.send(ApiRequest.get("/vpcs/" + vpcId + "/routing_tables/r006-none"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.jsonObject().get("errors")).isInstanceOf(List.class);
    }

    @Test
    void theTokenCacheSparesIamForLaterActions() throws Exception {
        Map<String, String> parameters = fixture.parameters("node-a", "api_key", HA_KEY);
        String vpcId = fixture.access(parameters).metadata().instance().vpcId();
        fixture.access(parameters).vpc().listRoutingTables(vpcId);
        fixture.access(parameters).vpc().listRoutingTables(vpcId);
        fixture.access(parameters).vpc().listFloatingIps();

        assertThat(fixture.iamRequests()).isEqualTo(1);
        Path cacheFile;
        try (var files = Files.list(fixture.tokenCache)) {
            cacheFile = files.filter(f -> f.getFileName().toString().startsWith("token-")
                            && !f.toString().endsWith(".lock"))
                    .filter(f -> {
                        try {
                            return Files.readString(f).contains("expiration");
                        } catch (Exception e) {
                            return false;
                        }
                    })
                    .findFirst()
                    .orElseThrow();
        }
        assertThat(Files.getPosixFilePermissions(fixture.tokenCache))
                .as("a directory vpc-ha did not make is never chmod'ed")
                .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(Files.getPosixFilePermissions(cacheFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        neverShown(Files.readString(cacheFile), HA_KEY);
    }

    @Test
    void anOldTokenIsRefreshedAndARejectedOneReplaced() throws Exception {
        Map<String, String> parameters = fixture.parameters("node-a", "api_key", HA_KEY);
        String vpcId = fixture.access(parameters).metadata().instance().vpcId();
        fixture.access(parameters).vpc().listRoutingTables(vpcId);
        Path cacheFile = apiKeyCacheFile();

        // past 80 % of its life: refreshed before use
        rewriteCache(
                cacheFile, null, Instant.now().minusSeconds(3500), Instant.now().plusSeconds(100));
        fixture.access(parameters).vpc().listRoutingTables(vpcId);
        assertThat(fixture.iamRequests()).isEqualTo(2);

        // a token the API does not know (revoked): 401, one fresh token, the call succeeds
        rewriteCache(
                cacheFile, "revoked-token-value", Instant.now(), Instant.now().plusSeconds(3600));
        assertThat(fixture.access(parameters).vpc().listRoutingTables(vpcId)).isNotEmpty();
        assertThat(fixture.iamRequests()).isEqualTo(3);
    }

    @Test
    void aFailedRefreshFallsBackToTheStillValidCachedToken() throws Exception {
        Map<String, String> parameters = fixture.parameters("node-a", "api_key", HA_KEY);
        String vpcId = fixture.access(parameters).metadata().instance().vpcId();
        fixture.access(parameters).vpc().listRoutingTables(vpcId);
        rewriteCache(
                apiKeyCacheFile(),
                null,
                Instant.now().minusSeconds(3500),
                Instant.now().plusSeconds(100));
        simulator.faults().add(FaultRule.iamOutage());

        assertThat(fixture.access(parameters, Duration.ofSeconds(5)).vpc().listRoutingTables(vpcId))
                .isNotEmpty();
        assertThat(fixture.log.text()).contains("token refresh failed, using the cached token");
    }

    @Test
    void trustedProfilesByDefaultLinkIdAndCrn() throws Exception {
        var profile = simulator
                .state()
                .read(state -> state.principals.values().stream()
                        .filter(p -> p.name.equals("ha-profile"))
                        .findFirst()
                        .orElseThrow());
        for (Map<String, String> parameters : List.of(
                fixture.parameters("node-a"),
                fixture.parameters("node-b", "trusted_profile_id", profile.id),
                fixture.parameters("node-a", "trusted_profile_crn", profile.crn))) {
            HostCloudAccess cloud = fixture.access(parameters);
            assertThat(cloud.vpc().listFloatingIps())
                    .extracting(FloatingIp::name)
                    .contains("vip-fip");
        }
        assertThat(simulator.journal().find(e -> e.service().equals("vpc")))
                .allSatisfy(e -> assertThat(e.credentialKind()).contains("trusted_profile"));
    }

    @Test
    void bothMetadataApiVersionsDescribeTheInstance() throws Exception {
        for (String version : List.of("2022-03-01", "2025-08-26", "auto")) {
            Instance nodeA = fixture.access(fixture.parameters("node-a", "metadata_api_version", version))
                    .metadata()
                    .instance();
            assertThat(nodeA.name()).isEqualTo("node-a");
            assertThat(nodeA.zone()).isEqualTo("us-south-1");
            assertThat(nodeA.usesNetworkAttachments()).isFalse();
            assertThat(nodeA.primaryAddress()).hasValue("10.240.0.4");

            HostCloudAccess nodeB = fixture.access(fixture.parameters(
                    "node-b",
                    "metadata_api_version",
                    version,
                    "token_cache_dir",
                    work.resolve("b-" + version).toString()));
            assertThat(nodeB.metadata().instance().usesNetworkAttachments()).isTrue();
            assertThat(nodeB.metadata().instance().primaryAddress()).hasValue("10.240.64.4");
            assertThat(nodeB.metadata().virtualNetworkInterfaces())
                    .singleElement()
                    .satisfies(vni -> assertThat(vni.allowIpSpoofing()).isTrue());
        }
    }

    @Test
    void aCachedIdentityTokenTheServiceNoLongerKnowsIsReplaced() throws Exception {
        Map<String, String> parameters = fixture.parameters("node-a");
        assertThat(fixture.access(parameters).metadata().instance().name()).isEqualTo("node-a");
        simulator.reset(); // the metadata service forgets every token it issued; the node's cache does not

        assertThat(fixture.access(parameters).metadata().instance().name()).isEqualTo("node-a");
        assertThat(fixture.access(parameters).vpc().listFloatingIps()).isNotEmpty();
    }

    @Test
    void theRegionComesFromTheInstanceWhenNotConfigured() throws Exception {
        URI usSouth = URI.create("https://us-south.private.iaas.cloud.ibm.com/v1");
        List<URI> asked = new CopyOnWriteArrayList<>();
        try (SocketTransport real = new SocketTransport(Optional.empty())) {
            HttpTransport network = regionalEndpoints(real, Map.of(usSouth, simulator.vpcUrl()), asked);
            // neither vpc_url nor region: the instance's zone (us-south-1) names the region
            Map<String, String> parameters =
                    fixture.parameters("node-a", "api_key", HA_KEY, CloudParameters.VPC_URL, null);

            assertThat(fixture.access(parameters, network).vpc().listFloatingIps())
                    .extracting(FloatingIp::name)
                    .contains("vip-fip");

            assertThat(simulator
                            .journal()
                            .find(entry -> entry.service().equals("metadata")
                                    && entry.path().equals("/metadata/v1/instance")))
                    .as("the metadata service was asked where this instance is")
                    .singleElement()
                    .satisfies(entry -> assertThat(entry.callerInstanceName()).isEqualTo("node-a"));
            assertThat(asked).anySatisfy(uri -> assertThat(uri.toString()).startsWith(usSouth + "/floating_ips?"));

            // a configured region wins, and the metadata service is not asked
            simulator.journal().clear();
            asked.clear();
            Map<String, String> inFrankfurt = fixture.parameters(
                    "node-a", "api_key", HA_KEY, CloudParameters.VPC_URL, null, CloudParameters.REGION, "eu-de");
            assertThatThrownBy(() -> fixture.access(inFrankfurt, network).vpc().listFloatingIps())
                    .isInstanceOf(CloudException.class)
                    .hasMessageContaining("eu-de.private.iaas.cloud.ibm.com");
            assertThat(asked)
                    .extracting(URI::getHost)
                    .contains("eu-de.private.iaas.cloud.ibm.com")
                    .doesNotContain("us-south.private.iaas.cloud.ibm.com");
            assertThat(simulator.journal().find(entry -> entry.service().equals("metadata")))
                    .isEmpty();
        }
    }

    /**
     * The real transport, with the given regional endpoints leading to the simulator (as DNS would lead to
     * IBM Cloud); every other name is unknown. Records every URL asked for. Closing it leaves {@code real}
     * open: its owner closes it.
     */
    private static HttpTransport regionalEndpoints(SocketTransport real, Map<URI, URI> endpoints, List<URI> asked) {
        return (call, timeout) -> {
            asked.add(call.uri());
            String url = call.uri().toString();
            if (call.uri().getHost().equals("127.0.0.1")) {
                return real.execute(call, timeout); // the metadata service and IAM, as configured
            }
            for (Map.Entry<URI, URI> endpoint : endpoints.entrySet()) {
                if (url.startsWith(endpoint.getKey() + "/")) {
                    URI reached = URI.create(endpoint.getValue()
                            + url.substring(endpoint.getKey().toString().length()));
                    return real.execute(new HttpCall(call.method(), reached, call.headers(), call.body()), timeout);
                }
            }
            throw new UnknownHostException(call.uri().getHost());
        };
    }

    @Test
    void keyFilesMustBeRootOnlyAndMayBeJson() throws Exception {
        Path raw = Files.writeString(work.resolve("raw.key"), HA_KEY + "\n");
        Path json = Files.writeString(work.resolve("apikey.json"), "{\"name\":\"x\",\"apikey\":\"" + HA_KEY + "\"}");
        Files.setPosixFilePermissions(raw, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(json, PosixFilePermissions.fromString("r--------"));
        assertThat(fixture.access(fixture.parameters("node-a", "api_key_file", raw.toString()))
                        .vpc()
                        .listFloatingIps())
                .isNotEmpty();
        assertThat(fixture.access(fixture.parameters("node-a", "api_key", "@" + json))
                        .vpc()
                        .listFloatingIps())
                .isNotEmpty();

        Files.setPosixFilePermissions(raw, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> fixture.access(fixture.parameters("node-a", "api_key_file", raw.toString()))
                        .vpc()
                        .listFloatingIps())
                .isInstanceOfSatisfying(
                        CloudException.class,
                        e -> assertThat(e.cloudErrorKind()).isEqualTo(CloudErrorKind.CONFIGURATION))
                .hasMessageContaining(
                        "api key file refused: chmod 600 " + raw + " (group or others can read or write it)");
    }

    @Test
    void aBadKeyOrAMissingPermissionIsAPermissionErrorWithoutTheKey() throws Exception {
        String wrongKey = "sim-test-apikey-wrong-0000000000009";
        assertThatThrownBy(() -> fixture.access(fixture.parameters("node-a", "api_key", wrongKey))
                        .vpc()
                        .listFloatingIps())
                .isInstanceOfSatisfying(CloudException.class, e -> {
                    neverShown(e.getMessage(), wrongKey);
                    assertThat(e.cloudErrorKind()).isEqualTo(CloudErrorKind.PERMISSION);
                    assertThat(e.code()).hasValue("BXNIM0415E");
                });

        HostCloudAccess readOnly = fixture.access(fixture.parameters("node-a", "api_key", READONLY_KEY));
        String vpcId = readOnly.metadata().instance().vpcId();
        RoutingTable table = readOnly.vpc().listRoutingTables(vpcId).stream()
                .filter(t -> t.name().equals("vip-egress"))
                .findFirst()
                .orElseThrow();
        Route route = readOnly.vpc().listRoutes(vpcId, table.id()).get(0);
        assertThatThrownBy(() ->
                        readOnly.vpc().updateRoute(vpcId, table.id(), route.id(), RoutePatch.nextHop("10.240.0.4")))
                .isInstanceOfSatisfying(CloudException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.cloudErrorKind()).isEqualTo(CloudErrorKind.PERMISSION);
                    assertThat(e.trace()).isPresent();
                });
    }

    @Test
    void rateLimitsAndServerErrorsAreRetriedHonouringRetryAfter() throws Exception {
        HostCloudAccess cloud = fixture.access(fixture.parameters("node-a", "api_key", HA_KEY));
        cloud.vpc().listFloatingIps();
        simulator
                .faults()
                .add(FaultRule.status(429)
                        .retryAfterSeconds(1)
                        .service("vpc")
                        .path("/v1/floating_ips")
                        .count(1));
        simulator
                .faults()
                .add(FaultRule.status(503)
                        .service("vpc")
                        .path("/v1/floating_ips")
                        .count(1));
        long before = fixture.vpcRequests("GET", "/floating_ips");
        Instant start = Instant.now();

        assertThat(cloud.vpc().listFloatingIps()).isNotEmpty();

        assertThat(fixture.vpcRequests("GET", "/floating_ips") - before).isEqualTo(3);
        assertThat(Duration.between(start, Instant.now()))
                .as("waited the Retry-After second")
                .isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(fixture.log.text()).contains("HTTP 429; retrying in 1000 ms");
    }

    @Test
    void notImplementedIsNotRetriedAndPersistentErrorsStopAtMaxAttempts() throws Exception {
        HostCloudAccess cloud = fixture.access(fixture.parameters("node-a", "api_key", HA_KEY, "max_attempts", "3"));
        cloud.vpc().listFloatingIps();
        simulator
                .faults()
                .add(FaultRule.status(501)
                        .service("vpc")
                        .path("/v1/floating_ips")
                        .count(1));
        long before = fixture.vpcRequests("GET", "/floating_ips");
        assertThatThrownBy(() -> cloud.vpc().listFloatingIps())
                .isInstanceOfSatisfying(
                        CloudException.class, e -> assertThat(e.status()).isEqualTo(501));
        assertThat(fixture.vpcRequests("GET", "/floating_ips") - before).isEqualTo(1);

        simulator.faults().add(FaultRule.status(500).service("vpc").path("/v1/floating_ips"));
        before = fixture.vpcRequests("GET", "/floating_ips");
        assertThatThrownBy(() -> cloud.vpc().listFloatingIps()).isInstanceOfSatisfying(CloudException.class, e -> {
            assertThat(e.status()).isEqualTo(500);
            assertThat(e.isTransient()).isTrue();
        });
        assertThat(fixture.vpcRequests("GET", "/floating_ips") - before).isEqualTo(3);
    }

    @Test
    void resetsAndHangsAreRetriedWithinTheRequestTimeout() throws Exception {
        HostCloudAccess cloud = fixture.access(fixture.parameters("node-a", "api_key", HA_KEY, "request_timeout", "1"));
        cloud.vpc().listFloatingIps();
        simulator
                .faults()
                .add(FaultRule.reset().service("vpc").path("/v1/floating_ips").count(1));
        simulator
                .faults()
                .add(FaultRule.hang(3000)
                        .service("vpc")
                        .path("/v1/floating_ips")
                        .count(1));

        assertThat(cloud.vpc().listFloatingIps()).isNotEmpty();
        assertThat(fixture.log.text()).contains("retrying in");
    }

    @Test
    void noAttemptOutlivesTheDeadline() throws Exception {
        HostCloudAccess cloud = fixture.access(
                fixture.parameters("node-a", "api_key", HA_KEY, "max_attempts", "20"), Duration.ofSeconds(3));
        cloud.vpc().listFloatingIps();
        simulator.faults().add(FaultRule.status(503).service("vpc").path("/v1/floating_ips"));
        Instant deadline = Instant.now().plusMillis(2500);

        assertThatThrownBy(() -> cloud.vpc().listFloatingIps()).isInstanceOf(CloudException.class);
        assertThat(Instant.now()).isBefore(deadline.plusMillis(600));
    }

    @Test
    void aCreateThatTimedOutAfterTakingEffectIsNotSentTwice() throws Exception {
        HostCloudAccess cloud = fixture.access(fixture.parameters("node-a", "api_key", HA_KEY, "request_timeout", "1"));
        String vpcId = cloud.metadata().instance().vpcId();
        RoutingTable ingress = cloud.vpc().listRoutingTables(vpcId).stream()
                .filter(RoutingTable::isIngress)
                .findFirst()
                .orElseThrow();
        int before = cloud.vpc().listRoutes(vpcId, ingress.id()).size();
        simulator
                .faults()
                .add(FaultRule.hang(2500)
                        .hangAfterProcessing(true)
                        .service("vpc")
                        .method("POST")
                        .count(1));

        Route created = cloud.vpc()
                .createRoute(
                        vpcId,
                        ingress.id(),
                        RoutePrototype.builder("10.0.0.100/32", "us-south-2", "10.240.64.4")
                                .name("vip-ingress-us-south-2")
                                .advertise(true)
                                .build());

        assertThat(created.zone()).isEqualTo("us-south-2");
        assertThat(cloud.vpc().listRoutes(vpcId, ingress.id())).hasSize(before + 1);
        assertThat(fixture.log.text()).contains("the failed attempt did create route");
    }

    @Test
    void pagesOfOneAreFollowedToTheEnd() throws Exception {
        HostCloudAccess cloud = fixture.access(fixture.parameters("node-a", "api_key", HA_KEY, "page_limit", "1"));
        String vpcId = cloud.metadata().instance().vpcId();
        RoutingTable egress = cloud.vpc().listRoutingTables(vpcId).stream()
                .filter(t -> t.name().equals("vip-egress"))
                .findFirst()
                .orElseThrow();
        long before = fixture.vpcRequests("GET", "/routes");

        assertThat(cloud.vpc().listRoutes(vpcId, egress.id())).hasSize(3);
        assertThat(fixture.vpcRequests("GET", "/routes") - before).isEqualTo(3);
    }

    @Test
    void secretsReachTheSinkAndNeverTheLog() throws Exception {
        HostCloudAccess cloud = fixture.access(fixture.parameters("node-a", "api_key", HA_KEY));
        simulator.faults().add(FaultRule.status(503).service("vpc").count(1));
        cloud.vpc().listFloatingIps();

        assertThat(fixture.secrets).hasSizeGreaterThanOrEqualTo(1);
        for (String secret : fixture.secrets) {
            neverShown(fixture.log.text(), secret);
        }
        neverShown(fixture.log.text(), HA_KEY, "Bearer");
    }

    private Path apiKeyCacheFile() throws Exception {
        String name =
                "token-" + TokenCacheNames.of("apikey:" + TokenCacheNames.hash(HA_KEY) + "@" + simulator.iamUrl());
        return fixture.tokenCache.resolve(name);
    }

    private static void rewriteCache(Path file, String token, Instant issued, Instant expiration) throws Exception {
        String text = Files.readString(file);
        JsonObject json = JsonParser.parseString(text).getAsJsonObject();
        if (token != null) {
            json.addProperty("access_token", token);
        }
        json.addProperty("issued_at", issued.getEpochSecond());
        json.addProperty("expiration", expiration.getEpochSecond());
        Files.writeString(file, json.toString());
    }

    @Test
    void aRefusedTypedCallEndsItsReasonWithTheActionItNeeds() throws Exception {
        VpcApi vpc =
                fixture.access(fixture.parameters("node-a", "api_key", HA_KEY)).vpc();
        simulator.faults().add(FaultRule.status(403).code("not_authorized").service("vpc"));

        List<String> refused = new ArrayList<>();
        for (Method method : TestVpcClientIamActions.typedCalls()) {
            VpcCall call = VpcCall.of(method.getName()).orElseThrow();
            CloudException failure = failureOf(vpc, method);
            assertThat(failure.cloudErrorKind()).as(method.getName()).isEqualTo(CloudErrorKind.PERMISSION);
            assertThat(failure.reason())
                    .as(method.getName())
                    .contains(": HTTP 403 not_authorized")
                    .endsWith(" (" + call.needs() + ")")
                    .doesNotContain(HA_KEY);
            refused.add(method.getName());
        }
        assertThat(refused).hasSize(VpcCall.values().length);
    }

    @Test
    void aRefusalAfterAFreshTokenNamesTheActionButABadKeyDoesNot() throws Exception {
        VpcApi vpc =
                fixture.access(fixture.parameters("node-a", "api_key", HA_KEY)).vpc();
        simulator.faults().add(FaultRule.status(401).code("not_authorized").service("vpc"));

        assertThatThrownBy(vpc::listFloatingIps)
                .isInstanceOfSatisfying(
                        CloudException.class,
                        e -> assertThat(e.reason())
                                .contains("HTTP 401")
                                .endsWith(" (needs IAM action is.floating-ip.floating-ip.list)"));
        simulator.faults().clear();

        String wrongKey = "sim-test-apikey-wrong-0000000000009";
        assertThatThrownBy(() -> fixture.access(fixture.parameters("node-a", "api_key", wrongKey))
                        .vpc()
                        .listFloatingIps())
                .as("the key is wrong: no action would help")
                .isInstanceOfSatisfying(
                        CloudException.class,
                        e -> assertThat(e.reason()).doesNotContain("IAM action").doesNotContain(wrongKey));

        simulator.faults().add(FaultRule.status(404).service("vpc"));
        assertThatThrownBy(vpc::listFloatingIps)
                .as("only a refusal for a permission names an action")
                .isInstanceOfSatisfying(
                        CloudException.class, e -> assertThat(e.reason()).doesNotContain("IAM action"));
    }

    /** The failure of {@code method} called with arguments the API would take. */
    private static CloudException failureOf(VpcApi vpc, Method method) throws Exception {
        try {
            method.invoke(vpc, arguments(method));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof CloudException failure) {
                return failure;
            }
            throw e;
        }
        return fail(method.getName() + " succeeded although every VPC call is refused");
    }

    private static Object[] arguments(Method method) {
        Class<?>[] types = method.getParameterTypes();
        Object[] arguments = new Object[types.length];
        boolean optionalGiven = false;
        for (int i = 0; i < types.length; i++) {
            Class<?> type = types[i];
            if (type == String.class) {
                arguments[i] = "r006-00000000-0000-0000-0000-00000000000" + i;
            } else if (type == int.class) {
                arguments[i] = 80;
            } else if (type == boolean.class) {
                arguments[i] = false;
            } else if (type == Optional.class) {
                // a pool member targets an instance or an address: exactly one
                arguments[i] = optionalGiven ? Optional.empty() : Optional.of("0717-instance");
                optionalGiven = true;
            } else if (type == OptionalInt.class) {
                arguments[i] = OptionalInt.empty();
            } else if (type == RoutePrototype.class) {
                arguments[i] = RoutePrototype.builder("10.9.9.9/32", "us-south-1", "10.240.0.4")
                        .build();
            } else if (type == RoutePatch.class) {
                arguments[i] = RoutePatch.nextHop("10.240.0.4");
            } else {
                throw new AssertionError("no argument for " + type + " of " + method + ": add one here");
            }
        }
        return arguments;
    }
}
