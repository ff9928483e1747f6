package io.vpcha.spi;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
        List<String> deprecatedAliases) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

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
        List<String> values = allowedValues;
        defaultValue.flatMap(value -> type.problem(value, values)).ifPresent(problem -> {
            throw new IllegalArgumentException(name + ": default " + problem);
        });
        uniqueGroup.ifPresent(group -> {
            if (group.isBlank()) {
                throw new IllegalArgumentException(name + ": uniqueGroup is blank");
            }
        });
    }

    /** Why {@code value} is not acceptable for this parameter, prefixed with the name; empty when it is. */
    public Optional<String> problem(String value) {
        return type.problem(value, allowedValues).map(problem -> name + ": " + problem);
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
                    deprecatedAliases);
        }
    }
}
