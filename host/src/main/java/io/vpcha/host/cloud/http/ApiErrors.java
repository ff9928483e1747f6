package io.vpcha.host.cloud.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import java.util.Optional;

/**
 * Turns an error answer of the VPC API, the metadata service or IAM into a {@link CloudException}
 * with the API's own code, message and trace id, and the kind a strategy acts on.
 */
public final class ApiErrors {
    private ApiErrors() {}

    /** Whether a status is worth retrying: rate limits and server errors, except 501 Not Implemented. */
    public static boolean isRetryable(int status) {
        return status == 429 || (status >= 500 && status != 501);
    }

    /**
     * The exception for a failed answer.
     *
     * @param what the operation, e.g. "GET routing table r006-1"; never contains a secret
     */
    public static CloudException from(HttpResult result, String what) {
        return from(result, what, Optional.empty());
    }

    /**
     * The exception for a failed answer of a call whose IAM action is known: a refusal for a missing
     * permission (403, or 401 after a fresh token) ends its reason with {@code (NEEDS)}, e.g. {@code
     * (needs IAM action is.vpc.routing-table.update)}, which the agent puts first in its exit reason.
     *
     * @param needs what the call needs, as {@link io.vpcha.host.cloud.vpc.VpcCall#needs()} says it
     */
    public static CloudException from(HttpResult result, String what, String needs) {
        return from(result, what, Optional.of(needs));
    }

    private static CloudException from(HttpResult result, String what, Optional<String> needs) {
        int status = result.status();
        String code = null;
        String message = null;
        String trace = result.header("x-request-id").orElse(null);
        try {
            JsonElement parsed = JsonParser.parseString(result.body());
            if (parsed.isJsonObject()) {
                JsonObject body = parsed.getAsJsonObject();
                if (body.has("errors")
                        && body.get("errors").isJsonArray()
                        && !body.getAsJsonArray("errors").isEmpty()) {
                    JsonObject first = body.getAsJsonArray("errors").get(0).getAsJsonObject();
                    code = string(first, "code").orElse(null);
                    message = string(first, "message").orElse(null);
                    trace = string(body, "trace").orElse(trace);
                } else if (body.has("errorCode")) {
                    // IAM's own format
                    code = string(body, "errorCode").orElse(null);
                    message = string(body, "errorMessage").orElse(null);
                    if (body.has("context") && body.get("context").isJsonObject()) {
                        trace = string(body.getAsJsonObject("context"), "requestId")
                                .orElse(trace);
                    }
                }
            }
        } catch (RuntimeException notJson) {
            // a proxy's HTML page or an empty body: the status says enough
        }
        CloudErrorKind kind = kind(status, code);
        StringBuilder reason = new StringBuilder(what).append(": HTTP ").append(status);
        if (code != null) {
            reason.append(' ').append(code);
        }
        if (message != null) {
            reason.append(": ").append(message);
        }
        if (trace != null) {
            reason.append(" (trace ").append(trace).append(')');
        }
        if (kind == CloudErrorKind.PERMISSION) {
            needs.ifPresent(action -> reason.append(" (").append(action).append(')'));
        }
        return new CloudException(kind, status, code, reason.toString(), trace, null);
    }

    static CloudErrorKind kind(int status, String code) {
        if (isRetryable(status) || "load_balancer_update_conflict".equals(code)) {
            return CloudErrorKind.TRANSIENT;
        }
        if (status == 401 || status == 403 || (code != null && code.startsWith("BXNIM"))) {
            return CloudErrorKind.PERMISSION;
        }
        if (status == 404) {
            return CloudErrorKind.NOT_FOUND;
        }
        return CloudErrorKind.CONFIGURATION;
    }

    private static Optional<String> string(JsonObject object, String name) {
        JsonElement element = object.get(name);
        return element == null || !element.isJsonPrimitive() ? Optional.empty() : Optional.of(element.getAsString());
    }
}
