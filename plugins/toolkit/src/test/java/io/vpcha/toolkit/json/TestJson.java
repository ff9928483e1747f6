package io.vpcha.toolkit.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestJson {
    @Test
    void aRequestBodyIsWrittenFromJdkTypesInTheOrderGiven() {
        Map<String, Object> body = Json.object(
                "target",
                Json.object("vpc", Json.object("id", "r006-1"), "zone", Json.object("name", "us-south-2")),
                "name",
                "par \"one\"\n",
                "count",
                3,
                "ratio",
                new BigDecimal("0.25"),
                "on",
                true,
                "list",
                Arrays.asList(1L, null, "x"));

        assertThat(Json.write(body))
                .isEqualTo("{\"target\":{\"vpc\":{\"id\":\"r006-1\"},\"zone\":{\"name\":\"us-south-2\"}},"
                        + "\"name\":\"par \\\"one\\\"\\n\",\"count\":3,\"ratio\":0.25,\"on\":true,"
                        + "\"list\":[1,null,\"x\"]}");
        assertThat(Json.write(Json.object("target", null)))
                .as("a merge patch unbinding")
                .isEqualTo("{\"target\":null}");
        assertThat(Json.write("\u0001")).isEqualTo("\"\\u0001\"");
        assertThatThrownBy(() -> Json.write(new Object())).hasMessageStartingWith("not a JSON value");
        assertThatThrownBy(() -> Json.object("odd")).hasMessage("names and values come in pairs");
    }

    @Test
    void theHostsTreeIsReadByPath() {
        Map<String, Object> tree = Map.of(
                "target",
                Map.of("zone", Map.of("name", "us-south-1")),
                "routes",
                List.of(Map.of("id", "r1"), Map.of("id", "r2")),
                "total_count",
                2L,
                "is_default",
                false);

        assertThat(Json.string(tree, "target.zone.name")).hasValue("us-south-1");
        assertThat(Json.string(tree, "routes.1.id")).hasValue("r2");
        assertThat(Json.string(tree, "routes.2.id")).isEmpty();
        assertThat(Json.string(tree, "target.zone")).as("not a string").isEmpty();
        assertThat(Json.integer(tree, "total_count")).hasValue(2L);
        assertThat(Json.bool(tree, "is_default")).hasValue(false);
        assertThat(Json.map(tree, "target.zone")).hasValue(Map.of("name", "us-south-1"));
        assertThat(Json.list(tree, "routes")).hasSize(2);
        assertThat(Json.list(tree, "nothing")).isEmpty();
        assertThat(Json.at(tree, "total_count.x")).isEmpty();
    }
}
