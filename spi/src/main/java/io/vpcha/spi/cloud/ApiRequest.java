package io.vpcha.spi.cloud;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A request to the VPC API, relative to its base URL (e.g. {@code /vpcs/r006-1/routing_tables}); the
 * host adds the version and generation query parameters and the authorization. Build one with
 * {@link #get(String)}, {@link #delete(String)} or {@link #builder(String, String)}.
 *
 * @param method GET, POST, PUT, PATCH or DELETE
 * @param path the path below the API's {@code /v1}, starting with a slash
 * @param query extra query parameters
 * @param jsonBody the JSON body of a POST, PUT or PATCH (a PATCH is sent as merge-patch)
 * @param ifMatch an ETag for optimistic locking, where the API supports it
 */
public record ApiRequest(
        String method, String path, Map<String, String> query, Optional<String> jsonBody, Optional<String> ifMatch) {
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    /**
     * The canonical constructor.
     *
     * @deprecated the components of this record may grow in a later SPI, and a plugin calling this
     *     constructor would then fail to link; use {@link #builder(String, String)} or the factories
     */
    @Deprecated
    public ApiRequest {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        query = Map.copyOf(requireNonNull(query, "query is null"));
        requireNonNull(jsonBody, "jsonBody is null");
        requireNonNull(ifMatch, "ifMatch is null");
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("method " + method + " is not one of " + METHODS);
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path does not start with /: " + path);
        }
    }

    public static ApiRequest get(String path) {
        return builder("GET", path).build();
    }

    /**
     * A DELETE.
     *
     * @since 1.1
     */
    public static ApiRequest delete(String path) {
        return builder("DELETE", path).build();
    }

    /**
     * A PATCH with a merge-patch body.
     *
     * @since 1.1
     */
    public static ApiRequest patch(String path, String jsonBody) {
        return builder("PATCH", path).jsonBody(jsonBody).build();
    }

    /**
     * A POST with a JSON body.
     *
     * @since 1.1
     */
    public static ApiRequest post(String path, String jsonBody) {
        return builder("POST", path).jsonBody(jsonBody).build();
    }

    /**
     * A request of any method; only method and path are needed.
     *
     * @since 1.1
     */
    public static Builder builder(String method, String path) {
        return new Builder(method, path);
    }

    /**
     * Builds an {@link ApiRequest}.
     *
     * @since 1.1
     */
    public static final class Builder {
        private final String method;
        private final String path;
        private final Map<String, String> query = new LinkedHashMap<>();
        private String jsonBody;
        private String ifMatch;

        private Builder(String method, String path) {
            this.method = requireNonNull(method, "method is null");
            this.path = requireNonNull(path, "path is null");
        }

        public Builder query(String name, String value) {
            query.put(requireNonNull(name, "name is null"), requireNonNull(value, "value is null"));
            return this;
        }

        public Builder jsonBody(String jsonBody) {
            this.jsonBody = requireNonNull(jsonBody, "jsonBody is null");
            return this;
        }

        public Builder ifMatch(String etag) {
            this.ifMatch = requireNonNull(etag, "etag is null");
            return this;
        }

        public ApiRequest build() {
            return new ApiRequest(method, path, query, Optional.ofNullable(jsonBody), Optional.ofNullable(ifMatch));
        }
    }
}
