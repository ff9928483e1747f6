package io.vpcha.simulator.http;

import com.google.gson.JsonElement;
import java.util.LinkedHashMap;
import java.util.Map;

/** A handler's answer: status, optional JSON body, extra headers. */
public final class Response {
    private final int status;
    private final JsonElement body;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private boolean pretty;

    private Response(int status, JsonElement body) {
        this.status = status;
        this.body = body;
    }

    public static Response of(int status, JsonElement body) {
        return new Response(status, body);
    }

    public static Response ok(JsonElement body) {
        return new Response(200, body);
    }

    public static Response ok(Json.Obj body) {
        return new Response(200, body.build());
    }

    public static Response created(JsonElement body) {
        return new Response(201, body);
    }

    public static Response created(Json.Obj body) {
        return new Response(201, body.build());
    }

    public static Response noContent() {
        return new Response(204, null);
    }

    public Response header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Response etag(String etag) {
        return header("ETag", etag);
    }

    public Response pretty() {
        this.pretty = true;
        return this;
    }

    public int status() {
        return status;
    }

    public JsonElement body() {
        return body;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public boolean isPretty() {
        return pretty;
    }
}
