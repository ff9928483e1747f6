package io.vpcha.spi;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * One declared parameter of a strategy (or of the host). Declared once, this is the single source of
 * the OCF meta-data, the checks run before every action, the {@code describe} output and the docs.
 *
 * @param name the parameter name, as in {@code OCF_RESKEY_<name>}: lower case, digits and underscores
 * @param type how values are checked and shown
 * @param shortDescription one line, no trailing period
 * @param longDescription what it does, when to set it, what the default means
 * @param required whether a resource must set it
 * @param defaultValue the value used when a resource does not set it (Pacemaker does not pass
 *     meta-data defaults to agents: the host applies them)
 * @param allowedValues the values of an {@link ParameterType#ENUM}; empty for other types
 * @param uniqueGroup resources of one strategy must not share the combination of values of the
 *     parameters in this OCF 1.1 unique-group (e.g. two resources for one VIP)
 * @param reloadable a change takes effect through reload-agent, without a restart
 * @param sensitive a secret: never logged, never shown, marked private so Pacemaker keeps it out of
 *     operation digests
 * @param deprecatedAliases older names accepted for this parameter (with a warning), e.g. those of
 *     the agents vpc-ha replaces
 * @param minimum the least value of an {@link ParameterType#INTEGER}, when it has one (since 1.1)
 * @param maximum the greatest value of an {@link ParameterType#INTEGER}, when it has one (since 1.1)
 */
public record ParameterSpec(
        String name,
        ParameterType type,
        String shortDescription,
        String longDescription,
        boolean required,
        Optional<String> defaultValue,
        List<String> allowedValues,
        Optional<String> uniqueGroup,
        boolean reloadable,
        boolean sensitive,
        List<String> deprecatedAliases,
        OptionalLong minimum,
        OptionalLong maximum) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    /**
     * The canonical constructor.
     *
     * @deprecated the components of this record grow with the SPI (1.1 added the range), and a
     *     plugin calling this constructor would then fail to link; use {@link #builder(String,
     *     ParameterType)}
     */
    @Deprecated
    public ParameterSpec {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(shortDescription, "shortDescription is null");
        requireNonNull(longDescription, "longDescription is null");
        requireNonNull(defaultValue, "defaultValue is null");
        requireNonNull(uniqueGroup, "uniqueGroup is null");
        allowedValues = List.copyOf(requireNonNull(allowedValues, "allowedValues is null"));
        deprecatedAliases = List.copyOf(requireNonNull(deprecatedAliases, "deprecatedAliases is null"));
        checkName(name, "name");
        deprecatedAliases.forEach(alias -> checkName(alias, "alias of " + name));
        if (deprecatedAliases.contains(name)) {
            throw new IllegalArgumentException(name + ": an alias repeats the name");
        }
        if (shortDescription.isBlank()) {
            throw new IllegalArgumentException(name + ": shortDescription is blank");
        }
        if (type == ParameterType.ENUM && allowedValues.isEmpty()) {
            throw new IllegalArgumentException(name + ": an ENUM parameter needs allowed values");
        }
        if (type != ParameterType.ENUM && !allowedValues.isEmpty()) {
            throw new IllegalArgumentException(name + ": only an ENUM parameter has allowed values");
        }
        if (required && defaultValue.isPresent()) {
            throw new IllegalArgumentException(name + ": a required parameter has no default");
        }
        if (sensitive && defaultValue.isPresent()) {
            throw new IllegalArgumentException(name + ": a sensitive parameter has no default");
        }
        requireNonNull(minimum, "minimum is null");
        requireNonNull(maximum, "maximum is null");
        if ((minimum.isPresent() || maximum.isPresent()) && type != ParameterType.INTEGER) {
            throw new IllegalArgumentException(name + ": only an INTEGER parameter has a range");
        }
        if (minimum.isPresent() && maximum.isPresent() && minimum.getAsLong() > maximum.getAsLong()) {
            throw new IllegalArgumentException(
                    name + ": minimum " + minimum.getAsLong() + " is greater than maximum " + maximum.getAsLong());
        }
        List<String> values = allowedValues;
        OptionalLong least = minimum;
        OptionalLong greatest = maximum;
        defaultValue
                .flatMap(value -> type.problem(value, values).or(() -> rangeProblem(value, least, greatest)))
                .ifPresent(problem -> {
                    throw new IllegalArgumentException(name + ": default " + problem);
                });
        uniqueGroup.ifPresent(group -> {
            if (group.isBlank()) {
                throw new IllegalArgumentException(name + ": uniqueGroup is blank");
            }
        });
    }

    /**
     * The declaration of SPI 1.0, without a range.
     *
     * @deprecated kept for plugins built against SPI 1.0; use {@link #builder(String, ParameterType)}
     */
    @Deprecated
    public ParameterSpec(
            String name,
            ParameterType type,
            String shortDescription,
            String longDescription,
            boolean required,
            Optional<String> defaultValue,
            List<String> allowedValues,
            Optional<String> uniqueGroup,
            boolean reloadable,
            boolean sensitive,
            List<String> deprecatedAliases) {
        this(
                name,
                type,
                shortDescription,
                longDescription,
                required,
                defaultValue,
                allowedValues,
                uniqueGroup,
                reloadable,
                sensitive,
                deprecatedAliases,
                OptionalLong.empty(),
                OptionalLong.empty());
    }

    /**
     * Why {@code value} is not acceptable for this parameter (its type, its allowed values, its range),
     * prefixed with the name; empty when it is.
     */
    public Optional<String> problem(String value) {
        return type.problem(value, allowedValues)
                .or(() -> rangeProblem(value, minimum, maximum))
                .map(problem -> name + ": " + problem);
    }

    /**
     * The range in words for documentation, e.g. {@code 1 to 50}, {@code 0 or more}, {@code at most
     * 100}; empty when the parameter has none.
     *
     * @since 1.1
     */
    public Optional<String> rangeDescription() {
        return describeRange(minimum, maximum);
    }

    private static Optional<String> rangeProblem(String value, OptionalLong minimum, OptionalLong maximum) {
        if (minimum.isEmpty() && maximum.isEmpty()) {
            return Optional.empty();
        }
        long number = Long.parseLong(value.trim());
        boolean tooSmall = minimum.isPresent() && number < minimum.getAsLong();
        boolean tooLarge = maximum.isPresent() && number > maximum.getAsLong();
        if (tooSmall || tooLarge) {
            return Optional.of("'" + value.trim() + "' is not "
                    + describeRange(minimum, maximum).orElseThrow());
        }
        return Optional.empty();
    }

    private static Optional<String> describeRange(OptionalLong minimum, OptionalLong maximum) {
        if (minimum.isPresent() && maximum.isPresent()) {
            return Optional.of(minimum.getAsLong() + " to " + maximum.getAsLong());
        }
        if (minimum.isPresent()) {
            return Optional.of(minimum.getAsLong() + " or more");
        }
        if (maximum.isPresent()) {
            return Optional.of("at most " + maximum.getAsLong());
        }
        return Optional.empty();
    }

    /** Whether this parameter answers to {@code someName}: its name or one of its aliases. */
    public boolean answersTo(String someName) {
        return name.equals(someName) || deprecatedAliases.contains(someName);
    }

    public static Builder builder(String name, ParameterType type) {
        return new Builder(name, type);
    }

    private static void checkName(String name, String what) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    what + " '" + name + "' is not lower case letters, digits and underscores");
        }
    }

    /** Builds a {@link ParameterSpec}; only the name, the type and the short description are needed. */
    public static final class Builder {
        private final String name;
        private final ParameterType type;
        private String shortDescription;
        private String longDescription;
        private boolean required;
        private String defaultValue;
        private final List<String> allowedValues = new ArrayList<>();
        private String uniqueGroup;
        private boolean reloadable;
        private boolean sensitive;
        private final List<String> deprecatedAliases = new ArrayList<>();
        private OptionalLong minimum = OptionalLong.empty();
        private OptionalLong maximum = OptionalLong.empty();

        private Builder(String name, ParameterType type) {
            this.name = requireNonNull(name, "name is null");
            this.type = requireNonNull(type, "type is null");
        }

        public Builder shortDescription(String shortDescription) {
            this.shortDescription = shortDescription;
            return this;
        }

        public Builder longDescription(String longDescription) {
            this.longDescription = longDescription;
            return this;
        }

        public Builder required() {
            this.required = true;
            return this;
        }

        public Builder defaultValue(String defaultValue) {
            this.defaultValue = requireNonNull(defaultValue, "defaultValue is null");
            return this;
        }

        public Builder allowedValues(String... values) {
            allowedValues.addAll(List.of(values));
            return this;
        }

        public Builder uniqueGroup(String uniqueGroup) {
            this.uniqueGroup = requireNonNull(uniqueGroup, "uniqueGroup is null");
            return this;
        }

        public Builder reloadable() {
            this.reloadable = true;
            return this;
        }

        public Builder sensitive() {
            this.sensitive = true;
            return this;
        }

        public Builder deprecatedAliases(String... aliases) {
            deprecatedAliases.addAll(List.of(aliases));
            return this;
        }

        /**
         * The least value of an INTEGER parameter; the host refuses a smaller one before any action.
         *
         * @since 1.1
         */
        public Builder minimum(long minimum) {
            this.minimum = OptionalLong.of(minimum);
            return this;
        }

        /**
         * The greatest value of an INTEGER parameter; the host refuses a larger one before any action.
         *
         * @since 1.1
         */
        public Builder maximum(long maximum) {
            this.maximum = OptionalLong.of(maximum);
            return this;
        }

        /**
         * Both bounds of an INTEGER parameter, inclusive.
         *
         * @since 1.1
         */
        public Builder range(long minimum, long maximum) {
            return minimum(minimum).maximum(maximum);
        }

        public ParameterSpec build() {
            String shortText = requireNonNull(shortDescription, name + ": shortDescription is not set");
            return new ParameterSpec(
                    name,
                    type,
                    shortText,
                    longDescription == null ? shortText : longDescription,
                    required,
                    Optional.ofNullable(defaultValue),
                    allowedValues,
                    Optional.ofNullable(uniqueGroup),
                    reloadable,
                    sensitive,
                    deprecatedAliases,
                    minimum,
                    maximum);
        }
    }
}
