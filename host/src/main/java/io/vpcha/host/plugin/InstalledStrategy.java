package io.vpcha.host.plugin;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.FailoverStrategy;
import io.vpcha.spi.ParameterSpec;
import io.vpcha.spi.ParameterValues;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.StrategyProvider;
import java.nio.file.Path;
import java.util.List;

/**
 * A strategy a plugin provides, with what the host read from it once at load time. Calls into the
 * plugin run with the plugin's class loader as the thread's context class loader.
 */
public record InstalledStrategy(
        String name,
        String version,
        String description,
        String longDescription,
        List<ParameterSpec> parameters,
        Path source,
        StrategyProvider provider,
        ClassLoader classLoader) {

    public InstalledStrategy {
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
        requireNonNull(description, "description is null");
        requireNonNull(longDescription, "longDescription is null");
        parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
        requireNonNull(source, "source is null");
        requireNonNull(provider, "provider is null");
        requireNonNull(classLoader, "classLoader is null");
    }

    public FailoverStrategy create(ParameterValues values, StrategyContext context) throws StrategyException {
        return PluginCalls.call(classLoader, () -> provider.create(values, context));
    }
}
