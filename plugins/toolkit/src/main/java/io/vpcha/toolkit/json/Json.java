package io.vpcha.toolkit.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JSON for the raw API ({@link io.vpcha.spi.cloud.CloudAccess#send}) without a JSON library: reading
 * the host's tree of JDK types ({@link io.vpcha.spi.cloud.ApiResponse#json()}) by path, and writing
 * request bodies from the same kind of tree. A plugin bundles no parser; the host parsed the answer.
 */
public final class Json {
    private Json() {}

    /**
     * The value at a dot-separated path of object fields and list indexes ({@code target.zone.name},
     * {@code routes.0.id}); empty when a step is missing or of another kind. A JSON null is empty too.
     */
    public static Optional<Object> at(Object tree, String path) {
        Object current = tree;
        for (String step : path.split("\\.", -1)) {
            if (current instanceof Map<?, ?> object) {
                current = object.get(step);
            } else if (current instanceof List<?> list && step.matches("\\d{1,9}")) {
                int index = Integer.parseInt(step);
                current = index < list.size() ? list.get(index) : null;
            } else {
                return Optional.empty();
            }
            if (current == null) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(current);
    }

    /** The string at {@code path}; empty when missing or not a string. */
    public static Optional<String> string(Object tree, String path) {
        return at(tree, path).filter(String.class::isInstance).map(String.class::cast);
    }

    /** The integer at {@code path}; empty when missing or not an integer. */
    public static Optional<Long> integer(Object tree, String path) {
        return at(tree, path).filter(Long.class::isInstance).map(Long.class::cast);
    }

    /** The boolean at {@code path}; empty when missing or not a boolean. */
    public static Optional<Boolean> bool(Object tree, String path) {
        return at(tree, path).filter(Boolean.class::isInstance).map(Boolean.class::cast);
    }

    /** The object at {@code path}; empty when missing or not an object. */
    @SuppressWarnings("unchecked") // the host's trees have string keys only
    public static Optional<Map<String, Object>> map(Object tree, String path) {
        return at(tree, path).filter(Map.class::isInstance).map(value -> (Map<String, Object>) value);
    }

    /** The items of the list at {@code path} (JSON nulls left out); empty when missing or not a list. */
    public static List<Object> list(Object tree, String path) {
        Optional<Object> value = at(tree, path);
        if (value.isEmpty() || !(value.get() instanceof List<?> items)) {
            return List.of();
        }
        List<Object> copy = new ArrayList<>();
        for (Object item : items) {
            if (item != null) {
                copy.add(item);
            }
        }
        return List.copyOf(copy);
    }

    /**
     * An object in the order given, for a request body: {@code object("target", object("zone",
     * object("name", "us-south-2")))}. A {@code null} value is written as JSON null (which a merge
     * patch uses to remove a field).
     */
    public static Map<String, Object> object(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs");
        }
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (!(namesAndValues[i] instanceof String name)) {
                throw new IllegalArgumentException("a field name is not a string: " + namesAndValues[i]);
            }
            object.put(name, namesAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(object);
    }

    /** JSON text of a tree of maps (string keys), lists, strings, numbers, booleans and nulls. */
    public static String write(Object tree) {
        StringBuilder text = new StringBuilder();
        write(tree, text);
        return text.toString();
    }

    private static void write(Object value, StringBuilder text) {
        if (value == null) {
            text.append("null");
        } else if (value instanceof String string) {
            quote(string, text);
        } else if (value instanceof Boolean) {
            text.append(value);
        } else if (value instanceof Long
                || value instanceof Integer
                || value instanceof Short
                || value instanceof Byte) {
            text.append(value);
        } else if (value instanceof Number number) {
            BigDecimal decimal = new BigDecimal(number.toString());
            text.append(decimal.toString());
        } else if (value instanceof Map<?, ?> map) {
            text.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String name)) {
                    throw new IllegalArgumentException("a JSON object key is not a string: " + entry.getKey());
                }
                if (!first) {
                    text.append(',');
                }
                first = false;
                quote(name, text);
                text.append(':');
                write(entry.getValue(), text);
            }
            text.append('}');
        } else if (value instanceof List<?> list) {
            text.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    text.append(',');
                }
                write(list.get(i), text);
            }
            text.append(']');
        } else {
            throw new IllegalArgumentException(
                    "not a JSON value: " + value.getClass().getName());
        }
    }

    private static void quote(String string, StringBuilder text) {
        text.append('"');
        for (int i = 0; i < string.length(); i++) {
            char c = string.charAt(i);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                case '\b' -> text.append("\\b");
                case '\f' -> text.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        text.append(String.format("\\u%04x", (int) c));
                    } else {
                        text.append(c);
                    }
                }
            }
        }
        text.append('"');
    }
}
