package io.vpcha.toolkit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcha.host.cloud.CloudSettings;
import io.vpcha.host.cloud.HostCloudAccess;
import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.testing.RecordingLog;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.fault.FaultRule;
import io.vpcha.simulator.scenario.Scenario;
import io.vpcha.spi.ParameterValues;
import io.vpcha.spi.cloud.ApiRequest;
import io.vpcha.spi.cloud.ApiResponse;
import io.vpcha.spi.cloud.CloudAccess;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.InstanceMetadata;
import io.vpcha.spi.cloud.VpcApi;
import io.vpcha.toolkit.json.Json;
import io.vpcha.toolkit.time.TimeBox;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raw API calls against the simulator: collections page by page, failures of the kind a strategy acts on. */
class TestRawApi {
    private static VpcSimulator simulator;

    @TempDir
    Path tokens;

    private RawApi api;
    private HostCloudAccess cloud;

    @BeforeAll
    static void startSimulator() {
        simulator = VpcSimulator.builder()
                .scenario(Scenario.builtIn("two-zone-par"))
                .perInstanceMetadata(true)
                .start();
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    @BeforeEach
    void connect() throws Exception {
        simulator.reset();
        Map<String, String> parameters = Map.of(
                "strategy", "any",
                "vpc_url", simulator.vpcUrl().toString(),
                "iam_url", simulator.iamUrl().toString(),
                "metadata_url", simulator.metadataUrlFor("fw-a").toString(),
                "token_cache_dir", tokens.toString(),
                "max_attempts", "1",
                "api_key", "sim-test-apikey-ha-0000000000000001");
        CloudSettings settings = CloudSettings.from(ParameterValues.of(CommonParameters.all(), parameters));
        Instant deadline = Instant.now().plusSeconds(30);
        cloud = new HostCloudAccess(settings, () -> deadline, new RecordingLog(), secret -> {});
        api = new RawApi(
                cloud,
                new TimeBox(deadline, Clock.systemUTC()),
                Set.of("public_address_range_not_stable"),
                IamActions.NONE);
    }

    @Test
    void aCollectionIsReadPageByPage() throws Exception {
        long before = simulator.journal().lastSequence();

        List<Map<String, Object>> ranges = api.list("list ranges", "/public_address_ranges", "public_address_ranges");

        assertThat(ranges)
                .extracting(range -> Json.string(range, "name").orElseThrow())
                .containsExactlyInAnyOrder("fw-par", "spare-par");
        assertThat(simulator.journal().entriesAfter(before))
                .filteredOn(entry -> entry.service().equals("vpc"))
                .as("one page")
                .hasSize(1);
        assertThat(RawApi.startToken("https://x/v1/public_address_ranges?limit=1&start=a%2Bb"))
                .hasValue("a+b");
        assertThat(RawApi.startToken("https://x/v1/public_address_ranges?limit=1"))
                .isEmpty();
    }

    @Test
    void failuresHaveTheKindAStrategyActsOn() {
        assertThatThrownBy(() -> api.call("get range", ApiRequest.get("/public_address_ranges/r006-nope")))
                .isInstanceOfSatisfying(CloudException.class, e -> {
                    assertThat(e.cloudErrorKind()).isEqualTo(CloudErrorKind.NOT_FOUND);
                    assertThat(e.reason()).startsWith("get range: HTTP 404 not_found");
                });
        assertThat(getIfExists("/public_address_ranges/r006-nope")).isFalse();

        simulator
                .faults()
                .add(FaultRule.status(409)
                        .code("public_address_range_not_stable")
                        .service("vpc"));
        assertThatThrownBy(() -> api.call("get range", ApiRequest.get("/public_address_ranges")))
                .isInstanceOfSatisfying(
                        CloudException.class,
                        e -> assertThat(e.isTransient()).as("a busy code").isTrue());
        simulator.faults().clear();

        simulator.faults().add(FaultRule.status(409).code("something_else").service("vpc"));
        assertThatThrownBy(() -> api.call("get range", ApiRequest.get("/public_address_ranges")))
                .isInstanceOfSatisfying(
                        CloudException.class,
                        e -> assertThat(e.cloudErrorKind()).isEqualTo(CloudErrorKind.CONFIGURATION));
        simulator.faults().clear();

        simulator.faults().add(FaultRule.status(403).service("vpc"));
        assertThatThrownBy(() -> api.call("get range", ApiRequest.get("/public_address_ranges")))
                .isInstanceOfSatisfying(
                        CloudException.class,
                        e -> assertThat(e.cloudErrorKind()).isEqualTo(CloudErrorKind.PERMISSION));
        simulator.faults().clear();

        simulator.faults().add(FaultRule.status(503).service("vpc"));
        assertThatThrownBy(() -> api.call("get range", ApiRequest.get("/public_address_ranges")))
                .isInstanceOfSatisfying(
                        CloudException.class, e -> assertThat(e.isTransient()).isTrue());
    }

    @Test
    void aRefusalNamesTheIamActionTheTableGivesItsRequestAndNothingElseDoes() {
        IamActions actions = IamActions.builder()
                .needs("GET", "/public_address_ranges", "is.public-address-range.public-address-range.list")
                .probably(
                        "PATCH",
                        "/public_address_ranges/{id}",
                        "is.public-address-range.public-address-range.update",
                        "and is.vpc.vpc.operate")
                .build();
        RawApi named = new RawApi(cloud, timeBox(), Set.of(), actions);
        simulator.faults().add(FaultRule.status(403).code("not_authorized").service("vpc"));

        assertThatThrownBy(() -> named.list("list ranges", "/public_address_ranges", "public_address_ranges"))
                .isInstanceOfSatisfying(
                        CloudException.class,
                        e -> assertThat(e.reason())
                                .startsWith("list ranges: HTTP 403 not_authorized")
                                .endsWith(" (needs IAM action is.public-address-range.public-address-range.list)"));
        assertThatThrownBy(() -> named.call("bind range", ApiRequest.patch("/public_address_ranges/r006-1", "{}")))
                .isInstanceOfSatisfying(
                        CloudException.class,
                        e -> assertThat(e.reason())
                                .endsWith(
                                        " (probably needs IAM action is.public-address-range.public-address-range.update"
                                                + " and is.vpc.vpc.operate)"));
        assertThatThrownBy(() -> named.call("get subnet", ApiRequest.get("/subnets/r006-1")))
                .as("a request the table does not hold")
                .isInstanceOfSatisfying(
                        CloudException.class,
                        e -> assertThat(e.reason())
                                .startsWith("get subnet: HTTP 403")
                                .doesNotContain("IAM action"));
        simulator.faults().clear();

        assertThatThrownBy(() -> named.call("get range", ApiRequest.get("/public_address_ranges/r006-nope/x")))
                .as("only a refusal for a permission names one")
                .isInstanceOfSatisfying(
                        CloudException.class, e -> assertThat(e.reason()).doesNotContain("IAM action"));
        assertThat(actions.needs(ApiRequest.get("/public_address_ranges/r006-1")))
                .as("another method, another action")
                .isEmpty();
        assertThatThrownBy(() -> IamActions.builder().needs("GET", "/x", "is.x.read (maybe)"))
                .as("a parenthesis would end the reason's (needs ...) early")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFilteredCollectionSendsItsFiltersWithEveryPage() throws Exception {
        List<ApiRequest> requests = new ArrayList<>();
        CloudAccess cloud = answering(
                requests,
                request -> request.query().containsKey("start")
                        ? json(200, Json.object("subnets", List.of(Json.object("id", "s3"))))
                        : json(
                                200,
                                Json.object(
                                        "subnets",
                                        List.of(Json.object("id", "s1"), Json.object("id", "s2")),
                                        "next",
                                        Json.object(
                                                "href", "https://x/v1/subnets?limit=100&start=abc%3D%3D&vpc.id=v"))));

        List<Map<String, Object>> subnets = new RawApi(cloud, timeBox(), Set.of(), IamActions.NONE)
                .list("list subnets", "/subnets", Map.of("vpc.id", "v"), "subnets");

        assertThat(subnets).extracting(subnet -> subnet.get("id")).containsExactly("s1", "s2", "s3");
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).query()).containsEntry("vpc.id", "v").containsEntry("limit", "100");
        assertThat(requests.get(1).query()).containsEntry("vpc.id", "v").containsEntry("start", "abc==");
    }

