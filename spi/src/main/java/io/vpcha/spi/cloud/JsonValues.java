package io.vpcha.spi.cloud;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Checks and freezes the JSON trees and headers of an {@link ApiResponse}. */
final class JsonValues {
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private JsonValues() {}

    /** A deep, unmodifiable copy of a tree of JDK JSON types, numbers as Long or BigDecimal. */
    static Object freeze(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number number) {
            return number(number);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, item) -> {
                if (!(key instanceof String name)) {
                    throw new IllegalArgumentException("a JSON object key is not a string: " + key);
                }
                copy.put(name, freeze(item));
            });
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(freeze(item)));
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException(
                "not a JSON value: " + value.getClass().getName() + " (use maps, lists, strings, numbers, booleans)");
    }

    private static Number number(Number number) {
        if (number instanceof Long) {
            return number;
        }
        if (number instanceof Integer || number instanceof Short || number instanceof Byte) {
            return number.longValue();
        }
        BigDecimal decimal;
        if (number instanceof BigDecimal exact) {
            decimal = exact;
        } else if (number instanceof BigInteger integer) {
            decimal = new BigDecimal(integer);
        } else if (number instanceof Double || number instanceof Float) {
            double value = number.doubleValue();
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("not a JSON number: " + value);
            }
            decimal = BigDecimal.valueOf(value);
        } else {
            decimal = new BigDecimal(number.toString());
        }
        boolean integral = decimal.signum() == 0 || decimal.stripTrailingZeros().scale() <= 0;
        if (integral && decimal.compareTo(LONG_MIN) >= 0 && decimal.compareTo(LONG_MAX) <= 0) {
            return decimal.longValueExact();
        }
        return decimal;
    }

    /** Header names in lower case, each with an unmodifiable list of values. */
    static Map<String, List<String>> headers(Map<String, List<String>> headers) {
        requireNonNull(headers, "headers is null");
        Map<String, List<String>> copy = new TreeMap<>();
        headers.forEach((name, values) -> {
            if (name != null && values != null) {
                copy.merge(name.toLowerCase(Locale.ROOT), List.copyOf(values), (a, b) -> {
                    List<String> both = new ArrayList<>(a);
                    both.addAll(b);
                    return List.copyOf(both);
                });
            }
        });
        return Collections.unmodifiableMap(copy);
    }
}
