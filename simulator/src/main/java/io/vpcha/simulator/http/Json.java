package io.vpcha.simulator.http;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.Collection;

/** Small helpers around Gson's tree model. */
public final class Json {
    public static final Gson GSON =
            new GsonBuilder().disableHtmlEscaping().serializeNulls().create();
    public static final Gson PRETTY = new GsonBuilder()
            .disableHtmlEscaping()
            .serializeNulls()
            .setPrettyPrinting()
            .create();

    private Json() {}

    public static Obj object() {
        return new Obj();
    }

    public static JsonArray array(Collection<? extends JsonElement> elements) {
        JsonArray array = new JsonArray();
        elements.forEach(array::add);
        return array;
    }

    public static JsonArray strings(Collection<String> values) {
        JsonArray array = new JsonArray();
        values.forEach(array::add);
        return array;
    }

    public static JsonElement toElement(Object value) {
        if (value == null) {
            return JsonNull.INSTANCE;
        }
        if (value instanceof JsonElement element) {
            return element;
        }
        if (value instanceof Obj obj) {
            return obj.build();
        }
        if (value instanceof String text) {
            return new JsonPrimitive(text);
        }
        if (value instanceof Number number) {
            return new JsonPrimitive(number);
        }
        if (value instanceof Boolean bool) {
            return new JsonPrimitive(bool);
        }
        return new JsonPrimitive(String.valueOf(value));
    }

    /** String member or null when absent or JSON null; 400 when present with another type. */
    public static String string(JsonObject object, String field) {
        JsonElement element = object.get(field);
        if (element == null || element.isJsonNull()) {
            return null;
        }
        if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString()) {
            throw ApiException.badField(field, "The field '" + field + "' must be a string", element);
        }
        return element.getAsString();
    }

    public static JsonObject objectField(JsonObject object, String field) {
        JsonElement element = object.get(field);
        if (element == null || element.isJsonNull()) {
            return null;
        }
        if (!element.isJsonObject()) {
            throw ApiException.badField(field, "The field '" + field + "' must be an object", element);
        }
        return element.getAsJsonObject();
    }

    public static Integer integer(JsonObject object, String field) {
        JsonElement element = object.get(field);
        if (element == null || element.isJsonNull()) {
            return null;
        }
        if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isNumber()) {
            throw ApiException.badField(field, "The field '" + field + "' must be an integer", element);
        }
        double value = element.getAsDouble();
        if (value != Math.rint(value)) {
            throw ApiException.badField(field, "The field '" + field + "' must be an integer", element);
        }
        return element.getAsInt();
    }

    public static Boolean bool(JsonObject object, String field) {
        JsonElement element = object.get(field);
        if (element == null || element.isJsonNull()) {
            return null;
        }
        if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isBoolean()) {
            throw ApiException.badField(field, "The field '" + field + "' must be a boolean", element);
        }
        return element.getAsBoolean();
    }

    /** A fluent JsonObject builder that skips null values. */
    public static final class Obj {
        private final JsonObject object = new JsonObject();

        public Obj put(String name, Object value) {
            if (value != null) {
                object.add(name, toElement(value));
            }
            return this;
        }

        public Obj putNull(String name) {
            object.add(name, JsonNull.INSTANCE);
            return this;
        }

        public JsonObject build() {
            return object;
        }
    }
}
