package io.vpcha.host.cloud.http;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * HTTP through java.net.http, used for what {@code HttpURLConnection} cannot send (PATCH). Created
 * on first use only, so actions that never PATCH (monitor, probe, stop) do not pay its start-up.
 */
public final class JdkHttpClientTransport implements HttpTransport {
    private final Optional<SSLContext> sslContext;
    private HttpClient client;

    public JdkHttpClientTransport(Optional<SSLContext> sslContext) {
        this.sslContext = requireNonNull(sslContext, "sslContext is null");
    }

    @Override
    public HttpResult execute(HttpCall call, Duration timeout) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(call.uri())
                .timeout(timeout)
                .method(
                        call.method(),
                        call.body()
                                .map(HttpRequest.BodyPublishers::ofByteArray)
                                .orElseGet(HttpRequest.BodyPublishers::noBody));
        call.headers().forEach(request::header);
        try {
            HttpResponse<String> response = client(timeout).send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new HttpResult(response.statusCode(), response.headers().map(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    private synchronized HttpClient client(Duration timeout) {
        if (client == null) {
            HttpClient.Builder builder = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NEVER);
            sslContext.ifPresent(builder::sslContext);
            client = builder.build();
        }
        return client;
    }
}
