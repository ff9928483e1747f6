package io.vpcha.spi.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** What plugins build (requests, routes, patches) and read (answers as JSON trees). */
class TestApiMessages {
    @Test
    void anAnswerCarriesAFrozenTreeOfJdkTypesAndItsHeaders() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", "r006-1");
        body.put("count", 3);
        body.put("ratio", 0.5);
        body.put("big", new BigDecimal("1e3"));
        body.put("flags", new ArrayList<>(Arrays.asList(true, null)));
        body.put("target", Map.of("zone", Map.of("name", "us-south-1")));

        ApiResponse response =
                ApiResponse.of(200, "{...}", Map.of("ETag", List.of("W/\"1\""), "X-Request-Id", List.of("a")), body);

        assertThat(response.etag()).hasValue("W/\"1\"");
        assertThat(response.header("x-request-id")).hasValue("a");
        assertThat(response.headers()).containsKeys("etag", "x-request-id");
        Map<String, Object> json = response.jsonObject();
        assertThat(json)
                .containsEntry("count", 3L)
                .containsEntry("ratio", new BigDecimal("0.5"))
                .containsEntry("big", 1000L);
        assertThat(json.keySet()).containsExactly("id", "count", "ratio", "big", "flags", "target");
        assertThat(json.get("flags")).isEqualTo(Arrays.asList(true, null));
        assertThatThrownBy(() -> json.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        body.put("id", "changed");
        assertThat(json).as("a copy").containsEntry("id", "r006-1");
    }

    @Test
    void anAnswerWithoutBodyIsAnEmptyObjectAndAnythingElseIsRefused() {
        assertThat(ApiResponse.of(204, "", Map.of(), null).jsonObject()).isEmpty();
        assertThat(ApiResponse.of(200, "[1]", Map.of(), List.of(1)).json()).hasValue(List.of(1L));
        assertThatThrownBy(
                        () -> ApiResponse.of(200, "[1]", Map.of(), List.of(1)).jsonObject())
                .hasMessage("the body of the answer (HTTP 200) is not a JSON object");
        assertThatThrownBy(() -> ApiResponse.of(200, "x", Map.of(), new Object()))
                .hasMessageStartingWith("not a JSON value: java.lang.Object");
    }

    @SuppressWarnings("deprecation") // the constructor of SPI 1.0 must keep working
    @Test
    void theConstructorOfSpi10StillWorks() {
        ApiResponse response = new ApiResponse(200, "{}", Optional.of("e1"));
        assertThat(response.etag()).hasValue("e1");
        assertThat(response.header("ETag")).hasValue("e1");
        assertThat(response.json()).isEmpty();
    }

    @Test
    void requestsAreBuiltWithoutTheirConstructor() {
        ApiRequest patch = ApiRequest.builder("PATCH", "/public_address_ranges/r1")
                .jsonBody("{\"target\":null}")
                .ifMatch("e1")
                .query("limit", "10")
                .build();
        assertThat(patch.method()).isEqualTo("PATCH");
        assertThat(patch.jsonBody()).hasValue("{\"target\":null}");
        assertThat(patch.ifMatch()).hasValue("e1");
        assertThat(patch.query()).containsEntry("limit", "10");
        assertThat(ApiRequest.delete("/x").method()).isEqualTo("DELETE");
        assertThat(ApiRequest.post("/x", "{}").jsonBody()).hasValue("{}");
        assertThatThrownBy(() -> ApiRequest.builder("HEAD", "/x").build()).hasMessageContaining("HEAD");
    }

    @Test
    void routesAndPatchesAreBuiltWithoutTheirConstructor() {
        RoutePrototype route = RoutePrototype.builder("10.0.0.100/32", "us-south-2", "10.0.1.4")
                .name("vip")
                .build();
        assertThat(route.action()).isEqualTo("deliver");
        assertThat(route.priority()).isEqualTo(2);
        assertThat(route.advertise()).isFalse();
        assertThat(route.name()).hasValue("vip");
        assertThatThrownBy(() -> RoutePrototype.builder("10.0.0.100/32", "z", "10.0.1.4")
                        .priority(5)
                        .build())
                .hasMessage("priority 5 is not 0 to 4");

        RoutePatch patch = RoutePatch.builder().name("vip").priority(1).build();
        assertThat(patch.name()).hasValue("vip");
        assertThat(patch.priority()).isEqualTo(OptionalInt.of(1));
        assertThat(patch.nextHopAddress()).isEmpty();
        assertThat(RoutePatch.rename("x").name()).hasValue("x");
        assertThat(RoutePatch.nextHop("10.0.0.1").nextHopAddress()).hasValue("10.0.0.1");
    }
}
