package io.vpcha.host.plugin;

import static io.vpcha.host.testing.TestPluginSources.stateFileProvider;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.ComparisonSwitch;
import io.vpcha.host.ocf.OcfAgent;
import io.vpcha.host.ocf.OcfEnvironment;
import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.testing.PluginJarBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An action loads only the plugin of its strategy, through the plugin index; the index is made when
 * missing, made again when the plugins change, and a broken index never breaks an action. Another
 * plugin's static initialiser proves what was loaded: it leaves a file behind.
 */
class TestIndexedPlugins {
    @TempDir
    Path plugins;

    @TempDir
    Path work;

    private Path loadedMarker;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void buildPlugins() {
        loadedMarker = work.resolve("other-plugin-loaded");
        new PluginJarBuilder()
                .source("alpha.Provider", stateFileProvider("alpha", "alpha"))
                .provider("alpha.Provider")
                .build(plugins.resolve("alpha.jar"));
        otherPlugin(plugins.resolve("other.jar"));
    }

    @Test
    void theFirstActionIndexesAndLaterOnesLoadOnlyTheirStrategysPlugin() throws Exception {
        assertThat(run("start", "alpha")).as(stderr()).isZero();
        assertThat(plugins.resolve(PluginIndex.FILE))
                .as("made by the first action")
                .exists();
        assertThat(loadedMarker).as("the first action loaded every plugin").exists();
        Files.delete(loadedMarker);

        assertThat(run("monitor", "alpha", "OCF_RESKEY_CRM_meta_interval", "10000"))
                .isZero();
        assertThat(run("stop", "alpha")).isZero();

        assertThat(loadedMarker).as("the other plugin's initialiser never ran").doesNotExist();
        assertThat(Files.readString(plugins.resolve(PluginIndex.FILE)))
                .contains("alpha.jar")
                .contains("strategies=alpha");
    }

    @Test
    void aStrategyAskedForTwiceInOneActionIsLoadedOnce() throws Exception {
        assertThat(run("start", "alpha")).as(stderr()).isZero();
        PluginSource source = IndexedPlugins.of(plugins, CommonParameters.reservedNames(), Map.of());

        InstalledStrategy first = source.strategy("alpha").orElseThrow();
        InstalledStrategy second = source.strategy("alpha").orElseThrow();

        // a stop asks twice (the strategy that started the resource, then the action's)
        assertThat(second.classLoader())
                .as("the same plugin, not loaded again in a class loader of its own")
                .isSameAs(first.classLoader());
    }

    @Test
    void aChangedPluginsDirectoryIsSeenAndIndexedAgain() throws Exception {
        assertThat(run("start", "alpha")).isZero();
        new PluginJarBuilder()
                .source("gamma.Provider", stateFileProvider("gamma", "gamma"))
                .provider("gamma.Provider")
                .build(plugins.resolve("gamma.jar"));

        assertThat(run("start", "gamma"))
                .as("a plugin added after the index: %s", stderr())
                .isZero();
        assertThat(Files.readString(plugins.resolve(PluginIndex.FILE))).contains("strategies=gamma");

        // the same jar replaced with another of another size: the index no longer fits
        new PluginJarBuilder()
                .source("alpha.Provider", stateFileProvider("alpha", "alpha2"))
                .provider("alpha.Provider")
                .build(plugins.resolve("alpha.jar"));
        assertThat(run("start", "alpha")).as("alpha moved away").isEqualTo(5);
        assertThat(run("start", "alpha2")).as(stderr()).isZero();
    }

    @Test
    void aJarTouchedInPlaceIsNoLongerTrusted() throws Exception {
        assertThat(run("start", "alpha")).isZero();
        Files.delete(loadedMarker);
        Files.setLastModifiedTime(plugins.resolve("other.jar"), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));

        assertThat(run("start", "alpha")).isZero();

