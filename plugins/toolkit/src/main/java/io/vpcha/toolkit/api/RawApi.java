package io.vpcha.toolkit.api;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.ApiRequest;
import io.vpcha.spi.cloud.ApiResponse;
import io.vpcha.spi.cloud.CloudAccess;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.VpcApi;
import io.vpcha.toolkit.json.Json;
import io.vpcha.toolkit.time.TimeBox;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The VPC API's endpoints that the typed {@link io.vpcha.spi.cloud.VpcApi} lacks, through {@link
 * CloudAccess#send}: an answer other than 2xx becomes a {@link CloudException} of the kind a strategy
 * acts on (as the typed calls' failures are), collections are read page by page, and every call ends
 * within the action's {@link TimeBox}. The host has already retried rate limits and server errors
 * within the deadline when an answer reaches here.
 */
public final class RawApi {
    /** The API's largest page. */
    private static final int PAGE = 100;
    /** Never follow more pages than this: a cursor that loops must not hold the action to its deadline. */
    private static final int MOST_PAGES = 1_000;

    private final Sender sender;
    private final TimeBox timeBox;
    private final Set<String> busyCodes;
    private final IamActions iamActions;

    /**
     * @param busyCodes the API's error codes that mean "busy now, the same request will do later" (e.g.
     *     a resource that is still updating): their failures are transient
     * @param iamActions what each request needs in IAM, named by a refusal's reason
     */
    public RawApi(CloudAccess cloud, TimeBox timeBox, Set<String> busyCodes, IamActions iamActions) {
        this(requireNonNull(cloud, "cloud is null")::send, timeBox, busyCodes, iamActions);
    }

    /** As {@link #RawApi(CloudAccess, TimeBox, Set, IamActions)}, for a strategy that holds the typed API. */
    public RawApi(VpcApi vpc, TimeBox timeBox, Set<String> busyCodes, IamActions iamActions) {
        this(requireNonNull(vpc, "vpc is null")::send, timeBox, busyCodes, iamActions);
    }

    private RawApi(Sender sender, TimeBox timeBox, Set<String> busyCodes, IamActions iamActions) {
        this.sender = sender;
        this.timeBox = requireNonNull(timeBox, "timeBox is null");
        this.busyCodes = Set.copyOf(busyCodes);
        this.iamActions = requireNonNull(iamActions, "iamActions is null");
    }

    /**
     * Sends {@code request} and returns the JSON object answered (empty for 204).
     *
     * @param what the operation, for the reason (e.g. "get public address range r006-1"); no secret
     * @throws CloudException for any answer other than 2xx, or no answer in time
     */
    public Map<String, Object> call(String what, ApiRequest request) throws StrategyException {
        return object(what, exchange(what, request));
    }

    /**
     * Sends {@code request} and returns the successful answer, with its headers (the ETag for a later
     * {@code If-Match}).
     *
     * @throws CloudException for any answer other than 2xx, or no answer in time
     */
    public ApiResponse exchange(String what, ApiRequest request) throws StrategyException {
        ApiResponse response = timeBox.call(what, () -> sender.send(request));
        if (!response.isSuccess()) {
            throw failure(response, what, busyCodes, iamActions.needs(request));
        }
        return response;
    }

    /** The JSON object of a successful answer (empty for 204). */
    public static Map<String, Object> object(String what, ApiResponse response) throws CloudException {
        try {
            return response.jsonObject();
        } catch (IllegalStateException notAnObject) {
            throw new CloudException(
                    CloudErrorKind.TRANSIENT,
                    response.status(),
                    null,
                    what + ": " + notAnObject.getMessage(),
                    response.header("x-request-id").orElse(null),
                    null);
        }
    }

    /** A GET of one resource; empty when the API says it does not exist (404). */
    public Optional<Map<String, Object>> getIfExists(String what, String path) throws StrategyException {
        try {
            return Optional.of(call(what, ApiRequest.get(path)));
        } catch (CloudException e) {
            if (e.cloudErrorKind() == CloudErrorKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Every item of a paginated collection, following {@code next.href} page by page.
     *
     * @param collection the field that holds the items, e.g. {@code public_address_ranges}
     */
    public List<Map<String, Object>> list(String what, String path, String collection) throws StrategyException {
        return list(what, path, Map.of(), collection);
    }

    /**
     * Every item of a paginated collection that the API filters by {@code filters} (e.g. {@code vpc.id}
     * for subnets), following {@code next.href} page by page; the filters go with every page's request.
     */
    public List<Map<String, Object>> list(String what, String path, Map<String, String> filters, String collection)
            throws StrategyException {
        List<Map<String, Object>> items = new ArrayList<>();
        Optional<String> start = Optional.empty();
        for (int page = 0; page < MOST_PAGES; page++) {
            ApiRequest.Builder request = ApiRequest.builder("GET", path).query("limit", Integer.toString(PAGE));
            filters.forEach(request::query);
            start.ifPresent(token -> request.query("start", token));
            Map<String, Object> answer = call(what, request.build());
            for (Object item : Json.list(answer, collection)) {
                if (item instanceof Map<?, ?>) {
                    items.add(asObject(item));
                }
            }
            start = Json.string(answer, "next.href").flatMap(RawApi::startToken);
            if (start.isEmpty()) {
                return items;
            }
        }
        throw new CloudException(
                CloudErrorKind.TRANSIENT, 0, null, what + ": more than " + MOST_PAGES + " pages", null, null);
    }

    /**
     * The exception for an answer other than 2xx: the API's own code, message and trace in the reason,
     * and its kind: rate limits, server errors and {@code busyCodes} transient; 401/403 and IAM's
     * {@code BXNIM} codes a permission; 404 not found; any other refusal a configuration problem. A
     * permission's reason ends with {@code (NEEDS)} when {@code needs} says what the request needs
     * ({@link IamActions#needs}).
     */
    public static CloudException failure(ApiResponse response, String what, Set<String> busyCodes) {
        return failure(response, what, busyCodes, Optional.empty());
    }

    /** As {@link #failure(ApiResponse, String, Set)}, naming what the refused request needs in IAM. */
    public static CloudException failure(
            ApiResponse response, String what, Set<String> busyCodes, Optional<String> needs) {
        int status = response.status();
        Object body = response.json().orElse(Map.of());
        Optional<String> code = Json.string(body, "errors.0.code");
        Optional<String> message = Json.string(body, "errors.0.message");
        Optional<String> trace = Json.string(body, "trace").or(() -> response.header("x-request-id"));
        CloudErrorKind kind;
        if (status == 429
                || (status >= 500 && status != 501)
                || code.map(busyCodes::contains).orElse(false)) {
            kind = CloudErrorKind.TRANSIENT;
        } else if (status == 401
                || status == 403
                || code.map(value -> value.startsWith("BXNIM")).orElse(false)) {
            // IAM's own codes (BXNIM...) are a credential problem whatever the status, as the host judges them
            kind = CloudErrorKind.PERMISSION;
        } else if (status == 404) {
            kind = CloudErrorKind.NOT_FOUND;
        } else {
            kind = CloudErrorKind.CONFIGURATION;
        }
        StringBuilder reason = new StringBuilder(what).append(": HTTP ").append(status);
        code.ifPresent(value -> reason.append(' ').append(value));
        message.ifPresent(value -> reason.append(": ").append(value));
        trace.ifPresent(value -> reason.append(" (trace ").append(value).append(')'));
        if (kind == CloudErrorKind.PERMISSION) {
            needs.ifPresent(value -> reason.append(" (").append(value).append(')'));
        }
        return new CloudException(kind, status, code.orElse(null), reason.toString(), trace.orElse(null), null);
    }

    /** {@link CloudAccess#send} or {@link VpcApi#send}, whichever the strategy holds. */
    @FunctionalInterface
    private interface Sender {
        ApiResponse send(ApiRequest request) throws StrategyException;
    }

    @SuppressWarnings("unchecked") // the host's trees have string keys only
    private static Map<String, Object> asObject(Object item) {
        return (Map<String, Object>) item;
    }

    /** The {@code start} query parameter of a {@code next} link: the cursor of the next page. */
    static Optional<String> startToken(String href) {
        String query;
        try {
            query = URI.create(href).getRawQuery();
        } catch (IllegalArgumentException notAUri) {
            return Optional.empty();
        }
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&", -1)) {
            if (pair.startsWith("start=") && pair.length() > "start=".length()) {
                return Optional.of(URLDecoder.decode(pair.substring("start=".length()), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }
}
