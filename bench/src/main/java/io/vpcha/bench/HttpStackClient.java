package io.vpcha.bench;

import io.vpcha.host.cloud.http.HttpCall;
import io.vpcha.host.cloud.http.HttpResult;
import io.vpcha.host.cloud.http.SocketTransport;
import io.vpcha.host.cloud.http.SystemTrust;
import io.vpcha.host.cloud.http.TlsTrust;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * One cold JVM making a monitor's and a failover's kind of requests (GET, PATCH, GET) over TLS with one
 * HTTP client, then exiting as the agent does ({@code System.exit}): what {@link HttpStacks} times.
 * Every client gets its trust from the host's {@link TlsTrust} and hands its answers over as the host's
 * {@link HttpResult}, as the agent's transports do, so that only the HTTP stack differs. Arguments: client, base URL of the API (ending in /v1), CA file. The answers do not matter (no token
 * is sent): each request is a full exchange all the same.
 */
public final class HttpStackClient {
    private HttpStackClient() {}

    public static void main(String[] args) throws Exception {
        String client = args[0];
        String base = args[1];
        Path ca = Path.of(args[2]);
        URI get = URI.create(base + "/floating_ips?version=2026-03-24&generation=2");
        URI patch = URI.create(base + "/floating_ips/r006-x?version=2026-03-24&generation=2");
        byte[] body = "{\"target\":{\"id\":\"x\"}}".getBytes(StandardCharsets.UTF_8);
        StringBuilder statuses = new StringBuilder();
        switch (client) {
            case "vpc-ha" -> {
                try (SocketTransport transport = new SocketTransport(Optional.of(ca))) {
                    Duration timeout = Duration.ofSeconds(10);
                    statuses.append(
                            transport.execute(call("GET", get, null), timeout).status());
                    statuses.append(' ')
                            .append(transport
                                    .execute(call("PATCH", patch, body), timeout)
                                    .status());
                    statuses.append(' ')
                            .append(transport
                                    .execute(call("GET", get, null), timeout)
                                    .status());
                }
            }
            case "url-connection" -> {
                SSLSocketFactory factory = context(ca).getSocketFactory();
                for (int i = 0; i < 3; i++) {
                    statuses.append(urlConnection(get, factory)).append(' ');
                }
            }
            case "url-connection+java.net.http" -> {
                SSLContext context = context(ca);
                SSLSocketFactory factory = context.getSocketFactory();
                statuses.append(urlConnection(get, factory)).append(' ');
                statuses.append(jdk(jdkClient(context), patch, body)).append(' ');
                statuses.append(urlConnection(get, factory));
                stopSelectors();
            }
            case "java.net.http", "java.net.http, selector left running" -> {
                HttpClient http = jdkClient(context(ca));
                statuses.append(jdk(http, get, null)).append(' ');
                statuses.append(jdk(http, patch, body)).append(' ');
                statuses.append(jdk(http, get, null));
                if (client.equals("java.net.http")) {
                    stopSelectors();
                }
            }
            default -> throw new IllegalArgumentException("unknown client " + client);
        }
        System.out.println(statuses);
        System.exit(0);
    }

    private static HttpCall call(String method, URI uri, byte[] body) {
        return new HttpCall(method, uri, Map.of("Accept", "application/json"), Optional.ofNullable(body));
    }

    private static SSLContext context(Path ca) throws Exception {
        return TlsTrust.sslContext(Optional.of(ca), SystemTrust.uncached());
    }

    private static int urlConnection(URI uri, SSLSocketFactory factory) throws IOException {
        HttpsURLConnection connection = (HttpsURLConnection) uri.toURL().openConnection();
        connection.setSSLSocketFactory(factory);
        connection.setConnectTimeout(10_000);
        connection.setReadTimeout(10_000);
        connection.setRequestProperty("Accept", "application/json");
        int status = connection.getResponseCode();
        InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        String body = "";
        if (in != null) {
            try (in) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return new HttpResult(status, connection.getHeaderFields(), body).status();
    }

    private static HttpClient jdkClient(SSLContext context) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(context)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    private static int jdk(HttpClient client, URI uri, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json")
                .method(
                        body == null ? "GET" : "PATCH",
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new HttpResult(response.statusCode(), response.headers().map(), response.body()).status();
    }

    /**
     * JDK 17's HttpClient cannot be closed; its selector thread, blocked in native I/O, holds the exiting
     * JVM for about 300 ms unless interrupted.
     */
    private static void stopSelectors() {
        Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().endsWith("SelectorManager"))
                .forEach(Thread::interrupt);
    }
}
