package io.vpcha.toolkit.cloud;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.ApiRequest;
import io.vpcha.spi.cloud.ApiResponse;
import io.vpcha.spi.cloud.CloudAccess;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.toolkit.json.Json;
import io.vpcha.toolkit.time.TimeBox;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Endpoints the typed {@link io.vpcha.spi.cloud.VpcApi} lacks, through {@link CloudAccess#send}: an
 * answer that is not a success becomes the {@link CloudException} the typed API would have thrown (the
 * same kinds: 429 and 5xx transient, 401/403 permission, 404 not found, other 4xx configuration), and
 * a collection is followed page by page. Every call runs in the action's {@link TimeBox}.
 */
public final class RawApi {
    /** The largest page the VPC API serves: fewer requests for a long collection. */
    private static final String PAGE_LIMIT = "100";

    private final CloudAccess cloud;
    private final TimeBox timeBox;

    public RawApi(CloudAccess cloud, TimeBox timeBox) {
        this.cloud = requireNonNull(cloud, "cloud is null");
        this.timeBox = requireNonNull(timeBox, "timeBox is null");
    }

    /**
     * Sends {@code request} and returns the answer's JSON object (empty for 204).
     *
     * @param what the operation, for the reason of a failure; no secret
     */
    public Map<String, Object> call(String what, ApiRequest request) throws StrategyException {
        requireNonNull(request, "request is null");
        ApiResponse answer = timeBox.call(what, () -> cloud.send(request));
        if (!answer.isSuccess()) {
            throw failure(what, answer);
        }
        try {
            return answer.jsonObject();
        } catch (IllegalStateException e) {
            throw new CloudException(
                    CloudErrorKind.TRANSIENT, answer.status(), null, what + ": " + e.getMessage(), null, e);
        }
    }

    /**
     * Every item of a paginated collection, page by page ({@code next.href}'s {@code start} token).
     *
     * @param path the collection, e.g. {@code /subnets/0717-.../reserved_ips}
     * @param query filters, e.g. {@code vpc.id}
     * @param field the answer's list, e.g. {@code reserved_ips}
     */
    public List<Map<String, Object>> list(String what, String path, Map<String, String> query, String field)
            throws StrategyException {
        List<Map<String, Object>> items = new ArrayList<>();
        Optional<String> start = Optional.empty();
        // a bound on pages: a server that keeps answering "next" must not keep an action forever
        for (int page = 0; page < 1000; page++) {
            ApiRequest.Builder request = ApiRequest.builder("GET", path).query("limit", PAGE_LIMIT);
            query.forEach(request::query);
            start.ifPresent(token -> request.query("start", token));
            Map<String, Object> answer = call(what, request.build());
            for (Object item : Json.list(answer, field)) {
                asObject(item).ifPresent(items::add);
            }
            start = Json.string(answer, "next.href").flatMap(RawApi::startToken);
            if (start.isEmpty()) {
                return List.copyOf(items);
            }
        }
        throw new CloudException(CloudErrorKind.TRANSIENT, 0, null, what + ": more than 1000 pages", null, null);
    }

    /** The failure an answer that is not a success means, with the API's code, message and trace. */
    public static CloudException failure(String what, ApiResponse answer) {
        int status = answer.status();
        Map<String, Object> body = answer.json().flatMap(RawApi::asObject).orElse(Map.of());
        Optional<String> code = Json.string(body, "errors.0.code");
        Optional<String> message = Json.string(body, "errors.0.message");
        Optional<String> trace = Json.string(body, "trace").or(() -> answer.header("x-request-id"));
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
        // as the host's typed calls judge the same answers
        if (status == 429 || (status >= 500 && status != 501) || "load_balancer_update_conflict".equals(code)) {
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

    /** A JSON object of the host's tree, or empty for any other value. */
    @SuppressWarnings("unchecked") // the host's trees have string keys only (ApiResponse's contract)
    public static Optional<Map<String, Object>> asObject(Object value) {
        return value instanceof Map<?, ?> object ? Optional.of((Map<String, Object>) object) : Optional.empty();
    }

    /** The {@code start} query parameter of a {@code next.href}, decoded. */
    static Optional<String> startToken(String href) {
        int query = href.indexOf('?');
        if (query < 0) {
            return Optional.empty();
        }
        for (String pair : href.substring(query + 1).split("&", -1)) {
            if (pair.startsWith("start=")) {
                return Optional.of(URLDecoder.decode(pair.substring("start=".length()), StandardCharsets.UTF_8))
                        .filter(token -> !token.isEmpty());
            }
        }
        return Optional.empty();
    }
}
