package io.vpcha.spi;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The type of a declared parameter. It decides how a value is checked before any action runs, how
 * the parameter appears in the OCF meta-data, and how it is described to the administrator.
 */
public enum ParameterType {
    STRING("string", "a string"),
    INTEGER("integer", "an integer"),
    /** yes/no, true/false, on/off, 1/0, in any case, as resource-agents' ocf_is_true accepts. */
    BOOLEAN("boolean", "a boolean (true or false)"),
    IPV4_ADDRESS("string", "an IPv4 address"),
    /** An IPv4 CIDR block with its host bits zero, or a single address (taken as /32). */
    IPV4_CIDR("string", "an IPv4 address or CIDR block"),
    /** A comma-separated list of non-empty items. */
    LIST("string", "a comma-separated list"),
    /** A comma-separated list of key=value pairs with distinct keys, e.g. node1=10.0.1.4,node2=10.0.2.4. */
    MAP("string", "a comma-separated list of key=value pairs"),
    /** One of the declared allowed values. */
    ENUM("string", "one of the allowed values");

    private static final Set<String> TRUE_WORDS = Set.of("yes", "true", "on", "1");
    private static final Set<String> FALSE_WORDS = Set.of("no", "false", "off", "0");

    private final String ocfContentType;
    private final String description;

    ParameterType(String ocfContentType, String description) {
        this.ocfContentType = ocfContentType;
        this.description = description;
    }

    /** The {@code <content type="...">} of this type in OCF meta-data. */
    public String ocfContentType() {
        return ocfContentType;
    }

    /** What a value of this type looks like, for documentation ("an IPv4 address"). */
    public String description() {
        return description;
    }

    /**
     * Why {@code value} is not a valid value of this type, or empty when it is.
     *
     * @param allowedValues the allowed values of an {@link #ENUM}; ignored by other types
     */
    public Optional<String> problem(String value, List<String> allowedValues) {
        if (value == null) {
            return Optional.of("no value");
        }
        return switch (this) {
            case STRING -> Optional.empty();
            case INTEGER -> integerProblem(value);
            case BOOLEAN ->
                parseBoolean(value).isPresent()
                        ? Optional.empty()
                        : Optional.of("'" + value + "' is not a boolean (use true or false)");
            case IPV4_ADDRESS ->
                Ipv4.parseAddress(value.trim()).isPresent()
                        ? Optional.empty()
                        : Optional.of("'" + value + "' is not an IPv4 address");
            case IPV4_CIDR -> Ipv4.cidrProblem(value.trim());
            case LIST ->
                splitList(value).contains("") ? Optional.of("'" + value + "' has an empty item") : Optional.empty();
            case MAP -> mapProblem(value);
            case ENUM ->
                allowedValues.contains(value.trim())
                        ? Optional.empty()
                        : Optional.of("'" + value + "' is not one of " + String.join(", ", allowedValues));
        };
    }

    private static Optional<String> integerProblem(String value) {
        try {
            Long.parseLong(value.trim());
            return Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.of("'" + value + "' is not an integer");
        }
    }

    /** The boolean a BOOLEAN value stands for, or empty when it is not one. */
    public static Optional<Boolean> parseBoolean(String value) {
        String word = value.trim().toLowerCase(Locale.ROOT);
        if (TRUE_WORDS.contains(word)) {
            return Optional.of(Boolean.TRUE);
        }
        if (FALSE_WORDS.contains(word)) {
            return Optional.of(Boolean.FALSE);
        }
        return Optional.empty();
    }

    /** The items of a LIST or MAP value, trimmed; an empty or blank value has none. */
    public static List<String> splitList(String value) {
        if (value.isBlank()) {
            return List.of();
        }
        return List.of(value.trim().split("\\s*,\\s*", -1));
    }

    private static Optional<String> mapProblem(String value) {
        Set<String> keys = new HashSet<>();
        for (String item : splitList(value)) {
            int equals = item.indexOf('=');
            if (equals <= 0 || equals == item.length() - 1) {
                return Optional.of("'" + item + "' is not key=value");
            }
            String key = item.substring(0, equals).trim();
            if (!keys.add(key)) {
                return Optional.of("key '" + key + "' appears twice");
            }
        }
        return Optional.empty();
    }
}
