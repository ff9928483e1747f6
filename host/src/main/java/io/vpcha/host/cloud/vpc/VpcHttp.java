package io.vpcha.host.cloud.vpc;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vpcha.host.cloud.WriteGate;
import io.vpcha.host.cloud.auth.AccessToken;
import io.vpcha.host.cloud.auth.Authenticator;
import io.vpcha.host.cloud.http.ApiErrors;
import io.vpcha.host.cloud.http.CallExecutor;
import io.vpcha.host.cloud.http.HttpCall;
import io.vpcha.host.cloud.http.HttpResult;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Authenticated JSON calls to the VPC API: the pinned {@code version} and {@code generation=2} on
 * every request, the bearer token (a 401 gets one fresh token and one more try), merge-patch bodies
 * for PATCH, and collections followed to their last page.
 */
public final class VpcHttp {
    private final Endpoint baseUrl;
    private final String apiVersion;
    private final int pageLimit;
    private final CallExecutor executor;
    private final Authenticator authenticator;
    private final WriteGate writeGate;

    /** Where the API is; found on first use, since it may take a metadata call (the region of this instance). */
    @FunctionalInterface
    public interface Endpoint {
        /** The API's base URL, ending in {@code /v1}. */
        URI get() throws CloudException;
    }

    public VpcHttp(
            Endpoint baseUrl, String apiVersion, int pageLimit, CallExecutor executor, Authenticator authenticator) {
        this(baseUrl, apiVersion, pageLimit, executor, authenticator, WriteGate.OPEN);
    }

    /** @param writeGate asked before every call that is not a GET */
    public VpcHttp(
            Endpoint baseUrl,
            String apiVersion,
            int pageLimit,
            CallExecutor executor,
            Authenticator authenticator,
            WriteGate writeGate) {
        this.writeGate = requireNonNull(writeGate, "writeGate is null");
        this.baseUrl = requireNonNull(baseUrl, "baseUrl is null");
        this.apiVersion = requireNonNull(apiVersion, "apiVersion is null");
        this.pageLimit = pageLimit;
        this.executor = requireNonNull(executor, "executor is null");
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
    }

    /** One call, answered whatever its status. */
    public HttpResult call(
            String method,
            String path,
            Map<String, String> query,
            Optional<String> json,
            Optional<String> ifMatch,
            String what)
            throws CloudException {
        if (!method.equals("GET")) {
            writeGate.beforeWrite(method, path);
        }
        boolean idempotent = !method.equals("POST");
        AccessToken token = authenticator.token(Optional.empty());
        URI base = baseUrl.get();
        HttpResult result =
                executor.execute(httpCall(base, method, path, query, json, ifMatch, token), idempotent, what);
        if (result.status() == 401) {
            // the cached token may have been revoked or expired early: one fresh token, one more try
            token = authenticator.token(Optional.of(token));
            result = executor.execute(httpCall(base, method, path, query, json, ifMatch, token), idempotent, what);
        }
        return result;
    }

    /**
     * Opens, in the background, the connections {@code count} requests at the same time will need
     * ({@link CallExecutor#prepare}). A hint: an endpoint that cannot be found yet is left to the
     * requests to report.
     */
    public void prepareConnections(int count) {
        URI base;
        try {
            base = baseUrl.get();
        } catch (CloudException e) {
            return; // the first request reports it, with its operation's name
        }
        executor.prepare(base, count);
    }

    /**
     * A call that must succeed; its JSON body (an empty object for 204). A refusal names the IAM action
     * of {@code call}.
     */
    public JsonObject json(VpcCall call, String method, String path, Optional<String> json, String what)
            throws CloudException {
        HttpResult result = call(method, path, Map.of(), json, Optional.empty(), what);
        if (!result.isSuccess()) {
            throw ApiErrors.from(result, what, call.needs());
        }
        return parse(result, what);
    }

    /** Every item of a paginated collection, following {@code next} to the last page. */
    public <T> List<T> list(VpcCall call, String path, String itemsField, Function<JsonObject, T> reader, String what)
            throws CloudException {
        List<T> items = new ArrayList<>();
        Map<String, String> query = new LinkedHashMap<>();
        query.put("limit", Integer.toString(pageLimit));
        for (int page = 1; ; page++) {
            HttpResult result = call(
                    "GET",
                    path,
                    query,
                    Optional.empty(),
                    Optional.empty(),
                    what + (page > 1 ? " (page " + page + ")" : ""));
            if (!result.isSuccess()) {
                throw ApiErrors.from(result, what, call.needs());
            }
            JsonObject body = parse(result, what);
            items.addAll(read(body, itemsField, reader, what));
            Optional<String> start = VpcJson.text(body, "next.href").flatMap(VpcHttp::startToken);
            if (start.isEmpty()) {
                return items;
            }
            if (start.get().equals(query.get("start"))) {
                throw new CloudException(
                        CloudErrorKind.TRANSIENT,
                        result.status(),
                        null,
                        what + ": the API returned the same page twice",
                        null,
                        null);
            }
            query.put("start", start.get());
        }
    }

    /** Items of a collection the API does not paginate. */
    public <T> List<T> unpaginated(
            VpcCall call, String path, String itemsField, Function<JsonObject, T> reader, String what)
            throws CloudException {
        return read(json(call, "GET", path, Optional.empty(), what), itemsField, reader, what);
    }

    private <T> List<T> read(JsonObject body, String itemsField, Function<JsonObject, T> reader, String what)
            throws CloudException {
        try {
            return VpcJson.list(body, itemsField, reader);
        } catch (RuntimeException e) {
            throw malformed(what, e);
        }
    }

    /** The {@code start} token of a {@code next.href}; the client never follows the href's host. */
    static Optional<String> startToken(String href) {
        int question = href.indexOf('?');
        if (question < 0) {
            return Optional.empty();
        }
        for (String pair : href.substring(question + 1).split("&", -1)) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals("start")) {
                return Optional.of(URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    static JsonObject parse(HttpResult result, String what) throws CloudException {
        if (result.body().isBlank()) {
            return new JsonObject();
        }
        try {
            JsonElement element = JsonParser.parseString(result.body());
            if (!element.isJsonObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return element.getAsJsonObject();
        } catch (RuntimeException e) {
            throw malformed(what, e);
        }
    }

    static CloudException malformed(String what, RuntimeException e) {
        return new CloudException(
                CloudErrorKind.TRANSIENT, 0, null, what + ": unexpected answer: " + e.getMessage(), null, e);
    }

    private HttpCall httpCall(
            URI base,
            String method,
            String path,
            Map<String, String> query,
            Optional<String> json,
            Optional<String> ifMatch,
            AccessToken token) {
        StringBuilder url = new StringBuilder(base.toString())
                .append(path)
                .append("?version=")
                .append(encode(apiVersion))
                .append("&generation=2");
        query.forEach((name, value) ->
                url.append('&').append(encode(name)).append('=').append(encode(value)));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + token.value());
        headers.put("Accept", "application/json");
        json.ifPresent(body -> headers.put(
                "Content-Type", method.equals("PATCH") ? "application/merge-patch+json" : "application/json"));
        ifMatch.ifPresent(etag -> headers.put("If-Match", etag));
        return new HttpCall(
                method, URI.create(url.toString()), headers, json.map(body -> body.getBytes(StandardCharsets.UTF_8)));
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
