package io.vpcha.host.cloud.http;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request. {@link #toString()} shows method and URL only: headers carry tokens and bodies
 * may carry keys.
 */
public record HttpCall(String method, URI uri, Map<String, String> headers, Optional<byte[]> body) {
    public HttpCall {
        requireNonNull(method, "method is null");
        requireNonNull(uri, "uri is null");
        headers = Map.copyOf(requireNonNull(headers, "headers is null"));
        requireNonNull(body, "body is null");
    }

    @Override
    public String toString() {
        String query = uri.getRawQuery();
        return method + " " + uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath()
                + (query == null ? "" : "?" + query.replaceAll("(?i)(apikey|token)=[^&]*", "$1=***"));
    }
}
