package io.vpcha.host.ocf;

import static io.vpcha.host.testing.TestPluginSources.stateFileProvider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vpcha.host.files.SafeFiles;
import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.plugin.PluginLoader;
import io.vpcha.host.plugin.PluginRegistry;
import io.vpcha.host.testing.PluginJarBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state directory ($HA_RSCTMP/vpc-ha/INSTANCE) is vpc-ha's own or it is not used: a link, another
 * user's directory or one others may write to is refused with a reason (exit 4), and stop succeeds
 * whatever it finds (a failed stop gets the node fenced). Runs a plugin compiled against the SPI alone
 * (which calls stateDirectory() as any plugin may) through the agent.
 */
class TestStateDirectory {
    @TempDir
    static Path plugins;

    @TempDir
    Path stateRoot;

    private static PluginRegistry registry;

    private AgentRuns runs;

    @BeforeAll
    static void buildPlugin() {
        new PluginJarBuilder()
                .source("sf.Provider", stateFileProvider("sf", "state-file"))
                .provider("sf.Provider")
                .build(plugins.resolve("state-file.jar"));
        registry = new PluginLoader(CommonParameters.reservedNames()).load(plugins);
        assertThat(registry.problems()).isEmpty();
    }

    @BeforeEach
    void runner() {
        runs = new AgentRuns(registry, stateRoot);
    }

    @Test
    void aLinkedVpcHaDirectoryIsNeitherWrittenNorClearedByAStopWithABadConfiguration() throws Exception {
        Path victim = Files.createDirectories(stateRoot.resolve("victim/vip1"));
        Files.writeString(victim.resolve("precious"), "keep me");
        Files.createSymbolicLink(stateRoot.resolve("vpc-ha"), stateRoot.resolve("victim"));

        assertThat(run("stop", environment("strategy", "state-file", "mesage", "typo")))
                .as("stop with a configuration that cannot work")
                .isZero();
        assertThat(victim.resolve("precious")).hasContent("keep me");
        assertThat(stderr()).contains("not clearing").contains("is a symbolic link");

        assertThat(run("start", environment("strategy", "state-file", "message", "hi")))
                .isEqualTo(OcfExitCode.ERR_PERM);
        assertThat(reason()).startsWith("state directory: ").contains("vpc-ha is a symbolic link");
        assertThat(victim).isDirectoryNotContaining("glob:**/started");

        assertThat(run("stop", environment("strategy", "state-file", "message", "hi")))
                .isZero();
        assertThat(victim.resolve("precious")).hasContent("keep me");
    }

    @Test
    void aDirectoryOthersMayWriteToIsRefusedAndStopStillSucceeds() throws Exception {
        Path mine = Files.createDirectories(stateRoot.resolve("vpc-ha"));
        Files.setPosixFilePermissions(mine, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(run("start", environment("strategy", "state-file", "message", "hi")))
                .isEqualTo(OcfExitCode.ERR_PERM);
        assertThat(reason()).contains("is writable by group or others (mode rwxrwxrwx); chmod go-w it");
        assertThat(run("monitor", environment("strategy", "state-file"))).isEqualTo(OcfExitCode.ERR_PERM);
        assertThat(run("stop", environment("strategy", "state-file", "message", "hi")))
                .isZero();
    }

    @Test
    void anotherUsersDirectoryIsRefused() throws Exception {
        assumeTrue(SafeFiles.currentUid() == 0, "needs root to give a directory away");
        Path theirs = Files.createDirectories(stateRoot.resolve("vpc-ha/vip1"));
        Files.setAttribute(theirs, "unix:uid", 65534);

        assertThat(run("start", environment("strategy", "state-file", "message", "hi")))
                .isEqualTo(OcfExitCode.ERR_PERM);
        assertThat(reason()).contains("is owned by uid 65534, not by root or this process");
        assertThat(run("stop", environment("strategy", "state-file", "message", "hi")))
                .isZero();
    }

    @Test
    void stopSucceedsWhenTheStateDirectoryCannotBeCreated() throws Exception {
        Files.writeString(stateRoot.resolve("vpc-ha"), "a file in the way");

        assertThat(run("stop", environment("strategy", "state-file", "message", "hi")))
                .as(stderr())
                .isZero();
        assertThat(run("start", environment("strategy", "state-file", "message", "hi")))
                .isEqualTo(OcfExitCode.ERR_PERM);
        assertThat(reason()).contains("vpc-ha is not a directory");
    }

    @Test
    void aStateRootThatIsNotAbsoluteIsNeverTheCurrentDirectory() {
        Map<String, String> env = environment("strategy", "state-file", "message", "hi");
        env.put("HA_RSCTMP", "relative/run");

        assertThat(run("start", env)).isEqualTo(OcfExitCode.ERR_PERM);
        assertThat(reason()).contains("(HA_RSCTMP) is not absolute");
        assertThat(run("stop", env)).isZero();
        assertThat(Path.of("relative")).doesNotExist();
    }

    @Test
    void aResourceIdLongerThanAFileNameStillHasAStateDirectory() {
        Map<String, String> env = environment("strategy", "state-file", "message", "hi");
        String longId = "r".repeat(300);
        env.put("OCF_RESOURCE_INSTANCE", longId);
        Map<String, String> other = new HashMap<>(env);
        other.put("OCF_RESOURCE_INSTANCE", "r".repeat(299) + "s");

        assertThat(run("start", env)).as(stderr()).isZero();
        assertThat(run("start", other)).isZero();
        assertThat(HostStrategyContext.stateDirectoryOf(stateRoot, longId))
                .as("shortened, and told apart by a hash")
                .isNotEqualTo(HostStrategyContext.stateDirectoryOf(stateRoot, "r".repeat(299) + "s"));
        assertThat(HostStrategyContext.stateDirectoryOf(stateRoot, longId)
                        .getFileName()
                        .toString())
                .hasSizeLessThanOrEqualTo(200);
        env.put("OCF_RESKEY_CRM_meta_interval", "10000");
        assertThat(run("monitor", env)).isZero();
        assertThat(run("stop", env)).isZero();
    }

    @Test
    void aNewStateDirectoryIsPrivate() throws Exception {
        assertThat(run("start", environment("strategy", "state-file", "message", "hi")))
                .isZero();
        assertThat(Files.getPosixFilePermissions(stateRoot.resolve("vpc-ha")))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(stateRoot.resolve("vpc-ha/vip1")))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    private Map<String, String> environment(String... parameters) {
        return runs.environment(parameters);
    }

    private int run(String action, Map<String, String> env) {
        runs.reset();
        return runs.run(action, env);
    }

    private String stderr() {
        return runs.stderr();
    }

    private String reason() {
        return runs.reason();
    }
}
