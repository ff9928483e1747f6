package io.vpcha.host.parameter;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.plugin.InstalledStrategy;
import io.vpcha.spi.ParameterSpec;
import io.vpcha.spi.ParameterValues;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Turns a resource's raw parameters (the {@code OCF_RESKEY_*} values Pacemaker passes) into checked
 * values for the host and the strategy: deprecated aliases are mapped to their parameter, every
 * value is checked against its declaration, and every problem is named at once.
 */
public final class ParameterResolver {
    private ParameterResolver() {}

    /**
     * Resolves a resource's parameters.
     *
     * @param raw the resource's parameters by the names the administrator used
     * @param common the host's parameters for this agent
     * @param strategy the strategy in use
     * @param others the other installed strategies, to say whose a foreign parameter is
     * @throws ConfigurationException naming each problem
     */
    public static ResolvedParameters resolve(
            Map<String, String> raw,
            List<ParameterSpec> common,
            InstalledStrategy strategy,
            List<InstalledStrategy> others)
            throws ConfigurationException {
        return resolve(raw, common, strategy, () -> others);
    }

    /**
     * Resolves a resource's parameters, asking for the other installed strategies only when a
     * parameter is not the strategy's (loading them all is what an action otherwise avoids).
     */
    public static ResolvedParameters resolve(
            Map<String, String> raw,
            List<ParameterSpec> common,
            InstalledStrategy strategy,
            Supplier<List<InstalledStrategy>> others)
            throws ConfigurationException {
        requireNonNull(raw, "raw is null");
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Map<String, String> commonValues = new LinkedHashMap<>();
        Map<String, String> strategyValues = new LinkedHashMap<>();
        Map<String, String> usedNames = new LinkedHashMap<>();
        Set<String> secrets = new HashSet<>();

        for (Map.Entry<String, String> entry : new TreeMap<>(raw).entrySet()) {
            String given = entry.getKey();
            String value = entry.getValue();
            Optional<ParameterSpec> commonSpec = find(common, given);
            Optional<ParameterSpec> strategySpec = find(strategy.parameters(), given);
            ParameterSpec spec = commonSpec.or(() -> strategySpec).orElse(null);
            if (spec == null) {
                problems.add(unknown(given, strategy, others));
                continue;
            }
            if (!spec.name().equals(given)) {
                warnings.add("parameter " + given + " is deprecated; use " + spec.name());
            }
            String earlier = usedNames.putIfAbsent(spec.name(), given);
            if (earlier != null) {
                problems.add(earlier + " and " + given + " both set " + spec.name() + "; keep one");
                continue;
            }
            if (spec.sensitive() && !value.isBlank()) {
                secrets.add(value.trim());
            }
            (commonSpec.isPresent() ? commonValues : strategyValues).put(spec.name(), value);
        }
        ParameterValues commonResult = check(common, commonValues, problems);
        ParameterValues strategyResult = check(strategy.parameters(), strategyValues, problems);
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        return new ResolvedParameters(commonResult, strategyResult, warnings, secrets);
    }

    /**
     * The parameters a stop can still use when the resource's configuration cannot work: every value
     * that passes its own check, under its canonical name (the first given, when a name and its alias
     * are both set); unknown parameters and bad values left out, so that their defaults apply. A stop
     * must remove what this node added even after a bad change, and what it added is recorded on this
     * node: a required parameter without a usable value is left out too (the declarations the values
     * carry then say it is optional), so the strategy's stop still runs and can undo what its start
     * recorded. Empty only when even that does not resolve (a common parameter that must be set).
     */
    public static Optional<ResolvedParameters> resolveUsable(
            Map<String, String> raw, List<ParameterSpec> common, InstalledStrategy strategy) {
        requireNonNull(raw, "raw is null");
        Map<String, String> commonValues = new LinkedHashMap<>();
        Map<String, String> strategyValues = new LinkedHashMap<>();
        Set<String> secrets = new HashSet<>();
        for (Map.Entry<String, String> entry : new TreeMap<>(raw).entrySet()) {
            Optional<ParameterSpec> commonSpec = find(common, entry.getKey());
            Optional<ParameterSpec> spec = commonSpec.or(() -> find(strategy.parameters(), entry.getKey()));
            if (spec.isEmpty() || spec.get().problem(entry.getValue()).isPresent()) {
                continue;
            }
            if (spec.get().sensitive() && !entry.getValue().isBlank()) {
                secrets.add(entry.getValue().trim());
            }
            (commonSpec.isPresent() ? commonValues : strategyValues)
                    .putIfAbsent(spec.get().name(), entry.getValue());
        }
        try {
            return Optional.of(new ResolvedParameters(
                    ParameterValues.of(common, commonValues),
                    ParameterValues.of(optional(strategy.parameters(), strategyValues), strategyValues),
                    List.of(),
                    secrets));
        } catch (IllegalArgumentException requiredMissing) {
            return Optional.empty();
        }
    }

    /** The declarations, those required but without a value made optional (for a stop's usable values). */
    @SuppressWarnings("deprecation") // the canonical constructor copies every component, which is the point here
    private static List<ParameterSpec> optional(List<ParameterSpec> specs, Map<String, String> values) {
        return specs.stream()
                .map(spec -> !spec.required() || values.containsKey(spec.name())
                        ? spec
                        : new ParameterSpec(
                                spec.name(),
                                spec.type(),
                                spec.shortDescription(),
                                spec.longDescription(),
                                false,
                                spec.defaultValue(),
                                spec.allowedValues(),
                                spec.uniqueGroup(),
                                spec.reloadable(),
                                spec.sensitive(),
                                spec.deprecatedAliases(),
                                spec.minimum(),
                                spec.maximum()))
                .toList();
    }

    private static ParameterValues check(List<ParameterSpec> specs, Map<String, String> values, List<String> problems) {
        List<String> found = new ArrayList<>();
        for (ParameterSpec spec : specs) {
            String value = values.get(spec.name());
            if (value != null) {
                spec.problem(value).ifPresent(found::add);
            } else if (spec.required()) {
                found.add(spec.name() + ": required but not set");
            }
        }
        if (!found.isEmpty()) {
            problems.addAll(found);
            return null;
        }
        return ParameterValues.of(specs, values);
    }

    private static Optional<ParameterSpec> find(List<ParameterSpec> specs, String name) {
        return specs.stream().filter(spec -> spec.answersTo(name)).findFirst();
    }

    private static String unknown(String name, InstalledStrategy strategy, Supplier<List<InstalledStrategy>> others) {
        List<String> owners = others.get().stream()
                .filter(other -> !other.name().equals(strategy.name()))
                .filter(other -> other.parameters().stream().anyMatch(spec -> spec.answersTo(name)))
                .map(InstalledStrategy::name)
                .toList();
        if (!owners.isEmpty()) {
            return name + ": a parameter of strategy " + String.join(", ", owners) + ", not of " + strategy.name();
        }
        String problem = name + ": not a parameter of strategy " + strategy.name();
        return closest(name, strategy.parameters())
                .map(suggestion -> problem + " (did you mean " + suggestion + "?)")
                .orElse(problem);
    }

    /** The declared name nearest to a misspelt one, when it is near enough to be the likely intent. */
    private static Optional<String> closest(String name, List<ParameterSpec> specs) {
        return specs.stream()
                .map(ParameterSpec::name)
                .min(Comparator.comparingInt(candidate -> editDistance(name, candidate)))
                .filter(candidate -> editDistance(name, candidate) <= Math.max(2, name.length() / 4));
    }

    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
