package io.vpcha.toolkit.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcha.spi.cloud.ApiRequest;
import io.vpcha.spi.cloud.ApiResponse;
import io.vpcha.spi.cloud.CloudAccess;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.InstanceMetadata;
import io.vpcha.spi.cloud.VpcApi;
import io.vpcha.toolkit.json.Json;
import io.vpcha.toolkit.time.TimeBox;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class TestRawApi {
    /** A cloud whose raw API answers with {@code answer}, recording each request. */
    private static final class Answering implements CloudAccess {
        final List<ApiRequest> requests = new ArrayList<>();
        private final Function<ApiRequest, ApiResponse> answer;

        Answering(Function<ApiRequest, ApiResponse> answer) {
            this.answer = answer;
        }

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
    }

    private static RawApi raw(CloudAccess cloud) {
        Clock clock = Clock.systemUTC();
        return new RawApi(cloud, new TimeBox(clock.instant().plus(Duration.ofSeconds(10)), clock));
    }

    private static ApiResponse json(int status, Map<String, Object> body) {
        return ApiResponse.of(status, Json.write(body), Map.of("X-Request-Id", List.of("trace-1")), body);
    }

    @Test
    void aCollectionIsFollowedPageByPageWithItsFilters() throws Exception {
        Answering cloud = new Answering(request -> request.query().containsKey("start")
                ? json(200, Json.object("subnets", List.of(Json.object("id", "s3"))))
                : json(
                        200,
                        Json.object(
                                "subnets",
                                List.of(Json.object("id", "s1"), Json.object("id", "s2")),
                                "next",
                                Json.object("href", "https://x/v1/subnets?limit=100&start=abc%3D%3D&vpc.id=v"))));

        List<Map<String, Object>> subnets =
                raw(cloud).list("list subnets", "/subnets", Map.of("vpc.id", "v"), "subnets");

        assertThat(subnets).extracting(subnet -> subnet.get("id")).containsExactly("s1", "s2", "s3");
        assertThat(cloud.requests).hasSize(2);
        assertThat(cloud.requests.get(0).query()).containsEntry("vpc.id", "v").containsEntry("limit", "100");
        assertThat(cloud.requests.get(1).query()).containsEntry("start", "abc==");
    }

    @Test
    void anAnswerThatIsNoSuccessIsTheFailureTheTypedApiWouldThrow() {
        Map<String, Object> error = Json.object(
                "errors", List.of(Json.object("code", "not_found", "message", "Subnet not found")), "trace", "t-9");

        assertThatThrownBy(() -> raw(new Answering(request -> json(404, error)))
                        .call("get subnet s9", ApiRequest.get("/subnets/s9")))
                .isInstanceOfSatisfying(CloudException.class, e -> {
                    assertThat(e.cloudErrorKind()).isEqualTo(CloudErrorKind.NOT_FOUND);
                    assertThat(e.code()).hasValue("not_found");
                    assertThat(e.trace()).hasValue("t-9");
                    assertThat(e.reason()).isEqualTo("get subnet s9: HTTP 404 not_found: Subnet not found (trace t-9)");
                });
        assertThat(RawApi.failure("x", json(429, Map.of())).cloudErrorKind()).isEqualTo(CloudErrorKind.TRANSIENT);
        assertThat(RawApi.failure("x", json(503, Map.of())).cloudErrorKind()).isEqualTo(CloudErrorKind.TRANSIENT);
        assertThat(RawApi.failure("x", json(501, Map.of())).cloudErrorKind()).isEqualTo(CloudErrorKind.CONFIGURATION);
        assertThat(RawApi.failure("x", json(403, Map.of())).cloudErrorKind()).isEqualTo(CloudErrorKind.PERMISSION);
        assertThat(RawApi.failure("x", json(409, Map.of())).cloudErrorKind()).isEqualTo(CloudErrorKind.CONFIGURATION);
        assertThat(RawApi.failure("x", json(409, Map.of())).trace())
                .as("from X-Request-Id")
                .hasValue("trace-1");
    }

    @Test
    void aNoContentAnswerIsAnEmptyObject() throws Exception {
        Map<String, Object> answer = raw(new Answering(request -> ApiResponse.of(204, "", Map.of(), null)))
                .call("unbind", ApiRequest.delete("/x/y"));

        assertThat(answer).isEmpty();
    }

    @Test
    void startTokensAreDecodedAndAbsentOnTheLastPage() {
        assertThat(RawApi.startToken("https://h/v1/x?start=a%2Fb&limit=5")).hasValue("a/b");
        assertThat(RawApi.startToken("https://h/v1/x?limit=5")).isEmpty();
        assertThat(RawApi.startToken("https://h/v1/x")).isEmpty();
    }
}
