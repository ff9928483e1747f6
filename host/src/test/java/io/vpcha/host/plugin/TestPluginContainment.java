package io.vpcha.host.plugin;

import static io.vpcha.host.testing.TestPluginSources.plugin;
import static io.vpcha.host.testing.TestPluginSources.providerWithConstructor;
import static io.vpcha.host.testing.TestPluginSources.stateFileProvider;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vpcha.host.Main;
import io.vpcha.host.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins that end or hang the process, in the host's own process ({@link Main}, as the launcher runs
 * it, with its {@link ExitGuard}): a test JVM cannot host them, since a held exit keeps it from ending.
 */
@Timeout(180)
class TestPluginContainment {
    /** How long plugin "slow" takes to load: more than a quarter of {@link #SLOW_TIMEOUT}'s time, less than half. */
    private static final Duration SLOW_LOADING = Duration.ofSeconds(4);
    /** Deadline 12.6 s after the process started (a tenth kept back): a quarter is 3.15 s, half 6.3 s. */
    private static final Duration SLOW_TIMEOUT = Duration.ofSeconds(14);

    @TempDir
    static Path work;

    private static Path plugins;
    private static Path hanging;
    private static Path slow;

    @TempDir
    Path state;

    @BeforeAll
    static void buildPlugins() throws Exception {
        plugins = Files.createDirectory(work.resolve("plugins"));
        plugin(plugins.resolve("good.jar"), "good", stateFileProvider("good", "good"));
        plugin(plugins.resolve("exits.jar"), "exits", providerWithConstructor("exits", "exits", "System.exit(42);"));
        plugin(
                plugins.resolve("exits-in-start.jar"),
                "late",
                stateFileProvider("late", "exits-in-start")
                        .replace(
                                "try { Files.writeString(marker",
                                "if (true) { System.exit(0); } try { Files.writeString(marker"));

        hanging = Files.createDirectory(work.resolve("hanging"));
        Files.copy(plugins.resolve("good.jar"), hanging.resolve("good.jar"));
        // asleep until the loader gives up on it, then busy: the worst a plugin can do without exiting
        plugin(
                hanging.resolve("hangs.jar"),
                "hangs",
                providerWithConstructor(
                        "hangs",
                        "hangs",
                        "try { Thread.sleep(600_000); } catch (InterruptedException e) { }"
                                + " while (true) { Thread.onSpinWait(); }"));

        slow = Files.createDirectory(work.resolve("slow"));
        plugin(
                slow.resolve("slow.jar"),
                "slow",
                providerWithConstructor(
                        "slow",
                        "slow",
                        "try { Thread.sleep(" + SLOW_LOADING.toMillis() + "); }"
                                + " catch (InterruptedException e) { Thread.currentThread().interrupt(); }"));
    }

    @Test
    void aPluginThatExitsWhileLoadingIsReportedAndEveryOtherKeepsWorking() {
        Command.Result list = vpcHa(plugins, Map.of(), "plugins", "--format", "json");
        assertThat(list.exitCode()).as("%s", list).isEqualTo(3);
        Map<String, String> status = new HashMap<>();
        JsonParser.parseString(list.stdout())
                .getAsJsonObject()
                .getAsJsonArray("plugins")
                .forEach(each -> {
                    JsonObject plugin = each.getAsJsonObject();
                    status.put(
                            Path.of(plugin.get("source").getAsString())
                                    .getFileName()
                                    .toString(),
                            plugin.get("status").getAsString()
                                    + (plugin.has("reason")
                                            ? ": " + plugin.get("reason").getAsString()
                                            : ""));
                });
        assertThat(status)
                .containsEntry("good.jar", "loaded")
                .containsEntry("exits-in-start.jar", "loaded")
                .containsEntry(
                        "exits.jar",
                        "failed: tried to end the process (System.exit) while loading; a plugin must never exit");

        Command.Result metaData = vpcHa(plugins, Map.of(), "ocf", "meta-data");
        assertThat(metaData.exitCode()).as("%s", metaData).isZero();
        assertThat(metaData.stdout()).contains("<parameter name=\"message\">");

        assertThat(vpcHa(plugins, resource("good"), "ocf", "start").exitCode()).isZero();
        assertThat(vpcHa(plugins, resource("good"), "ocf", "stop").exitCode()).isZero();
        Command.Result start = vpcHa(plugins, resource("exits"), "ocf", "start");
        assertThat(start.exitCode()).as("%s", start).isEqualTo(5);
        assertThat(start.stderr())
                .contains("ocf-exit-reason:no strategy exits installed in " + plugins)
                .contains("not loaded: " + plugins.resolve("exits.jar") + ": tried to end the process");
        assertThat(vpcHa(plugins, resource("exits"), "ocf", "stop").exitCode()).isZero();
    }

    @Test
    void aStrategyThatExitsDuringAnActionFailsThatActionWithAReason() {
        Command.Result start = vpcHa(plugins, resource("exits-in-start"), "ocf", "start");

        assertThat(start.exitCode()).as("%s", start).isEqualTo(1);
        assertThat(start.stderr())
                .contains("ocf-exit-reason:start failed: strategy exits-in-start tried to end the process "
                        + "(System.exit), which a plugin must never do");
    }

    @Test
    void aPluginThatHangsWhileLoadingCostsAQuarterOfTheActionsTime() {
        Map<String, String> probe = new HashMap<>(resource("good"));
        probe.put("OCF_RESKEY_CRM_meta_timeout", "8000");
        Instant before = Instant.now();

        Command.Result monitor = vpcHa(hanging, probe, "ocf", "monitor");

        assertThat(monitor.exitCode()).as("a probe before start: %s", monitor).isEqualTo(7);
        assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(8));

