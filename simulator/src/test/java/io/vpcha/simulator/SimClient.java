package io.vpcha.simulator;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** A small hand-written client for the tests: real HTTP on loopback with the JDK's HttpClient. */
final class SimClient {
    static final String VERSION = "version=2026-03-24&generation=2";

    private final VpcSimulator simulator;
    private final HttpClient http;
    private String token;

    SimClient(VpcSimulator simulator) {
        this(
                simulator,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    SimClient(VpcSimulator simulator, HttpClient http) {
        this.simulator = simulator;
        this.http = http;
    }

    HttpClient http() {
        return http;
    }

    /** Gets and keeps an IAM token for the API key; returns this. */
    SimClient login(String apikey) {
        Reply reply = iamToken(apikey);
        if (reply.status() != 200) {
            throw new AssertionError("login failed: " + reply);
        }
        token = reply.json().get("access_token").getAsString();
        return this;
    }

    SimClient withToken(String token) {
        this.token = token;
        return this;
    }

    String token() {
        return token;
    }

    Reply iamToken(String apikey) {
        String form =
                "grant_type=" + URLEncoder.encode("urn:ibm:params:oauth:grant-type:apikey", StandardCharsets.UTF_8)
                        + "&apikey=" + URLEncoder.encode(apikey, StandardCharsets.UTF_8) + "&response_type=cloud_iam";
        return send(HttpRequest.newBuilder(URI.create(simulator.iamUrl() + "/identity/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    /** A VPC path such as "/vpcs"; version and generation are added. */
    URI vpc(String path) {
        String separator = path.contains("?") ? "&" : "?";
        return URI.create(simulator.vpcUrl() + path + separator + VERSION);
    }

    /** An authorised request to an absolute URL, taken as it is (no version added). */
    HttpRequest.Builder requestFor(String url) {
        return authorised(URI.create(url));
    }

    Reply get(String path) {
        return send(authorised(vpc(path)).GET());
    }

    /** GET of an absolute href (for example a next page), adding version and generation. */
    Reply getHref(String href) {
        return send(authorised(URI.create(href + (href.contains("?") ? "&" : "?") + VERSION))
                .GET());
    }

    Reply post(String path, String json) {
        return send(authorised(vpc(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Reply put(String path) {
        return send(authorised(vpc(path)).PUT(HttpRequest.BodyPublishers.noBody()));
    }

    Reply put(String path, String json) {
        return send(authorised(vpc(path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    Reply patch(String path, String json) {
        return patch(path, json, null);
    }

    Reply patch(String path, String json, String ifMatch) {
        HttpRequest.Builder builder = authorised(vpc(path))
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json));
        if (ifMatch != null) {
            builder.header("If-Match", ifMatch);
        }
        return send(builder);
    }

    Reply delete(String path) {
        return send(authorised(vpc(path)).DELETE());
    }

    Reply admin(String method, String path, String json) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(simulator.iamUrl() + path)).timeout(Duration.ofSeconds(10));
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        return send(builder.method(
                method,
                json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpRequest.Builder authorised(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    Reply send(HttpRequest.Builder builder) {
        try {
            return Reply.of(http.send(builder.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Ids by name, through the API. */
    String vpcId() {
        return get("/vpcs")
                .json()
                .getAsJsonArray("vpcs")
                .get(0)
                .getAsJsonObject()
                .get("id")
                .getAsString();
    }

    String tableId(String name) {
        for (JsonElement table :
                get("/vpcs/" + vpcId() + "/routing_tables").json().getAsJsonArray("routing_tables")) {
            if (table.getAsJsonObject().get("name").getAsString().equals(name)) {
                return table.getAsJsonObject().get("id").getAsString();
            }
        }
        throw new AssertionError("no routing table " + name);
    }

    String routesPath(String table) {
        return "/vpcs/" + vpcId() + "/routing_tables/" + tableId(table) + "/routes";
    }

    JsonObject routeByName(String table, String name) {
        for (JsonElement route : get(routesPath(table) + "?limit=100").json().getAsJsonArray("routes")) {
            if (route.getAsJsonObject().get("name").getAsString().equals(name)) {
                return route.getAsJsonObject();
            }
        }
        throw new AssertionError("no route " + name);
    }

    record Reply(int status, JsonElement body, HttpResponse<String> raw) {
        static Reply of(HttpResponse<String> response) {
            JsonElement body = response.body() == null || response.body().isBlank()
                    ? null
                    : JsonParser.parseString(response.body());
            return new Reply(response.statusCode(), body, response);
        }

        JsonObject json() {
            if (body == null || !body.isJsonObject()) {
                throw new AssertionError("no JSON object in reply " + status + ": " + raw.body());
            }
            return body.getAsJsonObject();
        }

        Optional<String> header(String name) {
            return raw.headers().firstValue(name);
        }

        /** The first VPC error code. */
        String errorCode() {
            return json().getAsJsonArray("errors")
                    .get(0)
                    .getAsJsonObject()
                    .get("code")
                    .getAsString();
        }

        @Override
        public String toString() {
            return status + " " + raw.body();
        }
    }
}
