package io.vpcha.host.cloud.http;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** An HTTP answer: status, headers (names in lower case) and body text. */
public record HttpResult(int status, Map<String, List<String>> headers, String body) {
    public HttpResult {
        requireNonNull(headers, "headers is null");
        requireNonNull(body, "body is null");
        headers = headers.entrySet().stream()
                .filter(entry -> entry.getKey() != null)
                .collect(Collectors.toUnmodifiableMap(
                        entry -> entry.getKey().toLowerCase(Locale.ROOT),
                        entry -> List.copyOf(entry.getValue()),
                        (a, b) -> a));
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
