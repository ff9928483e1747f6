package io.vpcha.spi;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The values of a strategy's declared parameters for one resource: already checked against their
 * declarations, aliases resolved to canonical names, defaults applied. Immutable.
 *
 * <p>Asking for a parameter that was not declared is a programming error
 * ({@link IllegalArgumentException}); asking for one that is declared but unset gives an empty
 * optional, an empty list or map, or {@code false}.
 */
public final class ParameterValues {
    private final Map<String, ParameterSpec> specs;
    private final Map<String, String> values;
    private final Map<String, String> explicitValues;

    private ParameterValues(
            Map<String, ParameterSpec> specs, Map<String, String> values, Map<String, String> explicitValues) {
        this.specs = specs;
        this.values = values;
        this.explicitValues = explicitValues;
    }

    /**
     * Checks {@code explicitValues} (canonical names only) against {@code specs} and applies defaults.
     *
     * @throws IllegalArgumentException naming every problem: an undeclared name, a bad value, a
     *     missing required parameter
     */
    public static ParameterValues of(List<ParameterSpec> specs, Map<String, String> explicitValues) {
        requireNonNull(specs, "specs is null");
        requireNonNull(explicitValues, "explicitValues is null");
        Map<String, ParameterSpec> byName = specs.stream()
                .collect(Collectors.toMap(
                        ParameterSpec::name,
                        Function.identity(),
                        (a, b) -> {
                            throw new IllegalArgumentException("parameter " + a.name() + " is declared twice");
                        },
                        LinkedHashMap::new));
        List<String> problems = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        explicitValues.forEach((name, value) -> {
            ParameterSpec spec = byName.get(name);
            if (spec == null) {
                problems.add(name + ": not a declared parameter");
                return;
            }
            spec.problem(value).ifPresentOrElse(problems::add, () -> values.put(name, value.trim()));
        });
        for (ParameterSpec spec : byName.values()) {
            if (!values.containsKey(spec.name())) {
                if (spec.required() && !explicitValues.containsKey(spec.name())) {
                    problems.add(spec.name() + ": required but not set");
                }
                spec.defaultValue().ifPresent(value -> values.putIfAbsent(spec.name(), value));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        Map<String, String> explicit = new LinkedHashMap<>(explicitValues);
        explicit.replaceAll((name, value) -> value.trim());
        return new ParameterValues(Map.copyOf(byName), Map.copyOf(values), Map.copyOf(explicit));
    }

    /** The declarations these values were checked against. */
    public List<ParameterSpec> specs() {
        return List.copyOf(specs.values());
    }

    /** The value, explicit or default. */
    public Optional<String> string(String name) {
        spec(name);
        return Optional.ofNullable(values.get(name));
    }

    /** The value; the caller knows it is required or has a default. */
    public String require(String name) {
        return string(name).orElseThrow(() -> new IllegalStateException(name + " has no value and no default"));
    }

    public OptionalLong integer(String name) {
        checkType(name, ParameterType.INTEGER);
        String value = values.get(name);
        return value == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value));
    }

    /** The boolean value; {@code false} when unset without a default. */
    public boolean flag(String name) {
        checkType(name, ParameterType.BOOLEAN);
        String value = values.get(name);
        return value != null && ParameterType.parseBoolean(value).orElseThrow();
    }

    /** The items of a LIST value; empty when unset. */
    public List<String> list(String name) {
        checkType(name, ParameterType.LIST);
        String value = values.get(name);
        return value == null ? List.of() : ParameterType.splitList(value);
    }

    /** The pairs of a MAP value in their given order; empty when unset. */
    public Map<String, String> map(String name) {
        checkType(name, ParameterType.MAP);
        String value = values.get(name);
        Map<String, String> map = new LinkedHashMap<>();
        if (value != null) {
            for (String item : ParameterType.splitList(value)) {
                int equals = item.indexOf('=');
                map.put(
                        item.substring(0, equals).trim(),
                        item.substring(equals + 1).trim());
            }
        }
        return Collections.unmodifiableMap(map);
    }

    /** Whether the resource set this parameter itself (rather than taking its default). */
    public boolean isExplicit(String name) {
        spec(name);
        return explicitValues.containsKey(name);
    }

    /** The names and values, secrets masked: safe to log. */
    @Override
    public String toString() {
        return values.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> entry.getKey() + "=" + (specs.get(entry.getKey()).sensitive() ? "***" : entry.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private ParameterSpec spec(String name) {
        ParameterSpec spec = specs.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("parameter " + name + " is not declared");
        }
        return spec;
    }

    private void checkType(String name, ParameterType expected) {
        ParameterSpec spec = spec(name);
        if (spec.type() != expected) {
            throw new IllegalArgumentException("parameter " + name + " is " + spec.type() + ", not " + expected);
        }
    }
}
