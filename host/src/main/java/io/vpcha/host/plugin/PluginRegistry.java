package io.vpcha.host.plugin;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a plugins directory held: the strategies that loaded, by name, and the problems found. A
 * broken plugin never hides a working one.
 */
public record PluginRegistry(Path directory, List<InstalledStrategy> strategies, List<PluginProblem> problems)
        implements PluginSource {
    public PluginRegistry {
        requireNonNull(directory, "directory is null");
        strategies = List.copyOf(requireNonNull(strategies, "strategies is null"));
        problems = List.copyOf(requireNonNull(problems, "problems is null"));
    }

    @Override
    public PluginRegistry registry() {
        return this;
    }

    @Override
    public Optional<InstalledStrategy> strategy(String name) {
        return strategies.stream()
                .filter(strategy -> strategy.name().equals(name))
                .findFirst();
    }

    public List<String> strategyNames() {
        return strategies.stream().map(InstalledStrategy::name).toList();
    }

    /** The problems of the plugins that claimed {@code name} but could not provide it (e.g. duplicates). */
    public List<PluginProblem> problemsNaming(String name) {
        String quoted = "'" + name + "'";
        return problems.stream()
                .filter(problem -> problem.reason().contains(quoted))
                .toList();
    }
}
