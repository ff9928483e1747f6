package io.vpcha.host.cloud.http;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

/**
 * HTTP through {@link HttpURLConnection}: the cheapest client to start in a cold JVM (measured at
 * about a third of java.net.http's start-up), which matters because every OCF action is a new JVM.
 * It cannot send PATCH; {@link MethodRoutingTransport} sends those through {@link JdkHttpClientTransport}.
 * Keep-alive connections are reused within the process.
 */
public final class UrlConnectionTransport implements HttpTransport {
    private final Optional<SSLContext> sslContext;

    public UrlConnectionTransport(Optional<SSLContext> sslContext) {
        this.sslContext = requireNonNull(sslContext, "sslContext is null");
    }

    @Override
    public HttpResult execute(HttpCall call, Duration timeout) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) call.uri().toURL().openConnection();
        if (connection instanceof HttpsURLConnection https && sslContext.isPresent()) {
            https.setSSLSocketFactory(sslContext.get().getSocketFactory());
        }
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        connection.setConnectTimeout(millis);
        connection.setReadTimeout(millis);
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setRequestMethod(call.method());
        for (Map.Entry<String, String> header : call.headers().entrySet()) {
            connection.setRequestProperty(header.getKey(), header.getValue());
        }
        if (call.body().isPresent()) {
            byte[] body = call.body().get();
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
        } else if (call.method().equals("PUT") || call.method().equals("POST")) {
            // a body-less PUT/POST still needs Content-Length: 0
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(0);
            connection.getOutputStream().close();
        }
        int status = connection.getResponseCode();
        InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        String body = "";
        if (stream != null) {
            try (stream) {
                body = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return new HttpResult(status, connection.getHeaderFields(), body);
    }
}