        assertThat(loadedMarker)
                .as("a stale index means every plugin is loaded again")
                .exists();
    }

    @Test
    void aDamagedOrWrongIndexNeverBreaksAnAction() throws Exception {
        Files.writeString(plugins.resolve(PluginIndex.FILE), "format=1\nentries=\\u00zz\n");
        assertThat(run("start", "alpha")).as(stderr()).isZero();

        // current for every jar, but naming the wrong plugin for alpha
        String index = Files.readString(plugins.resolve(PluginIndex.FILE));
        Files.writeString(
                plugins.resolve(PluginIndex.FILE),
                index.replace("strategies=alpha", "strategies=").replace("strategies=other", "strategies=other,alpha"));
        assertThat(run("start", "alpha")).as(stderr()).isZero();

        Files.writeString(plugins.resolve(PluginIndex.FILE), "entry.0.name=../../etc\nentries=1\nformat=1\n");
        assertThat(run("start", "alpha")).isZero();
    }

    @Test
    void anUnknownStrategyIsNamedWithEveryInstalledOne() {
        assertThat(run("start", "alpha")).isZero();

        assertThat(run("start", "beta")).isEqualTo(5);
        assertThat(stderr()).contains("no strategy beta installed in " + plugins + " (installed: alpha, other)");
        assertThat(run("stop", "beta")).as("not installed: stopped").isZero();
    }

    @Test
    void aParameterOfAnotherStrategyIsStillNamedAsSuch() {
        assertThat(run("start", "alpha")).isZero();

        assertThat(run("start", "alpha", "OCF_RESKEY_colour", "blue")).isEqualTo(6);
        assertThat(stderr()).contains("colour: a parameter of strategy other, not of alpha");
    }

    @Test
    void theIndexCanBeTurnedOff() throws Exception {
        assertThat(run("start", "alpha")).isZero();
        Files.delete(loadedMarker);

        assertThat(run("start", "alpha", ComparisonSwitch.PLUGIN_INDEX.variable(), "off"))
                .isZero();

        assertThat(loadedMarker).exists();
    }

    @Test
    void noIndexIsWrittenIntoADirectoryOthersMayWriteTo() throws Exception {
        Files.setPosixFilePermissions(plugins, PosixFilePermissions.fromString("rwxrwxrwx"));

        // no plugin is loaded from there either: plugin code runs as root
        assertThat(run("start", "alpha")).isEqualTo(5);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("plugins directory refused, no plugin loaded");

        assertThat(plugins.resolve(PluginIndex.FILE)).doesNotExist();
        assertThat(IndexedPlugins.rebuild(plugins, CommonParameters.reservedNames()))
                .hasValueSatisfying(reason -> assertThat(reason).contains("writable by group or others"));
    }

    /** A plugin whose static initialiser leaves a file behind, with a parameter of its own. */
    private void otherPlugin(Path jar) {
        new PluginJarBuilder()
                .source("other.Provider", """
                        package other;
                        import io.vpcha.spi.FailoverStrategy;
                        import io.vpcha.spi.ParameterSpec;
                        import io.vpcha.spi.ParameterType;
                        import io.vpcha.spi.ParameterValues;
                        import io.vpcha.spi.StrategyContext;
                        import io.vpcha.spi.StrategyProvider;
                        import java.util.List;
                        public final class Provider implements StrategyProvider {
                            static {
                                try {
                                    java.nio.file.Files.writeString(java.nio.file.Path.of("%s"), "loaded");
                                } catch (java.io.IOException e) {
                                    throw new java.io.UncheckedIOException(e);
                                }
                            }
                            @Override public String name() { return "other"; }
                            @Override public String description() { return "another strategy"; }
                            @Override public List<ParameterSpec> parameters() {
                                return List.of(ParameterSpec.builder("colour", ParameterType.STRING).shortDescription("A colour").build());
                            }
                            @Override public FailoverStrategy create(ParameterValues values, StrategyContext context) {
                                throw new UnsupportedOperationException();
                            }
                        }
                        """.formatted(loadedMarker))
                .provider("other.Provider")
                .build(jar);
    }

    private int run(String action, String strategy, String... extra) {
        Map<String, String> env = new HashMap<>();
        env.put("VPC_HA_PLUGINS", plugins.toString());
        env.put("OCF_RESOURCE_INSTANCE", "vip1");
        env.put("HA_RSCTMP", work.resolve("run").toString());
        env.put("OCF_RESKEY_CRM_meta_on_node", "node1");
        env.put("OCF_RESKEY_metrics_dir", "");
        env.put("OCF_RESKEY_strategy", strategy);
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        err.reset();
        PluginSource source = IndexedPlugins.of(plugins, CommonParameters.reservedNames(), env);
        return new OcfAgent(
                        source,
                        new OcfEnvironment(env),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        Instant.now())
                .run(action);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