        Map<String, String> start = new HashMap<>(resource("hangs"));
        start.put("OCF_RESKEY_CRM_meta_timeout", "8000");
        Command.Result hangs = vpcHa(hanging, start, "ocf", "start");
        assertThat(hangs.exitCode())
                .as("a generic error, not 'not installed', which Pacemaker takes as a fact of the node: %s", hangs)
                .isEqualTo(1);
        assertThat(hangs.stderr())
                .contains("ocf-exit-reason:strategy hangs not loaded in the time the action had")
                .contains(hanging.resolve("hangs.jar") + ": did not finish loading in the time given");
    }

    /**
     * A tenth of a second: the JVM's own start takes longer than the quarter of it plugins may load in, as
     * for a cold action that starts after its launcher spent its time on the accelerator, or on a node so
     * loaded that a JVM's start takes a quarter of the timeout. Never "not installed" (5), which Pacemaker
     * takes as a fact of the node and bans the resource on; what the action says rests on whether the
     * resource was started here.
     */
    @Test
    void anActionWithNoTimeToLoadItsPluginNeverSaysItIsNotInstalled() {
        Map<String, String> hurried = new HashMap<>(resource("good"));
        hurried.put("OCF_RESKEY_CRM_meta_timeout", "100");

        Command.Result probe = vpcHa(plugins, hurried, "ocf", "monitor");
        assertThat(probe.exitCode())
                .as("not started here: not running, as a probe on a node that never ran it says: %s", probe)
                .isEqualTo(7);
        assertThat(probe.stderr()).contains("did not finish loading in the time given");
        Command.Result start = vpcHa(plugins, hurried, "ocf", "start");
        assertThat(start.exitCode())
                .as("a start fails, to be tried again: %s", start)
                .isEqualTo(1);
        assertThat(start.stderr()).contains("ocf-exit-reason:strategy good not loaded in the time the action had");

        assertThat(vpcHa(plugins, resource("good"), "ocf", "start").exitCode()).isZero();
        Command.Result monitor = vpcHa(plugins, hurried, "ocf", "monitor");
        assertThat(monitor.exitCode())
                .as("started here: only its plugin can tell, so the monitor fails: %s", monitor)
                .isEqualTo(1);
        Command.Result stop = vpcHa(plugins, hurried, "ocf", "stop");
        assertThat(stop.exitCode())
                .as("started here: only its plugin can undo it, so the stop fails (and the node is fenced): %s", stop)
                .isEqualTo(1);
        assertThat(vpcHa(plugins, resource("good"), "ocf", "stop").exitCode()).isZero();
        assertThat(vpcHa(plugins, hurried, "ocf", "stop").exitCode())
                .as("stopped: nothing to stop")
                .isZero();
    }

    /**
     * A stop waits half its time for its strategy's plugin, every other action a quarter: a resource
     * started here whose plugin loads slowly (a loaded node) is stopped by its strategy, not failed, which
     * would get the node fenced. The same plugin in the same time is out of time for a monitor, which then
     * fails since only the plugin could tell.
     */
    @Test
    void aStopWaitsLongerForItsPluginThanAnyOtherAction() {
        Map<String, String> started = new HashMap<>(resource("slow"));
        started.put("OCF_RESKEY_CRM_meta_timeout", "60000");
        Command.Result start = vpcHa(slow, started, "ocf", "start");
        assertThat(start.exitCode()).as("%s", start).isZero();

        Map<String, String> hurried = new HashMap<>(resource("slow"));
        hurried.put("OCF_RESKEY_CRM_meta_timeout", Long.toString(SLOW_TIMEOUT.toMillis()));
        Command.Result monitor = vpcHa(slow, hurried, "ocf", "monitor");
        assertThat(monitor.exitCode())
                .as("a quarter: out of time, and started here: %s", monitor)
                .isEqualTo(1);
        assertThat(monitor.stderr()).contains("ocf-exit-reason:strategy slow not loaded in the time the action had");

        Command.Result stop = vpcHa(slow, hurried, "ocf", "stop");
        assertThat(stop.exitCode())
                .as("half: the plugin loads and its stop runs: %s", stop)
                .isZero();
        Command.Result after = vpcHa(slow, started, "ocf", "monitor");
        assertThat(after.exitCode())
                .as("the strategy's stop ran (its marker is gone): %s", after)
                .isEqualTo(7);
    }

    private Map<String, String> resource(String strategy) {
        return Map.of(
                "OCF_RESOURCE_INSTANCE",
                "contained",
                "HA_RSCTMP",
                state.toString(),
                "OCF_RESKEY_strategy",
                strategy,
                "OCF_RESKEY_CRM_meta_timeout",
                "20000");
    }

    private static Command.Result vpcHa(Path pluginsDirectory, Map<String, String> environment, String... arguments) {
        String[] command = new String[arguments.length + 4];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        command[1] = "-cp";
        command[2] = System.getProperty("java.class.path");
        command[3] = Main.class.getName();
        System.arraycopy(arguments, 0, command, 4, arguments.length);
        Command run = Command.of(command)
                .cleanEnvironment()
                .env("VPC_HA_PLUGINS", pluginsDirectory.toString())
                .timeout(Duration.ofSeconds(60));
        environment.forEach(run::env);
        return run.run();
    }
}
