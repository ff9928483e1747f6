package io.vpcha.strategy.loadbalancer;

import io.vpcha.spi.cloud.ApiResponse;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.toolkit.json.Json;
import java.util.Map;
import java.util.Optional;

/**
 * The failure of a raw API answer ({@link io.vpcha.spi.cloud.CloudAccess#send}), told the way the
 * host tells the typed API's: the API's code, message and trace, and the kind a strategy acts on.
 */
final class ApiAnswer {
    private static final String UPDATE_CONFLICT = "load_balancer_update_conflict";

    private ApiAnswer() {}

    /** The answer's JSON object when it succeeded. */
    static Map<String, Object> object(ApiResponse response, String what) throws CloudException {
        if (!response.isSuccess()) {
            throw failure(response, what);
        }
        try {
            return response.jsonObject();
        } catch (IllegalStateException e) {
            throw new CloudException(
                    CloudErrorKind.TRANSIENT, response.status(), null, what + ": " + e.getMessage(), null, e);
        }
    }

    static CloudException failure(ApiResponse response, String what) {
        Optional<Object> body = response.json();
        Optional<String> code = body.flatMap(tree -> Json.string(tree, "errors.0.code"));
        Optional<String> message = body.flatMap(tree -> Json.string(tree, "errors.0.message"));
        Optional<String> trace =
                body.flatMap(tree -> Json.string(tree, "trace")).or(() -> response.header("x-request-id"));
        int status = response.status();
        StringBuilder reason = new StringBuilder(what).append(": HTTP ").append(status);
        code.ifPresent(value -> reason.append(' ').append(value));
        message.ifPresent(value -> reason.append(": ").append(value));
        trace.ifPresent(value -> reason.append(" (trace ").append(value).append(')'));
        return new CloudException(
                kind(status, code.orElse(null)),
                status,
                code.orElse(null),
                reason.toString(),
                trace.orElse(null),
                null);
    }

    private static CloudErrorKind kind(int status, String code) {
        if (status == 429 || (status >= 500 && status != 501) || UPDATE_CONFLICT.equals(code)) {
            return CloudErrorKind.TRANSIENT;
        }
        if (status == 401 || status == 403) {
            return CloudErrorKind.PERMISSION;
        }
        if (status == 404) {
            return CloudErrorKind.NOT_FOUND;
        }
        return CloudErrorKind.CONFIGURATION;
    }
}
