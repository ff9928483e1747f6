package io.vpcha.spi.cloud;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A request to the VPC API, relative to its base URL (e.g. {@code /vpcs/r006-1/routing_tables}); the
 * host adds the version and generation query parameters and the authorization.
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
        return new ApiRequest("GET", path, Map.of(), Optional.empty(), Optional.empty());
    }
}
