package io.vpcha.host.cli;

import io.vpcha.host.metadata.ParameterReference;
import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.plugin.InstalledStrategy;
import io.vpcha.host.plugin.PluginRegistry;
import io.vpcha.spi.ParameterSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Describes one strategy and every parameter it declares. */
@Command(name = "describe", description = "Describe a strategy and its parameters.")
final class DescribeCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    HelpOption help;

    /** How describe prints: the common formats, plus the Markdown of the docs' parameter reference. */
    enum DescribeFormat {
        text,
        json,
        markdown
    }

    @Parameters(paramLabel = "STRATEGY", arity = "0..1", description = "The strategy's name.")
    String name;

    @Option(names = "--all", description = "Every installed strategy and the common parameters.")
    boolean all;

    @Option(
            names = "--format",
            defaultValue = "text",
            description = "text, json or markdown (default: ${DEFAULT-VALUE}; markdown with --all, unless json).")
    DescribeFormat format;

    DescribeCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PluginRegistry registry = context.loadPlugins();
        if (all != (name == null)) {
            context.err.println("vpc-ha: name a strategy, or --all");
            return ExitCodes.USAGE;
        }
        if (all && format == DescribeFormat.json) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("commonParameters", parametersAsJson(CommonParameters.all()));
            document.put(
                    "strategies",
                    registry.strategies().stream().map(DescribeCommand::asJson).toList());
            context.out.println(OutputFormat.GSON.toJson(document));
            return ExitCodes.OK;
        }
        if (all || format == DescribeFormat.markdown) {
            List<InstalledStrategy> strategies = all
                    ? registry.strategies()
                    : registry.strategy(name).map(List::of).orElse(List.of());
            if (strategies.isEmpty() && !all) {
                context.err.println("vpc-ha: no strategy " + name + " installed in " + registry.directory());
                return ExitCodes.NOT_FOUND;
            }
            context.out.print(ParameterReference.markdown(CommonParameters.all(), strategies));
            return ExitCodes.OK;
        }
        Optional<InstalledStrategy> found = registry.strategy(name);
        if (found.isEmpty()) {
            context.err.println("vpc-ha: no strategy " + name + " installed in " + registry.directory()
                    + " (installed: "
                    + (registry.strategyNames().isEmpty() ? "none" : String.join(", ", registry.strategyNames()))
                    + ")");
            registry.problemsNaming(name).forEach(problem -> context.err.println("vpc-ha: " + problem));
            return ExitCodes.NOT_FOUND;
        }
        InstalledStrategy strategy = found.get();
        if (format == DescribeFormat.json) {
            context.out.println(OutputFormat.GSON.toJson(asJson(strategy)));
        } else {
            printText(strategy);
        }
        return ExitCodes.OK;
    }

    private static Map<String, Object> asJson(InstalledStrategy strategy) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("name", strategy.name());
        document.put("version", strategy.version());
        document.put("source", strategy.source().toString());
        document.put("description", strategy.description());
        document.put("longDescription", strategy.longDescription());
        document.put("parameters", parametersAsJson(strategy.parameters()));
        return document;
    }

    private static List<Map<String, Object>> parametersAsJson(List<ParameterSpec> specs) {
        List<Map<String, Object>> parameters = new ArrayList<>();
        for (ParameterSpec spec : specs) {
            Map<String, Object> parameter = new LinkedHashMap<>();
            parameter.put("name", spec.name());
            parameter.put("type", spec.type().name().toLowerCase(Locale.ROOT));
            parameter.put("required", spec.required());
            parameter.put("default", spec.defaultValue().orElse(null));
            parameter.put("allowedValues", spec.allowedValues());
            parameter.put("minimum", spec.minimum().isPresent() ? spec.minimum().getAsLong() : null);
            parameter.put("maximum", spec.maximum().isPresent() ? spec.maximum().getAsLong() : null);
            parameter.put("uniqueGroup", spec.uniqueGroup().orElse(null));
            parameter.put("reloadable", spec.reloadable());
            parameter.put("sensitive", spec.sensitive());
            parameter.put("deprecatedAliases", spec.deprecatedAliases());
            parameter.put("shortDescription", spec.shortDescription());
            parameter.put("longDescription", spec.longDescription());
            parameters.add(parameter);
        }
        return parameters;
    }

    private void printText(InstalledStrategy strategy) {
        var out = context.out;
        out.println(strategy.name() + " " + strategy.version() + " - " + strategy.description());
        out.println("from " + strategy.source());
        out.println();
        out.println(strategy.longDescription());
        out.println();
        out.println("Parameters:");
        for (ParameterSpec spec : strategy.parameters()) {
            List<String> facts = new ArrayList<>();
            facts.add(spec.type().description()
                    + (spec.allowedValues().isEmpty() ? "" : " (" + String.join(", ", spec.allowedValues()) + ")")
                    + spec.rangeDescription().map(range -> ", " + range).orElse(""));
            facts.add(spec.required() ? "required" : "optional");
            spec.defaultValue().ifPresent(value -> facts.add("default " + value));
            spec.uniqueGroup().ifPresent(group -> facts.add("unique group " + group));
            if (spec.reloadable()) {
                facts.add("reloadable");
            }
            if (spec.sensitive()) {
                facts.add("secret");
            }
            if (!spec.deprecatedAliases().isEmpty()) {
                facts.add("deprecated names " + String.join(", ", spec.deprecatedAliases()));
            }
            out.println("  " + spec.name() + " - " + spec.shortDescription());
            out.println("      " + String.join("; ", facts));
            out.println("      " + spec.longDescription());
        }
    }
}
