package io.vpcha.host.cli;

import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.plugin.IndexedPlugins;
import io.vpcha.host.plugin.InstalledStrategy;
import io.vpcha.host.plugin.PluginProblem;
import io.vpcha.host.plugin.PluginRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Lists the installed plugins: what loaded, and what did not and why. */
@Command(name = "plugins", description = "List the installed strategy plugins and their status.")
final class PluginsCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    HelpOption help;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--names", description = "Print only the names of the usable strategies, one a line.")
    boolean namesOnly;

    @Option(
            names = "--index",
            description = "Also write the plugin index (which plugin provides which strategy), which lets each "
                    + "action load only its strategy's plugin; install.sh does. Actions rebuild a stale one.")
    boolean writeIndex;

    PluginsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PluginRegistry registry = context.loadPlugins();
        if (writeIndex) {
            IndexedPlugins.rebuild(context.pluginsDirectory(), CommonParameters.reservedNames())
                    .ifPresent(reason -> context.err.println("vpc-ha: no plugin index: " + reason));
        }
        if (namesOnly) {
            registry.strategyNames().forEach(context.out::println);
        } else if (format == OutputFormat.json) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("directory", registry.directory().toString());
            List<Map<String, Object>> plugins = new ArrayList<>();
            for (InstalledStrategy strategy : registry.strategies()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", strategy.name());
                row.put("version", strategy.version());
                row.put("source", strategy.source().toString());
                row.put("status", "loaded");
                row.put("description", strategy.description());
                plugins.add(row);
            }
            for (PluginProblem problem : registry.problems()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", null);
                row.put("version", null);
                row.put("source", problem.source().toString());
                row.put("status", "failed");
                row.put("reason", problem.reason());
                plugins.add(row);
            }
            document.put("plugins", plugins);
            context.out.println(OutputFormat.GSON.toJson(document));
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"NAME", "VERSION", "STATUS", "SOURCE"});
            for (InstalledStrategy strategy : registry.strategies()) {
                rows.add(new String[] {
                    strategy.name(),
                    strategy.version(),
                    "loaded",
                    strategy.source().toString()
                });
            }
            for (PluginProblem problem : registry.problems()) {
                rows.add(new String[] {
                    "-", "-", "failed: " + problem.reason(), problem.source().toString()
                });
            }
            printTable(rows);
        }
        for (PluginProblem problem : registry.problems()) {
            context.err.println("vpc-ha: plugin problem: " + problem);
        }
        return registry.problems().isEmpty() ? ExitCodes.OK : ExitCodes.PLUGIN_PROBLEMS;
    }

    private void printTable(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns - 1; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(i < columns - 1 ? String.format("%-" + widths[i] + "s  ", row[i]) : row[i]);
            }
            context.out.println(line.toString().stripTrailing());
        }
    }
}
