package io.vpcha.host.testing;

import java.nio.file.Path;

/** Sources of strategy providers compiled into test plugins. */
public final class TestPluginSources {
    private static final String CLASS_LINE = "public final class Provider implements StrategyProvider {";

    private TestPluginSources() {}

    /**
     * {@link #stateFileProvider} whose provider's constructor runs {@code body} (a plugin that exits, hangs
     * or throws while the host loads it).
     */
    public static String providerWithConstructor(String pkg, String strategyName, String body) {
        return stateFileProvider(pkg, strategyName)
                .replace(CLASS_LINE, CLASS_LINE + "\n    public Provider() { " + body + " }\n");
    }

    /** Builds the plugin jar {@code jar} of the provider {@code source} in package {@code pkg}. */
    public static Path plugin(Path jar, String pkg, String source) {
        return new PluginJarBuilder()
                .source(pkg + ".Provider", source)
                .provider(pkg + ".Provider")
                .build(jar);
    }

    /**
     * A complete provider named {@code strategyName} in package {@code pkg}, whose strategy keeps a
     * marker file in the state directory, with one parameter {@code message}.
     */
    public static String stateFileProvider(String pkg, String strategyName) {
        return """
                package %1$s;
                import io.vpcha.spi.CheckLevel;
                import io.vpcha.spi.FailoverStrategy;
                import io.vpcha.spi.MonitorRequest;
                import io.vpcha.spi.MonitorResult;
                import io.vpcha.spi.ParameterSpec;
                import io.vpcha.spi.ParameterType;
                import io.vpcha.spi.ParameterValues;
                import io.vpcha.spi.StrategyContext;
                import io.vpcha.spi.StrategyException;
                import io.vpcha.spi.StrategyProvider;
                import java.nio.file.Files;
                import java.nio.file.Path;
                import java.util.List;

                public final class Provider implements StrategyProvider {
                    @Override public String name() { return "%2$s"; }
                    @Override public String description() { return "test strategy %2$s"; }
                    @Override public List<ParameterSpec> parameters() {
                        return List.of(ParameterSpec.builder("message", ParameterType.STRING)
                                .shortDescription("A message").deprecatedAliases("msg").build());
                    }
                    @Override public FailoverStrategy create(ParameterValues values, StrategyContext context) {
                        Path marker = context.stateDirectory().resolve("started");
                        return new FailoverStrategy() {
                            @Override public void start() throws StrategyException {
                                try { Files.writeString(marker, values.string("message").orElse("")); }
                                catch (java.io.IOException e) { throw StrategyException.generic(e.toString()); }
                            }
                            @Override public void stop() throws StrategyException {
                                try { Files.deleteIfExists(marker); }
                                catch (java.io.IOException e) { throw StrategyException.generic(e.toString()); }
                            }
                            @Override public MonitorResult monitor(MonitorRequest request) {
                                return Files.exists(marker) ? MonitorResult.running() : MonitorResult.notRunning("no marker");
                            }
                            @Override public void validate(CheckLevel level) {}
                        };
                    }
                }
                """.formatted(pkg, strategyName);
    }
}
