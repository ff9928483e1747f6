package io.vpcha.simulator.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One incoming call as the handlers see it. */
public final class Request {
    private final HttpExchange exchange;
    private final String method;
    private final String path;
    private final Map<String, String> query;
    private final String trace;
    private Map<String, String> pathParameters = Map.of();
    private byte[] body;

    /** Set by the dispatcher: who is calling (see {@link CallContext}). */
    private final CallContext context = new CallContext();

    public Request(HttpExchange exchange, String trace) {
        this.exchange = exchange;
        this.method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        this.path = normalise(exchange.getRequestURI().getRawPath());
        this.query = parseQuery(exchange.getRequestURI().getRawQuery());
        this.trace = trace;
    }

    private static String normalise(String rawPath) {
        String decoded = rawPath == null ? "/" : decode(rawPath.replace("+", "%2B"));
        if (decoded.length() > 1 && decoded.endsWith("/")) {
            decoded = decoded.substring(0, decoded.length() - 1);
        }
        return decoded;
    }

    public static Map<String, String> parseQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Map.of();
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            result.putIfAbsent(name, value);
        }
        return Collections.unmodifiableMap(result);
    }

    /** URL-decodes, keeping malformed escapes as they are (the handler then reports not found / invalid). */
    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public String trace() {
        return trace;
    }

    public Map<String, String> query() {
        return query;
    }

    public String query(String name) {
        return query.get(name);
    }

    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    public String remoteAddress() {
        return exchange.getRemoteAddress().getAddress().getHostAddress();
    }

    public int localPort() {
        return exchange.getLocalAddress().getPort();
    }

    public CallContext context() {
        return context;
    }

    public void setPathParameters(Map<String, String> pathParameters) {
        this.pathParameters = Map.copyOf(pathParameters);
    }

    public String pathParameter(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalStateException("no path parameter " + name);
        }
        return value;
    }

    public byte[] body() {
        if (body == null) {
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return body;
    }

    public String bodyText() {
        return new String(body(), StandardCharsets.UTF_8);
    }

    public boolean hasBody() {
        return !bodyText().isBlank();
    }

    /** The body as a JSON object; 400 when it is not one. An empty body gives an empty object. */
    public JsonObject jsonBody() {
        String text = bodyText();
        if (text.isBlank()) {
            return new JsonObject();
        }
        try {
            JsonElement element = JsonParser.parseString(text);
            if (!element.isJsonObject()) {
                throw new ApiException(400, "bad_request", "The request body must be a JSON object");
            }
            return element.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new ApiException(400, "bad_request", "The request body is not valid JSON");
        }
    }

    /** The media type of the body without parameters, lower case, or "" when absent. */
    public String contentType() {
        String value = header("Content-Type");
        if (value == null) {
            return "";
        }
        int semicolon = value.indexOf(';');
        return (semicolon < 0 ? value : value.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** Enforces {@code If-Match} against the resource's current ETag (412 on mismatch). */
    public void checkIfMatch(String currentEtag) {
        String ifMatch = header("If-Match");
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return;
        }
        String wanted = stripWeak(ifMatch.trim());
        if (!wanted.equals(stripWeak(currentEtag))) {
            throw new ApiException(
                    412,
                    "precondition_failed",
                    "The provided If-Match value does not match the current ETag of the resource",
                    "If-Match",
                    "header",
                    ifMatch);
        }
    }

    private static String stripWeak(String etag) {
        return etag.startsWith("W/") ? etag.substring(2) : etag;
    }

    /** Who is calling: filled in by the dispatcher before faults and handlers run. */
    public static final class CallContext {
        private volatile String callerInstanceId;
        private volatile String credentialKind = "none";
        private volatile Object principal;
        private volatile long applyDelayNanos;

        public String callerInstanceId() {
            return callerInstanceId;
        }

        public void setCallerInstanceId(String callerInstanceId) {
            this.callerInstanceId = callerInstanceId;
        }

        public String credentialKind() {
            return credentialKind;
        }

        public void setCredentialKind(String credentialKind) {
            this.credentialKind = credentialKind;
        }

        public Object principal() {
            return principal;
        }

        public void setPrincipal(Object principal) {
            this.principal = principal;
        }

        /** A "delay before the change takes effect" fault matched this call. */
        public long applyDelayNanos() {
            return applyDelayNanos;
        }

        public void setApplyDelayNanos(long applyDelayNanos) {
            this.applyDelayNanos = applyDelayNanos;
        }
    }
}
