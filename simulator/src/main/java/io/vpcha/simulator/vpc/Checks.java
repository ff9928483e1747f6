package io.vpcha.simulator.vpc;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.vpcha.simulator.http.ApiException;
import io.vpcha.simulator.http.Json;
import java.util.Set;

/** Request-body validation shared by the VPC handlers. */
final class Checks {
    private Checks() {}

    /** Rejects members outside {@code allowed} (immutable or unknown fields). */
    static void onlyFields(JsonObject body, Set<String> allowed, String what) {
        for (String field : body.keySet()) {
            if (!allowed.contains(field)) {
                throw ApiException.badField(
                        field, "The field '" + field + "' cannot be set on " + what, body.get(field));
            }
        }
    }

    static String name(JsonObject body, String field) {
        String name = Json.string(body, field);
        if (name == null) {
            return null;
        }
        if (!name.matches("^-?([a-z]|[a-z][-a-z0-9]*[a-z0-9]|[0-9][-a-z0-9]*([a-z]|[-a-z][-a-z0-9]*[a-z0-9]))$")
                || name.length() > 63) {
            throw ApiException.invalidValue(
                    field, "The name must be 1 to 63 lower-case letters, digits and hyphens", name);
        }
        return name;
    }

    /** Reads {@code {"name":...}} or {@code {"id":...}} or {@code {"href":...}} identity references. */
    static String identity(JsonObject body, String field, String key) {
        JsonObject reference = Json.objectField(body, field);
        if (reference == null) {
            return null;
        }
        String value = Json.string(reference, key);
        if (value == null && reference.has("href")) {
            String href = Json.string(reference, "href");
            value = href.substring(href.lastIndexOf('/') + 1);
        }
        if (value == null) {
            throw ApiException.badField(field + "." + key, "The field '" + field + "." + key + "' is required", null);
        }
        return value;
    }

    static boolean isNull(JsonObject body, String field) {
        JsonElement element = body.get(field);
        return element != null && element.isJsonNull();
    }
}
