package io.vpcha.host.metadata;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.plugin.InstalledStrategy;
import io.vpcha.spi.ParameterSpec;
import io.vpcha.spi.ParameterType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What an OCF agent says about itself: the generic {@code vpc-ha} agent (every installed strategy's
 * parameters, each saying which strategy it belongs to) or a per-strategy agent such as
 * {@code vpc-custom-route} (that strategy's parameters alone, as declared). Built from the
 * declarations only, so meta-data, describe and docs can never disagree.
 */
public record AgentDescription(
        String agentName,
        String version,
        String shortDescription,
        String longDescription,
        List<AgentParameter> parameters) {

    public AgentDescription {
        requireNonNull(agentName, "agentName is null");
        requireNonNull(version, "version is null");
        requireNonNull(shortDescription, "shortDescription is null");
        requireNonNull(longDescription, "longDescription is null");
        parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
    }

    /** The generic agent, ocf:ibm:vpc-ha, for every installed strategy. */
    public static AgentDescription generic(
            String version, List<ParameterSpec> common, List<InstalledStrategy> strategies) {
        String names = strategies.isEmpty()
                ? "none installed"
                : strategies.stream().map(InstalledStrategy::name).collect(Collectors.joining(", "));
        String longDescription = "Moves a virtual IP address or another network identity of an IBM Cloud VPC to the "
                + "node where Pacemaker runs this resource, through a failover strategy plugin chosen with the "
                + "strategy parameter (installed: " + names + "). Each parameter below says which strategy it "
                + "belongs to."
                + strategies.stream()
                        .map(strategy -> " Strategy " + strategy.name() + ": " + strategy.longDescription())
                        .collect(Collectors.joining());
        List<AgentParameter> parameters = new ArrayList<>();
        common.forEach(spec -> addDeclared(parameters, spec));
        Map<String, List<Owned>> byName = new LinkedHashMap<>();
        for (InstalledStrategy strategy : strategies) {
            for (ParameterSpec spec : strategy.parameters()) {
                byName.computeIfAbsent(spec.name(), name -> new ArrayList<>()).add(new Owned(strategy.name(), spec));
            }
        }
        byName.forEach((name, owners) -> parameters.add(merged(owners)));
        for (InstalledStrategy strategy : strategies) {
            for (ParameterSpec spec : strategy.parameters()) {
                for (String alias : spec.deprecatedAliases()) {
                    if (parameters.stream()
                            .noneMatch(parameter -> parameter.name().equals(alias))) {
                        parameters.add(alias(alias, spec, List.of(strategy.name())));
                    }
                }
            }
        }
        return new AgentDescription(
                "vpc-ha", version, "IBM Cloud VPC failover through strategy plugins", longDescription, parameters);
    }

    /** A per-strategy agent, ocf:ibm:vpc-NAME, whose strategy is fixed. */
    public static AgentDescription forStrategy(String version, List<ParameterSpec> common, InstalledStrategy strategy) {
        List<AgentParameter> parameters = new ArrayList<>();
        common.forEach(spec -> addDeclared(parameters, spec));
        strategy.parameters().forEach(spec -> addDeclared(parameters, spec));
        for (ParameterSpec spec : strategy.parameters()) {
            spec.deprecatedAliases().forEach(alias -> parameters.add(alias(alias, spec, List.of())));
        }
        return new AgentDescription(
                agentName(strategy.name()), version, strategy.description(), strategy.longDescription(), parameters);
    }

    /** The OCF type name of the per-strategy agent of {@code strategy}. */
    public static String agentName(String strategy) {
        return "vpc-" + strategy;
    }

    private record Owned(String strategy, ParameterSpec spec) {}

    private static void addDeclared(List<AgentParameter> parameters, ParameterSpec spec) {
        String longDescription = spec.longDescription() + typeSentence(spec);
        // A required parameter with deprecated aliases is not required="1": a resource that sets only an
        // alias (migrated from another agent) must pass pcs's checks; the host still requires one of them.
        parameters.add(new AgentParameter(
                spec.name(),
                spec.shortDescription(),
                longDescription,
                spec.type().ocfContentType(),
                spec.defaultValue(),
                spec.required() && spec.deprecatedAliases().isEmpty(),
                spec.uniqueGroup(),
                spec.reloadable(),
                spec.sensitive()));
    }

    private static AgentParameter merged(List<Owned> owners) {
        ParameterSpec first = owners.get(0).spec();
        List<String> strategies = owners.stream().map(Owned::strategy).toList();
        String which = "Strategy " + String.join(", ", strategies) + ". ";
        String longDescription;
        if (owners.size() == 1) {
            longDescription = which
                    + (first.required() ? "Required for " + strategies.get(0) + ". " : "")
                    + first.longDescription()
                    + typeSentence(first);
        } else {
            longDescription = which
                    + owners.stream()
                            .map(owner ->
                                    "For " + owner.strategy() + (owner.spec().required() ? " (required)" : "") + ": "
                                            + owner.spec().longDescription() + typeSentence(owner.spec()))
                            .collect(Collectors.joining(" "));
        }
        boolean sameDefault =
                owners.stream().allMatch(owner -> owner.spec().defaultValue().equals(first.defaultValue()));
        boolean sameType = owners.stream()
                .allMatch(owner ->
                        owner.spec().type().ocfContentType().equals(first.type().ocfContentType()));
        // Unique groups are per strategy: a custom-route VIP and a floating IP never collide.
        Optional<String> uniqueGroup = owners.size() == 1
                ? first.uniqueGroup().map(group -> owners.get(0).strategy() + ":" + group)
                : Optional.empty();
        return new AgentParameter(
                first.name(),
                first.shortDescription() + " (" + String.join(", ", strategies) + ")",
                longDescription,
                sameType ? first.type().ocfContentType() : "string",
                sameDefault ? first.defaultValue() : Optional.empty(),
                false,
                uniqueGroup,
                owners.stream().allMatch(owner -> owner.spec().reloadable()),
                owners.stream().anyMatch(owner -> owner.spec().sensitive()));
    }

    private static AgentParameter alias(String alias, ParameterSpec spec, List<String> strategies) {
        String where = strategies.isEmpty() ? "" : " (strategy " + String.join(", ", strategies) + ")";
        return new AgentParameter(
                alias,
                "Deprecated: use " + spec.name(),
                "Deprecated alias of " + spec.name() + where + ", accepted so that resources configured for the "
                        + "agents vpc-ha replaces keep working. Set " + spec.name() + " instead.",
                spec.type().ocfContentType(),
                Optional.empty(),
                false,
                Optional.empty(),
                spec.reloadable(),
                spec.sensitive());
    }

    private static String typeSentence(ParameterSpec spec) {
        StringBuilder text = new StringBuilder();
        text.append(" Value: ").append(spec.type().description());
        if (spec.type() == ParameterType.ENUM) {
            text.append(" (").append(String.join(", ", spec.allowedValues())).append(")");
        }
        // OCF's content element has no range (ra-api-1.dtd, OCF 1.1's schema): it is said in words
        spec.rangeDescription().ifPresent(range -> text.append(", ").append(range));
        text.append('.');
        spec.defaultValue()
                .ifPresent(value -> text.append(" Default: ").append(value).append('.'));
        if (!spec.deprecatedAliases().isEmpty()) {
            text.append(" Also accepted under the deprecated name")
                    .append(spec.deprecatedAliases().size() > 1 ? "s " : " ")
                    .append(String.join(", ", spec.deprecatedAliases()))
                    .append('.');
        }
        if (spec.sensitive()) {
            text.append(" A secret: never logged, and kept out of Pacemaker's operation digests.");
        }
        return text.toString();
    }
}
