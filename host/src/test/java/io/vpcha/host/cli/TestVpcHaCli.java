package io.vpcha.host.cli;

import static io.vpcha.host.testing.TestPluginSources.stateFileProvider;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vpcha.host.testing.PluginJarBuilder;
import io.vpcha.spi.SpiVersion;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestVpcHaCli {
    @TempDir
    static Path plugins;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void buildPlugins() {
        new PluginJarBuilder()
                .source("sf.Provider", stateFileProvider("sf", "state-file"))
                .provider("sf.Provider")
                .implementationVersion("2.0.1")
                .build(plugins.resolve("state-file.jar"));
    }

    @BeforeEach
    void noBrokenPlugin() throws Exception {
        Files.deleteIfExists(plugins.resolve("broken.jar"));
    }

    @Test
    void pluginsListsWhatLoadedAsTextOrJson() {
        assertThat(run("--plugins", plugins.toString(), "plugins")).isEqualTo(ExitCodes.OK);
        assertThat(stdout())
                .startsWith("NAME        VERSION  STATUS  SOURCE\n")
                .contains("state-file  2.0.1    loaded  " + plugins.resolve("state-file.jar"));

        out.reset();
        assertThat(run("--plugins", plugins.toString(), "plugins", "--format", "json"))
                .isEqualTo(ExitCodes.OK);
        JsonObject json = JsonParser.parseString(stdout()).getAsJsonObject();
        assertThat(json.get("directory").getAsString()).isEqualTo(plugins.toString());
        JsonObject first = json.getAsJsonArray("plugins").get(0).getAsJsonObject();
        assertThat(first.get("name").getAsString()).isEqualTo("state-file");
        assertThat(first.get("status").getAsString()).isEqualTo("loaded");
    }

    @Test
    void aBrokenPluginIsListedAndTheExitCodeSaysSo() throws Exception {
        Files.writeString(plugins.resolve("broken.jar"), "not a jar");

        assertThat(run("--plugins", plugins.toString(), "plugins")).isEqualTo(ExitCodes.PLUGIN_PROBLEMS);
        assertThat(stdout()).contains("state-file").contains("failed: not a readable jar");
        assertThat(stderr()).contains("vpc-ha: plugin problem: " + plugins.resolve("broken.jar"));

        out.reset();
        assertThat(run("--plugins", plugins.toString(), "plugins", "--names")).isEqualTo(ExitCodes.PLUGIN_PROBLEMS);
        assertThat(stdout()).isEqualTo("state-file\n");
    }

    @Test
    void thePluginsDirectoryComesFromTheEnvironmentToo() {
        assertThat(VpcHaCli.run(
                        new String[] {"plugins", "--names"},
                        stream(out),
                        stream(err),
                        Map.of("VPC_HA_PLUGINS", plugins.toString())))
                .isEqualTo(ExitCodes.OK);
        assertThat(stdout()).isEqualTo("state-file\n");
    }

    @Test
    void describeShowsEveryDeclaredFact() {
        assertThat(run("--plugins", plugins.toString(), "describe", "state-file"))
                .isEqualTo(ExitCodes.OK);
        assertThat(stdout())
                .startsWith("state-file 2.0.1 - test strategy state-file\n")
                .contains("  message - A message\n      a string; optional; deprecated names msg\n");

        out.reset();
        assertThat(run("--plugins", plugins.toString(), "describe", "state-file", "--format", "json"))
                .isZero();
        JsonObject parameter = JsonParser.parseString(stdout())
                .getAsJsonObject()
                .getAsJsonArray("parameters")
                .get(0)
                .getAsJsonObject();
        assertThat(parameter.get("name").getAsString()).isEqualTo("message");
        assertThat(parameter.get("type").getAsString()).isEqualTo("string");
        assertThat(parameter.getAsJsonArray("deprecatedAliases").get(0).getAsString())
                .isEqualTo("msg");
    }

    @Test
    void describeAllAsJsonIsJson() {
        assertThat(run("--plugins", plugins.toString(), "describe", "--all", "--format", "json"))
                .isZero();
        JsonObject document = JsonParser.parseString(stdout()).getAsJsonObject();
        assertThat(document.getAsJsonArray("commonParameters")
                        .get(0)
                        .getAsJsonObject()
                        .get("name")
                        .getAsString())
                .isEqualTo("strategy");
        assertThat(document.getAsJsonArray("strategies")
                        .get(0)
                        .getAsJsonObject()
                        .get("name")
                        .getAsString())
                .isEqualTo("state-file");

        out.reset();
        assertThat(run("--plugins", plugins.toString(), "describe", "--all")).isZero();
        assertThat(stdout()).as("markdown by default").startsWith("#");
    }

    @Test
    void describeOfAnUnknownStrategyIsNotFound() {
        assertThat(run("--plugins", plugins.toString(), "describe", "nope")).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(stdout()).isEmpty();
        assertThat(stderr()).contains("vpc-ha: no strategy nope installed in " + plugins + " (installed: state-file)");
    }

    @Test
    void metaDataForAllOrOneStrategy() {
        assertThat(run("--plugins", plugins.toString(), "meta-data")).isZero();
        assertThat(stdout()).contains("<resource-agent name=\"vpc-ha\"").contains("name=\"strategy\"");
        out.reset();
        assertThat(run("--plugins", plugins.toString(), "meta-data", "--strategy", "state-file"))
                .isZero();
        assertThat(stdout()).contains("<resource-agent name=\"vpc-state-file\"").doesNotContain("name=\"strategy\"");
    }

    @Test
    void ocfSubcommandRunsTheAgentWithOcfCodes() {
        // the action's time counts from this process's start, the test JVM's: a day, so that its plugins
        // get the time to load that an agent's own process gives them
        int code = VpcHaCli.run(
                new String[] {"--plugins", plugins.toString(), "ocf", "start"},
                stream(out),
                stream(err),
                Map.of(
                        "OCF_RESKEY_strategy",
                        "nope",
                        "OCF_RESKEY_metrics_dir",
                        "",
                        "OCF_RESKEY_CRM_meta_timeout",
                        Long.toString(Duration.ofDays(1).toMillis())));
        assertThat(code).isEqualTo(5);
        assertThat(stderr()).contains("ocf-exit-reason:no strategy nope installed");
    }

    @Test
    void versionAndUsageErrors() {
        assertThat(run("version", "--format", "json")).isZero();
        assertThat(JsonParser.parseString(stdout()).getAsJsonObject().get("spi").getAsString())
                .isEqualTo(SpiVersion.current());
        assertThat(run("plugins", "--format", "yaml")).isEqualTo(ExitCodes.USAGE);
        assertThat(stderr()).contains("--format");
        err.reset();
        assertThat(run("frobnicate")).isEqualTo(ExitCodes.USAGE);
        assertThat(run()).isEqualTo(ExitCodes.USAGE);
        assertThat(stderr()).contains("a subcommand is needed");
    }

    @Test
    void demoAndSimulatorComeFromTheInstallation() {
        // in a build tree there is no lib/demo: the command says so (LauncherIT runs both installed)
        assertThat(run("demo")).isEqualTo(ExitCodes.FAILED);
        assertThat(stderr()).contains("lib/demo is missing");
    }

    private int run(String... args) {
        return VpcHaCli.run(args, stream(out), stream(err), Map.of());
    }

    private static PrintStream stream(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
