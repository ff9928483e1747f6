package io.vpcha.spi.cloud;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The VPC API's answer to an {@link ApiRequest}: the HTTP status, the body as text and as a JSON tree
 * the host parsed, the ETag, and the headers.
 *
 * <p>The tree is made of JDK types only, so a plugin needs no JSON library for an endpoint the typed
 * {@link VpcApi} lacks: a JSON object is a {@code Map<String, Object>} (keys in the order of the
 * answer), an array a {@code List<Object>}, a string a {@link String}, a number a {@link Long} when
 * it is an integer that fits one and a {@link java.math.BigDecimal} otherwise, {@code true}/{@code
 * false} a {@link Boolean}, and {@code null} a {@code null} element. Every map and list is
 * unmodifiable.
 *
 * @param jsonBody the body as text (empty for 204)
 * @param etag the ETag header, for {@link ApiRequest#ifMatch()}
 * @param headers every header, names in lower case (since 1.1)
 * @param json the parsed body; empty when there is none or it is not JSON (since 1.1)
 */
public record ApiResponse(
        int status, String jsonBody, Optional<String> etag, Map<String, List<String>> headers, Optional<Object> json) {

    /**
     * The canonical constructor, for the host. Plugins read responses; a test's fake builds one with
     * {@link #of(int, String, Map, Object)}.
     *
     * @deprecated the components of this record may grow; use {@link #of(int, String, Map, Object)}
     */
    @Deprecated
    public ApiResponse {
        requireNonNull(jsonBody, "jsonBody is null");
        requireNonNull(etag, "etag is null");
        requireNonNull(headers, "headers is null");
        requireNonNull(json, "json is null");
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status " + status + " is not an HTTP status");
        }
        headers = JsonValues.headers(headers);
        json = json.map(JsonValues::freeze);
    }

    /**
     * The constructor of SPI 1.0: no headers but the ETag, no parsed body.
     *
     * @deprecated kept for plugins built against SPI 1.0; use {@link #of(int, String, Map, Object)}
     */
    @Deprecated
    public ApiResponse(int status, String jsonBody, Optional<String> etag) {
        this(
                status,
                jsonBody,
                etag,
                etag.map(value -> Map.of("etag", List.of(value))).orElse(Map.of()),
                Optional.empty());
    }

    /**
     * An answer as the host makes one.
     *
     * @param headers by name, any case; the ETag is taken from them
     * @param json the parsed body as described above, or {@code null} when there is none
     * @since 1.1
     */
    public static ApiResponse of(int status, String jsonBody, Map<String, List<String>> headers, Object json) {
        Map<String, List<String>> normalised = JsonValues.headers(headers);
        Optional<String> etag = Optional.ofNullable(normalised.get("etag"))
                .filter(values -> !values.isEmpty())
                .map(values -> values.get(0));
        return new ApiResponse(status, jsonBody, etag, normalised, Optional.ofNullable(json));
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /**
     * The first value of a header, by name in any case.
     *
     * @since 1.1
     */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /**
     * The body as a JSON object: an empty map when there is no body (204).
     *
     * @throws IllegalStateException when the body is another JSON value or no JSON at all
     * @since 1.1
     */
    @SuppressWarnings("unchecked") // the constructor admits only Map<String, Object> for a JSON object
    public Map<String, Object> jsonObject() {
        if (json.isEmpty()) {
            if (jsonBody.isBlank()) {
                return Map.of();
            }
            throw new IllegalStateException("the body of the answer (HTTP " + status + ") is not JSON");
        }
        if (!(json.get() instanceof Map<?, ?> object)) {
            throw new IllegalStateException("the body of the answer (HTTP " + status + ") is not a JSON object");
        }
        return (Map<String, Object>) object;
    }
}
