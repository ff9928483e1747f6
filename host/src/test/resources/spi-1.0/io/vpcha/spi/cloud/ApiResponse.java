package io.vpcha.spi.cloud;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The VPC API's answer: the HTTP status, the JSON body (empty for 204) and the ETag when there is one.
 */
public record ApiResponse(int status, String jsonBody, Optional<String> etag) {
    public ApiResponse {
        requireNonNull(jsonBody, "jsonBody is null");
        requireNonNull(etag, "etag is null");
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status " + status + " is not an HTTP status");
        }
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