    @Test
    void iamCodesArePermissionsWhateverTheStatusAnd501IsNoServerTrouble() {
        Map<String, Object> iam = Json.object("errors", List.of(Json.object("code", "BXNIM0415E", "message", "no")));

        assertThat(RawApi.failure(json(400, iam), "x", Set.of()).cloudErrorKind())
                .isEqualTo(CloudErrorKind.PERMISSION);
        assertThat(RawApi.failure(json(501, Map.of()), "x", Set.of()).cloudErrorKind())
                .as("not implemented: retrying will not help")
                .isEqualTo(CloudErrorKind.CONFIGURATION);
        assertThat(RawApi.failure(json(409, Map.of()), "x", Set.of()).trace())
                .as("from X-Request-Id")
                .hasValue("trace-1");
    }

    /** A cloud whose raw API answers with {@code answer}, recording each request; no typed API. */
    private static CloudAccess answering(List<ApiRequest> requests, Function<ApiRequest, ApiResponse> answer) {
        return new CloudAccess() {
            @Override
            public VpcApi vpc() {
                throw new UnsupportedOperationException("raw requests only");
            }

            @Override
            public InstanceMetadata metadata() {
                throw new UnsupportedOperationException("raw requests only");
            }

            @Override
            public ApiResponse send(ApiRequest request) {
                requests.add(request);
                return answer.apply(request);
            }
        };
    }

    private static TimeBox timeBox() {
        Clock clock = Clock.systemUTC();
        return new TimeBox(clock.instant().plus(Duration.ofSeconds(10)), clock);
    }

    private static ApiResponse json(int status, Map<String, Object> body) {
        return ApiResponse.of(status, Json.write(body), Map.of("X-Request-Id", List.of("trace-1")), body);
    }

    private boolean getIfExists(String path) {
        try {
            return api.getIfExists("get", path).isPresent();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
