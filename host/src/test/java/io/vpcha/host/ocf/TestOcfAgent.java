package io.vpcha.host.ocf;

import static io.vpcha.host.testing.Secrets.neverShown;
import static io.vpcha.host.testing.TestPluginSources.stateFileProvider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vpcha.host.files.SafeFiles;
import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.plugin.PluginLoader;
import io.vpcha.host.plugin.PluginRegistry;
import io.vpcha.host.testing.PluginJarBuilder;
import io.vpcha.host.testing.RecordedPacemakerTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestOcfAgent {
    private static final String SECRET = "k3y-THAT-must-never-show";

    @TempDir
    static Path plugins;

    @TempDir
    Path stateRoot;

    private static PluginRegistry registry;

    private AgentRuns runs;

    @BeforeAll
    static void buildPlugins() {
        new PluginJarBuilder()
                .source("sf.Provider", stateFileProvider("sf", "state-file"))
                .provider("sf.Provider")
                .build(plugins.resolve("state-file.jar"));
        new PluginJarBuilder()
                .source("tricky.Provider", """
                package tricky;
                import io.vpcha.spi.CheckLevel;
                import io.vpcha.spi.ErrorKind;
                import io.vpcha.spi.FailoverStrategy;
                import io.vpcha.spi.MonitorRequest;
                import io.vpcha.spi.MonitorResult;
                import io.vpcha.spi.ParameterSpec;
                import io.vpcha.spi.ParameterType;
                import io.vpcha.spi.ParameterValues;
                import io.vpcha.spi.StrategyContext;
                import io.vpcha.spi.StrategyException;
                import io.vpcha.spi.StrategyProvider;
                import java.util.List;

                public final class Provider implements StrategyProvider {
                    @Override public String name() { return "tricky"; }
                    @Override public String description() { return "misbehaves on request"; }
                    @Override public List<ParameterSpec> parameters() {
                        return List.of(
                                ParameterSpec.builder("mode", ParameterType.ENUM).shortDescription("How to misbehave")
                                        .allowedValues("hang", "leak", "configured", "crash", "degraded", "cloud-stop", "survives")
                                        .required().build(),
                                ParameterSpec.builder("token", ParameterType.STRING).shortDescription("A secret")
                                        .sensitive().build());
                    }
                    @Override public FailoverStrategy create(ParameterValues values, StrategyContext context) {
                        // a stop after a bad change may come without it (required values that cannot be
                        // used are left out then)
                        String mode = values.string("mode").orElse("");
                        String token = values.string("token").orElse("");
                        return new FailoverStrategy() {
                            @Override public void start() throws StrategyException {
                                switch (mode) {
                                    case "hang" -> {
                                        try { Thread.sleep(60_000); } catch (InterruptedException e) { }
                                    }
                                    case "leak" -> {
                                        context.logger().log(System.Logger.Level.INFO, "using token " + token);
                                        throw StrategyException.generic("IAM refused key " + token);
                                    }
                                    case "configured" -> throw StrategyException.notConfigured("vip 10.0.0.1 is in no route");
                                    case "crash" -> throw new IllegalStateException("bug with " + token);
                                    default -> { }
                                }
                            }
                            @Override public void stop() throws StrategyException {
                                context.logger().log(System.Logger.Level.INFO, "tricky stop ran, mode [" + mode + "]");
                                if (mode.equals("cloud-stop")) {
                                    context.cloud().vpc().listFloatingIps();
                                }
                                if (mode.equals("survives")) {
                                    throw new StrategyException(ErrorKind.GENERIC, "the listener did not end, not even on SIGKILL");
                                }
                            }
                            @Override public MonitorResult monitor(MonitorRequest request) {
                                return mode.equals("degraded") ? MonitorResult.degraded("API slow, route unverified")
                                        : MonitorResult.notRunning("never runs");
                            }
                            @Override public void validate(CheckLevel level) throws StrategyException {
                                if (level == CheckLevel.CLOUD) {
                                    throw new StrategyException(ErrorKind.INSUFFICIENT_PRIVILEGES, "cannot list routing tables");
                                }
                            }
                        };
                    }
                }
                """)
                .provider("tricky.Provider")
                .build(plugins.resolve("tricky.jar"));
        registry = new PluginLoader(CommonParameters.reservedNames()).load(plugins);
        assertThat(registry.problems()).isEmpty();
    }

    @BeforeEach
    void runner() {
        runs = new AgentRuns(registry, stateRoot);
    }

    @Test
    void lifecycleOfAStateFileResource() {
        Map<String, String> env = environment("strategy", "state-file", "message", "hello");

        assertThat(run("monitor", env)).as("probe before start").isEqualTo(OcfExitCode.NOT_RUNNING);
        assertThat(run("validate-all", env)).isZero();
        assertThat(run("start", env)).isZero();
        assertThat(run("start", env)).as("start is idempotent").isZero();
        env.put("OCF_RESKEY_CRM_meta_interval", "10000");
        assertThat(run("monitor", env)).isZero();
        assertThat(Files.exists(stateRoot.resolve("vpc-ha/vip1/started"))).isTrue();
        assertThat(run("stop", env)).isZero();
        assertThat(run("stop", env)).as("stop is idempotent").isZero();
        assertThat(run("monitor", env)).isEqualTo(OcfExitCode.NOT_RUNNING);
        assertThat(stderr()).contains("ocf-exit-reason:no marker");
    }

    @Test
    void aRecurringMonitorThatFindsTheResourceGoneRecordsATakeawayAndAProbeForgetsIt() throws Exception {
        Map<String, String> env = environment("strategy", "state-file", "message", "hello");
        env.put("OCF_RESKEY_CRM_meta_interval", "10000");
        assertThat(run("monitor", env)).isEqualTo(OcfExitCode.NOT_RUNNING);
        Path guard = stateRoot.resolve("vpc-ha/.split-brain-vip1");
        assertThat(Files.readString(guard)).containsPattern("takeaways=[0-9]+");

        env.remove("OCF_RESKEY_CRM_meta_interval");
        assertThat(run("monitor", env)).as("a probe").isEqualTo(OcfExitCode.NOT_RUNNING);
        assertThat(Files.readString(guard)).contains("takeaways=\n");
    }

    @Test
    void reloadAgentChecksTheNewParametersAndReloads() {
        assertThat(run("reload-agent", environment("strategy", "state-file", "message", "new text")))
                .isZero();
        assertThat(run("reload-agent", environment("strategy", "state-file", "mesage", "typo")))
                .isEqualTo(OcfExitCode.ERR_CONFIGURED);
        assertThat(stderr()).contains("mesage: not a parameter of strategy state-file (did you mean message?)");
    }

    @Test
    void stopWithAConfigurationThatCannotWorkForgetsTheResourceInsteadOfFailing() throws Exception {
        assertThat(run("start", environment("strategy", "state-file", "message", "hello")))
                .isZero();
        assertThat(Files.exists(stateRoot.resolve("vpc-ha/vip1/started"))).isTrue();
        // as a vpc-ha that recorded nothing at the start left it: the stop has only the configuration
        Files.delete(stateRoot.resolve("vpc-ha/.stop/vip1"));

        assertThat(run("stop", environment("strategy", "state-file", "mesage", "typo")))
                .as("a failed stop fences")
                .isZero();
        assertThat(stderr()).contains("WARNING: stop with a configuration that cannot work (mesage: not a parameter");
        assertThat(Files.exists(stateRoot.resolve("vpc-ha/vip1/started")))
                .as("the strategy's stop ran, with the parameters that could be used")
                .isFalse();
        assertThat(run("start", environment("strategy", "state-file", "mesage", "typo")))
                .as("start still refuses it")
                .isEqualTo(OcfExitCode.ERR_CONFIGURED);
    }

    @Test
    void stopWithCloudParametersThatCannotWorkStillRunsTheStrategysStop() {
        assertThat(run("start", environment("strategy", "state-file", "message", "hello")))
                .isZero();

        assertThat(run("stop", environment("strategy", "state-file", "request_timeout", "0", "vpc_url", "http://x")))
                .isZero();

        assertThat(Files.exists(stateRoot.resolve("vpc-ha/vip1/started"))).isFalse();
        assertThat(stderr()).contains("request_timeout: '0' is not 1 to 300");
    }

    @Test
    void stopRunsTheStrategysStopWhenARequiredParameterHasNoUsableValue() {
        // what a start recorded on this node is undone from the record: a removed or broken required
        // parameter must not skip that (a listener or an address would stay behind)
        assertThat(run("stop", environment("strategy", "tricky", "mode", "no-such-mode")))
                .as("a failed stop fences")
                .isZero();
        assertThat(stderr())
                .contains("WARNING: stop with a configuration that cannot work (mode: 'no-such-mode' is not one of")
                .contains("INFO: tricky stop ran, mode []");

        runs.resetErr();
        assertThat(run("stop", environment("strategy", "tricky"))).isZero();
        assertThat(stderr()).contains("mode: required but not set").contains("tricky stop ran, mode []");
    }

    @Test
    void aPromotableInstanceStopsWhateverItsConfigurationAndForgetsItsRecord() {
        Map<String, String> env = environment("strategy", "state-file", "message", "hi", "CRM_meta_promotable", "true");
        env.put("HA_SBIN_DIR", stateRoot.resolve("no-pacemaker-tools").toString());
        assertThat(run("start", env)).isZero();
        assertThat(run("promote", env)).isZero();
        assertThat(Files.exists(stateRoot.resolve("vpc-ha/.standby/vip1"))).isTrue();
        Map<String, String> broken = new HashMap<>(env);
        broken.put("OCF_RESKEY_request_timeout", "0");
        broken.put("OCF_RESKEY_vpc_url", "http://x");

        assertThat(run("demote", broken)).as("demote is no stop").isEqualTo(OcfExitCode.ERR_CONFIGURED);
        assertThat(run("stop", broken)).as("a failed stop fences").isZero();

        assertThat(Files.exists(stateRoot.resolve("vpc-ha/vip1/started")))
                .as("the strategy's stop ran")
                .isFalse();
        assertThat(Files.exists(stateRoot.resolve("vpc-ha/.standby/vip1")))
                .as("the instance's record")
                .isFalse();
    }

    @Test
    void aPromotableInstanceThatIsNotReadyRunsUnpromotedWithALowScoreAndNoFailedMonitor() {
        RecordedPacemakerTools tools = RecordedPacemakerTools.in(stateRoot.resolve("sbin"));
        Map<String, String> env = environment(
                "strategy",
                "state-file",
                "message",
                "hi",
                "CRM_meta_promotable",
                "true",
                "api_key_file",
                stateRoot.resolve("no-such-key").toString());
        env.put("HA_SBIN_DIR", tools.directory());

        assertThat(run("start", env)).as(stderr()).isZero();
        env.put("OCF_RESKEY_CRM_meta_interval", "11000");
        runs.reset();
        // a failed Unpromoted monitor would stall its cancel when a new DC promotes this node
        assertThat(run("monitor", env)).as(stderr()).isEqualTo(OcfExitCode.SUCCESS);
        assertThat(stderr()).doesNotContain("ocf-exit-reason:");
        runs.reset();
        env.remove("OCF_RESKEY_CRM_meta_interval");
        assertThat(run("monitor", env)).as("probe").isEqualTo(OcfExitCode.SUCCESS);
        assertThat(stderr()).doesNotContain("ocf-exit-reason:");
        assertThat(tools.takeCalls())
                .as("not ready: the lowest positive score, the reason in the node attribute")
                .contains("crm_attribute --promotion -v " + PromotableResource.SCORE_NOT_READY)
                .doesNotContain("crm_attribute --promotion -v " + PromotableResource.SCORE_READY)
                .anySatisfy(call -> assertThat(call)
                        .startsWith("crm_attribute -N node1 -n vpc-ha-readiness-vip1 -l reboot -v not ready: "));

        assertThat(run("stop", env)).isZero();
        assertThat(tools.takeCalls())
                .contains(
                        "crm_attribute --promotion -D", "crm_attribute -N node1 -n vpc-ha-readiness-vip1 -l reboot -D");
    }

    @Test
    void aPromotedNodeIsShownReadyWhateverItsLastCheckSaidAndAReadyOneCostsOneTool() {
        RecordedPacemakerTools tools = RecordedPacemakerTools.in(stateRoot.resolve("sbin"));
        Map<String, String> env = environment(
                "strategy",
                "state-file",
                "message",
                "hi",
                "CRM_meta_promotable",
                "true",
                "api_key_file",
                stateRoot.resolve("no-such-key").toString());
        env.put("HA_SBIN_DIR", tools.directory());
        assertThat(run("start", env)).as(stderr()).isZero();
        assertThat(tools.takeCalls())
                .anySatisfy(call -> assertThat(call)
                        .startsWith("crm_attribute -N node1 -n vpc-ha-readiness-vip1 -l reboot -v not ready: "));

        // the last check said not ready (no key), but this strategy's start needs none: the takeover worked
        assertThat(run("promote", env)).as(stderr()).isZero();
        assertThat(tools.takeCalls())
                .as("the score and the attribute, side by side")
                .containsExactlyInAnyOrder(
                        "crm_attribute --promotion -v " + PromotableResource.SCORE_PROMOTED,
                        "crm_attribute -N node1 -n vpc-ha-readiness-vip1 -l reboot -v ready");
        assertThat(run("demote", env)).isZero();
        assertThat(tools.takeCalls())
                .as("the promotion proved the node ready")
                .containsExactly("crm_attribute --promotion -v " + PromotableResource.SCORE_READY);

        assertThat(run("promote", env)).isZero();
        assertThat(tools.takeCalls())
                .as("the attribute already says ready: one tool on the failover's path")
                .containsExactly("crm_attribute --promotion -v " + PromotableResource.SCORE_PROMOTED);
    }

    @Test
    void aStopThatNeedsTheCloudOfABadConfigurationStillSucceeds() {
        assertThat(run(
                        "stop",
                        environment("strategy", "tricky", "mode", "cloud-stop", "iam_url", "http://iam.example")))
                .as("a failed stop fences")
                .isZero();
        assertThat(stderr())
                .contains("stop of strategy tricky with the usable parameters failed too (the cloud parameters "
                        + "cannot work: iam_url: 'http://iam.example' must use https");
    }

    @Test
    void aStopWithABadConfigurationFailsWhenTheStrategySaysWhatItStartedStillRuns() {
        // a failed stop fences, which is the answer when the node would otherwise go on serving
        assertThat(run("start", environment("strategy", "tricky", "mode", "survives")))
                .isZero();
        Map<String, String> broken = environment("strategy", "tricky", "mode", "survives", "request_timeout", "0");

        assertThat(run("stop", broken)).isEqualTo(OcfExitCode.ERR_GENERIC);

        assertThat(stderr())
                .contains("WARNING: stop with a configuration that cannot work (request_timeout: '0' is not 1 to 300")
                .contains("ocf-exit-reason:the listener did not end, not even on SIGKILL")
                .doesNotContain("clearing this node's state");
        assertThat(stateRoot.resolve("vpc-ha/.stop/vip1"))
                .as("the record names what still runs, for the next stop")
                .isRegularFile();
    }

    @Test
    void anExitReasonIsCutToWhatPacemakerKeepsAndTheLogHasItWhole() {
        String huge = "é".repeat(5000);
        assertThat(run("start", environment("strategy", "tricky", "mode", huge)))
                .isEqualTo(OcfExitCode.ERR_CONFIGURED);

        String reason = stderr().lines()
                .filter(line -> line.startsWith("ocf-exit-reason:"))
                .map(line -> line.substring("ocf-exit-reason:".length()))
                .findFirst()
                .orElseThrow();
        assertThat(reason.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(128);
        assertThat(reason).startsWith("mode: 'éé").endsWith("...");
        assertThat(stderr()).contains("INFO: the exit reason in full: mode: '" + huge + "' is not one of");
    }

    @Test
    void passwordsInUrlsNeverReachTheLogOrTheExitReason() {
        assertThat(run(
                        "start",
                        environment("strategy", "state-file", "vpc_url", "https://admin:Pa55-word@vpc.example.com/v1")))
                .isEqualTo(OcfExitCode.ERR_CONFIGURED);
        assertThat(stderr())
                .contains("ocf-exit-reason:vpc_url: 'https://***@vpc.example.com/v1' is not an http(s) URL")
                .doesNotContain("Pa55-word")
                .doesNotContain("admin");

        runs.resetErr();
        Map<String, String> env = environment("strategy", "tricky", "mode", "leak", "token", "x");
        env.put("HA_debug", "1");
        env.put("OCF_RESKEY_iam_url", "https://apikey:S3cret-key@iam.example.com");
        assertThat(run("start", env)).isEqualTo(OcfExitCode.ERR_CONFIGURED);
        neverShown(stderr(), "S3cret-key");
    }

    @Test
    void aProbeThatFindsNothingIsQuiet() {
        assertThat(run("monitor", environment("strategy", "state-file"))).isEqualTo(OcfExitCode.NOT_RUNNING);
        assertThat(stderr()).isEmpty();
    }

    @Test
    void missingOrUnknownStrategyIsRefusedWithAReason() {
        assertThat(run("start", environment())).isEqualTo(OcfExitCode.ERR_CONFIGURED);
        assertThat(stderr())
                .isEqualTo("ocf-exit-reason:strategy: required but not set (installed: state-file, tricky)\n");

        runs.resetErr();
        assertThat(run("start", environment("strategy", "custom-rout"))).isEqualTo(OcfExitCode.ERR_INSTALLED);
        assertThat(stderr())
                .contains("ocf-exit-reason:no strategy custom-rout installed in " + plugins
                        + " (installed: state-file, tricky)");

        runs.resetErr();
        assertThat(run("stop", environment("strategy", "custom-rout")))
                .as("a strategy that is not installed cannot be running: stop succeeds")
                .isZero();
    }

    @Test
    void badParametersAreNamedAllAtOnce() {
        int code = run("start", environment("strategy", "tricky", "mode", "explode", "mesage", "x"));

        assertThat(code).isEqualTo(OcfExitCode.ERR_CONFIGURED);
        assertThat(stderr())
                .contains("ocf-exit-reason:")
                .contains("mesage: not a parameter of strategy tricky")
                .contains("mode: 'explode' is not one of hang, leak, configured, crash, degraded, cloud-stop");
        assertThat(stderr().lines()
                        .filter(line -> line.startsWith("ocf-exit-reason:"))
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aParameterOfAnotherStrategyIsNamedAsSuch() {
        assertThat(run("start", environment("strategy", "tricky", "mode", "configured", "message", "x")))
                .isEqualTo(OcfExitCode.ERR_CONFIGURED);
        assertThat(stderr()).contains("message: a parameter of strategy state-file, not of tricky");
    }

    @Test
    void aDeprecatedAliasWorksWithAWarning() {
        assertThat(run("start", environment("strategy", "state-file", "msg", "old name")))
                .isZero();
        assertThat(stderr()).contains("WARNING: parameter msg is deprecated; use message");
    }

    @Test
    void strategyErrorsKeepTheirKindAndReason() {
        assertThat(run("start", environment("strategy", "tricky", "mode", "configured")))
                .isEqualTo(OcfExitCode.ERR_CONFIGURED);
        assertThat(stderr()).isEqualTo("ocf-exit-reason:vip 10.0.0.1 is in no route\n");

        runs.resetErr();
        Map<String, String> env = environment("strategy", "tricky", "mode", "configured");
        env.put("OCF_CHECK_LEVEL", "10");
        assertThat(run("validate-all", env)).isEqualTo(OcfExitCode.ERR_PERM);
        assertThat(stderr()).isEqualTo("ocf-exit-reason:cannot list routing tables\n");
    }

    @Test
    void degradedIsReportedAs190WithItsReason() {
        Map<String, String> env = environment("strategy", "tricky", "mode", "degraded");
        env.put("OCF_RESKEY_CRM_meta_interval", "10000");
        assertThat(run("monitor", env)).isEqualTo(OcfExitCode.DEGRADED);
        assertThat(stderr())
                .contains("WARNING: API slow, route unverified")
                .contains("ocf-exit-reason:API slow, route unverified");
    }

    @Test
    void secretsNeverReachTheLogOrTheExitReason() {
        assertThat(run("start", environment("strategy", "tricky", "mode", "leak", "token", SECRET)))
                .isEqualTo(OcfExitCode.ERR_GENERIC);
        assertThat(neverShown(stderr(), SECRET)).contains("using token ***").contains("IAM refused key ***");

        runs.resetErr();
        assertThat(run("start", environment("strategy", "tricky", "mode", "crash", "token", SECRET)))
                .isEqualTo(OcfExitCode.ERR_GENERIC);
        assertThat(neverShown(stderr(), SECRET)).contains("IllegalStateException: bug with ***");
    }

    @Test
    void anActionThatHangsEndsBeforeItsTimeoutWithAReason() {
        Map<String, String> env = environment("strategy", "tricky", "mode", "hang");
        env.put("OCF_RESKEY_CRM_meta_timeout", "3000");

        assertThat(run("start", env)).isEqualTo(OcfExitCode.ERR_GENERIC);
        assertThat(stderr()).contains("ocf-exit-reason:start did not finish within its 3s timeout");
    }

    @Test
    void unknownActionsAreUnimplementedAndUsageIsSuccess() {
        assertThat(run("migrate_to", environment("strategy", "state-file"))).isEqualTo(OcfExitCode.ERR_UNIMPLEMENTED);
        assertThat(stderr())
                .contains("usage: vpc-ha {start|stop|monitor|promote|demote|validate-all|reload-agent|meta-data}")
                .contains("ocf-exit-reason:action migrate_to is not implemented");
        assertThat(run("promote", environment("strategy", "state-file"))).isEqualTo(OcfExitCode.ERR_UNIMPLEMENTED);
        assertThat(stderr()).contains("ocf-exit-reason:promote is only for an instance of a promotable clone");
        assertThat(run("usage", environment())).isZero();
    }

    @Test
    void aPerStrategyAgentFixesTheStrategy() {
        Map<String, String> env = environment("message", "hi");
        env.put(OcfEnvironment.FIXED_STRATEGY, "state-file");
        assertThat(run("start", env)).isZero();

        env.put("OCF_RESKEY_strategy", "tricky");
        assertThat(run("start", env)).isEqualTo(OcfExitCode.ERR_CONFIGURED);
        assertThat(stderr()).contains("strategy is tricky but this agent is vpc-state-file");
        assertThat(run("stop", env)).as("the agent's own strategy stops").isZero();
        assertThat(Files.exists(stateRoot.resolve("vpc-ha/vip1/started"))).isFalse();
    }

    @Test
    void metaDataDescribesEveryStrategyOrJustTheFixedOne() {
        assertThat(run("meta-data", environment())).isZero();
        String generic = stdout();
        assertThat(generic)
                .contains("<resource-agent name=\"vpc-ha\"")
                .contains("<parameter name=\"strategy\" required=\"1\">")
                .contains("<parameter name=\"message\">")
                .contains("<parameter name=\"mode\">")
                .contains("<parameter name=\"token\" private=\"1\">")
                .contains("<parameter name=\"msg\">")
                .contains("<action name=\"reload-agent\" timeout=\"30s\"/>");

        runs.resetOut();
        Map<String, String> env = environment();
        env.put(OcfEnvironment.FIXED_STRATEGY, "tricky");
        assertThat(run("meta-data", env)).isZero();
        assertThat(stdout())
                .contains("<resource-agent name=\"vpc-tricky\"")
                .contains("<parameter name=\"mode\" required=\"1\">")
                .doesNotContain("name=\"strategy\"")
                .doesNotContain("name=\"message\"");
    }

    /**
     * Pacemaker stops a resource whose parameters changed with the new ones: the stop (and a demote)
     * undoes what the start did, with the strategy and parameters the start recorded
     * ($HA_RSCTMP/vpc-ha/.stop/INSTANCE, no secrets), and the current ones when nothing was recorded.
     */
    @Nested
    class ChangedWhileItRuns {
        private Path record;
        private Path marker;

        @BeforeEach
        void paths() {
            record = stateRoot.resolve("vpc-ha/.stop/vip1");
            marker = stateRoot.resolve("vpc-ha/vip1/started");
        }

        @Test
        void aStopAfterTheStrategyChangedStopsTheStrategyThatStartedIt() throws Exception {
            assertThat(run("start", environment("strategy", "state-file", "message", "hello")))
                    .isZero();
            assertThat(marker).exists();
            assertThat(record).content().contains("strategy=state-file").contains("parameter.message=hello");

            // the new strategy's stop fails; the one that started the resource is the one to stop
            assertThat(run("stop", environment("strategy", "tricky", "mode", "survives")))
                    .as(stderr())
                    .isZero();

            assertThat(marker).as("state-file's stop ran").doesNotExist();
            assertThat(stderr())
                    .contains("INFO: stop: strategy state-file started this resource here with other parameters than "
                            + "the current ones (changed: strategy, message); undoing what it started")
                    .doesNotContain("tricky stop ran");
            assertThat(record).as("stopped: nothing to remember").doesNotExist();
            runs.reset();
            assertThat(run("stop", environment("strategy", "tricky", "mode", "degraded")))
                    .as("with nothing recorded, the current configuration")
                    .isZero();
            assertThat(stderr()).contains("tricky stop ran, mode [degraded]");
        }

        @Test
        void aStopAfterAParameterChangedUsesTheValuesItStartedWithAndNoSecretIsRecorded() throws Exception {
            assertThat(run("start", environment("strategy", "tricky", "mode", "degraded", "token", SECRET)))
                    .isZero();
            assertThat(neverShown(Files.readString(record), SECRET)).contains("parameter.mode=degraded");
            assertThat(Files.getPosixFilePermissions(record)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(record.getParent()))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));

            assertThat(run("stop", environment("strategy", "tricky", "mode", "survives", "token", SECRET)))
                    .as(stderr())
                    .isZero();

            assertThat(neverShown(stderr(), SECRET))
                    .contains("(changed: mode)")
                    .contains("tricky stop ran, mode [degraded]");
        }

        @Test
        void aStopWithoutAnyStrategyStopsTheOneThatStartedIt() {
            assertThat(run("start", environment("strategy", "state-file", "message", "hello")))
                    .isZero();

            assertThat(run("stop", environment())).as(stderr()).isZero();

            assertThat(marker).as("state-file's stop ran").doesNotExist();
            assertThat(stderr()).contains("(changed: strategy, message)").doesNotContain("required but not set");
        }

        @Test
        void aStopWithTheParametersItStartedWithSaysNothingOfThem() {
            Map<String, String> env = environment("strategy", "state-file", "msg", "hello");
            assertThat(run("start", env)).isZero();
            env.put("OCF_RESKEY_request_timeout", "30");
            assertThat(run("stop", env))
                    .as("a cloud parameter is no change of what runs")
                    .isZero();
            assertThat(stderr()).doesNotContain("other parameters");
            assertThat(record).doesNotExist();
        }

        @Test
        void reloadAgentRecordsTheParametersTheResourceNowRunsWith() {
            assertThat(run("start", environment("strategy", "tricky", "mode", "degraded")))
                    .isZero();
            assertThat(run("reload-agent", environment("strategy", "tricky", "mode", "survives")))
                    .isZero();

            assertThat(run("stop", environment("strategy", "tricky", "mode", "survives")))
                    .as("the stop runs with what the reload recorded")
                    .isEqualTo(OcfExitCode.ERR_GENERIC);
            assertThat(stderr()).contains("tricky stop ran, mode [survives]").doesNotContain("other parameters");
            assertThat(record).as("a failed stop keeps it").isRegularFile();
        }

        @Test
        void aDemoteAfterTheStrategyChangedStopsWhatThePromoteStarted() {
            Map<String, String> env =
                    environment("strategy", "state-file", "message", "hi", "CRM_meta_promotable", "true");
            env.put("HA_SBIN_DIR", stateRoot.resolve("no-pacemaker-tools").toString());
            assertThat(run("start", env)).isZero();
            assertThat(run("promote", env)).isZero();
            assertThat(marker).exists();
            Map<String, String> changed =
                    environment("strategy", "tricky", "mode", "survives", "CRM_meta_promotable", "true");
            changed.put("HA_SBIN_DIR", env.get("HA_SBIN_DIR"));

            assertThat(run("demote", changed)).as(stderr()).isZero();
            assertThat(marker).as("state-file's stop ran").doesNotExist();
            assertThat(record).as("a demote is no stop").isRegularFile();
            assertThat(run("stop", changed)).as(stderr()).isZero();

            assertThat(stderr())
                    .contains("demote: strategy state-file started this resource here")
                    .contains("stop: strategy state-file started this resource here")
                    .doesNotContain("tricky stop ran");
            assertThat(record).doesNotExist();
            assertThat(stateRoot.resolve("vpc-ha/.standby/vip1")).doesNotExist();
        }

        @Test
        void aStopWhoseStrategysPluginIsGoneFailsNamingItWhileItsMarkerSaysItRuns() throws Exception {
            Path withGone = Files.createDirectories(stateRoot.resolve("plugins-with-gone"));
            new PluginJarBuilder()
                    .source("gone.Provider", stateFileProvider("gone", "gone"))
                    .provider("gone.Provider")
                    .build(withGone.resolve("gone.jar"));
            AgentRuns before =
                    new AgentRuns(new PluginLoader(CommonParameters.reservedNames()).load(withGone), stateRoot);
            assertThat(before.run("start", environment("strategy", "gone", "message", "hi")))
                    .as(before.stderr())
                    .isZero();

            for (String strategy : new String[] {"gone", "state-file"}) {
                runs.reset();
                assertThat(run("stop", environment("strategy", strategy, "message", "hi")))
                        .as("stop with strategy=%s", strategy)
                        .isEqualTo(OcfExitCode.ERR_GENERIC);
                assertThat(runs.reason())
                        .startsWith("cannot stop: strategy gone started this resource here and its plugin is gone; "
                                + "reinstall it");
                assertThat(marker).as("nothing was stopped").exists();
                assertThat(record).isRegularFile();
            }

            // what the strategy's state says: nothing of it runs here
            Files.delete(marker);
            runs.reset();
            assertThat(run("stop", environment("strategy", "state-file", "message", "hi")))
                    .as(stderr())
                    .isZero();
            assertThat(stderr())
                    .contains("stop: strategy gone started this resource here, but no strategy gone installed")
                    .contains("nothing of it runs here (no started marker)");
            assertThat(record).doesNotExist();
            assertThat(marker.getParent()).as("its state cleared").doesNotExist();
        }

        @Test
        void aRecordOthersCouldHaveWrittenIsIgnored() throws Exception {
            assertThat(run("start", environment("strategy", "state-file", "message", "hello")))
                    .isZero();
            Files.setPosixFilePermissions(record, PosixFilePermissions.fromString("rw-rw-rw-"));

            assertThat(run("stop", environment("strategy", "tricky", "mode", "degraded")))
                    .isZero();

            assertThat(stderr())
                    .contains("WARNING: ignoring " + record + ": chmod go-w " + record)
                    .contains("tricky stop ran, mode [degraded]");
        }
    }

    /**
     * The state directory ($HA_RSCTMP/vpc-ha/INSTANCE) is vpc-ha's own or it is not used: a link, another
     * user's directory or one others may write to is refused with a reason (exit 4), and stop succeeds
     * whatever it finds (a failed stop gets the node fenced). The state-file plugin calls
     * stateDirectory() as any plugin may.
     */
    @Nested
    class StateDirectory {
        @Test
        void aLinkedVpcHaDirectoryIsNeitherWrittenNorClearedByAStopWithABadConfiguration() throws Exception {
            Path victim = Files.createDirectories(stateRoot.resolve("victim/vip1"));
            Files.writeString(victim.resolve("precious"), "keep me");
            Files.createSymbolicLink(stateRoot.resolve("vpc-ha"), stateRoot.resolve("victim"));

            assertThat(fresh("stop", environment("strategy", "state-file", "mesage", "typo")))
                    .as("stop with a configuration that cannot work")
                    .isZero();
            assertThat(victim.resolve("precious")).hasContent("keep me");
            assertThat(stderr()).contains("vpc-ha is a symbolic link");

            assertThat(fresh("start", environment("strategy", "state-file", "message", "hi")))
                    .isEqualTo(OcfExitCode.ERR_PERM);
            assertThat(reason()).startsWith("state directory: ").contains("vpc-ha is a symbolic link");
            assertThat(victim).isDirectoryNotContaining("glob:**/started");

            assertThat(fresh("stop", environment("strategy", "state-file", "message", "hi")))
                    .isZero();
            assertThat(victim.resolve("precious")).hasContent("keep me");
        }

        @Test
        void aDirectoryOthersMayWriteToIsRefusedAndStopStillSucceeds() throws Exception {
            Path mine = Files.createDirectories(stateRoot.resolve("vpc-ha"));
            Files.setPosixFilePermissions(mine, PosixFilePermissions.fromString("rwxrwxrwx"));

            assertThat(fresh("start", environment("strategy", "state-file", "message", "hi")))
                    .isEqualTo(OcfExitCode.ERR_PERM);
            assertThat(reason()).contains("is writable by group or others (mode rwxrwxrwx); chmod go-w it");
            assertThat(fresh("monitor", environment("strategy", "state-file"))).isEqualTo(OcfExitCode.ERR_PERM);
            assertThat(fresh("stop", environment("strategy", "state-file", "message", "hi")))
                    .isZero();
        }

        @Test
        void anotherUsersDirectoryIsRefused() throws Exception {
            assumeTrue(SafeFiles.currentUid() == 0, "needs root to give a directory away");
            Path theirs = Files.createDirectories(stateRoot.resolve("vpc-ha/vip1"));
            Files.setAttribute(theirs, "unix:uid", 65534);

            assertThat(fresh("start", environment("strategy", "state-file", "message", "hi")))
                    .isEqualTo(OcfExitCode.ERR_PERM);
            assertThat(reason()).contains("is owned by uid 65534, not by root or this process");
            assertThat(fresh("stop", environment("strategy", "state-file", "message", "hi")))
                    .isZero();
        }

        @Test
        void stopSucceedsWhenTheStateDirectoryCannotBeCreated() throws Exception {
            Files.writeString(stateRoot.resolve("vpc-ha"), "a file in the way");

            assertThat(fresh("stop", environment("strategy", "state-file", "message", "hi")))
                    .as(stderr())
                    .isZero();
            assertThat(fresh("start", environment("strategy", "state-file", "message", "hi")))
                    .isEqualTo(OcfExitCode.ERR_PERM);
            assertThat(reason()).contains("vpc-ha is not a directory");
        }

        @Test
        void aStateRootThatIsNotAbsoluteIsNeverTheCurrentDirectory() {
            Map<String, String> env = environment("strategy", "state-file", "message", "hi");
            env.put("HA_RSCTMP", "relative/run");

            assertThat(fresh("start", env)).isEqualTo(OcfExitCode.ERR_PERM);
            assertThat(reason()).contains("(HA_RSCTMP) is not absolute");
            assertThat(fresh("stop", env)).isZero();
            assertThat(Path.of("relative")).doesNotExist();
        }

        @Test
        void aResourceIdLongerThanAFileNameStillHasAStateDirectory() {
            Map<String, String> env = environment("strategy", "state-file", "message", "hi");
            String longId = "r".repeat(300);
            env.put("OCF_RESOURCE_INSTANCE", longId);
            Map<String, String> other = new HashMap<>(env);
            other.put("OCF_RESOURCE_INSTANCE", "r".repeat(299) + "s");

            assertThat(fresh("start", env)).as(stderr()).isZero();
            assertThat(fresh("start", other)).isZero();
            assertThat(HostStrategyContext.stateDirectoryOf(stateRoot, longId))
                    .as("shortened, and told apart by a hash")
                    .isNotEqualTo(HostStrategyContext.stateDirectoryOf(stateRoot, "r".repeat(299) + "s"));
            assertThat(HostStrategyContext.stateDirectoryOf(stateRoot, longId)
                            .getFileName()
                            .toString())
                    .hasSizeLessThanOrEqualTo(200);
            env.put("OCF_RESKEY_CRM_meta_interval", "10000");
            assertThat(fresh("monitor", env)).isZero();
            assertThat(fresh("stop", env)).isZero();
        }

        @Test
        void aNewStateDirectoryIsPrivate() throws Exception {
            assertThat(fresh("start", environment("strategy", "state-file", "message", "hi")))
                    .isZero();
            assertThat(Files.getPosixFilePermissions(stateRoot.resolve("vpc-ha")))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(Files.getPosixFilePermissions(stateRoot.resolve("vpc-ha/vip1")))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        }

        /** Runs an action with what was printed before forgotten. */
        private int fresh(String action, Map<String, String> env) {
            runs.reset();
            return runs.run(action, env);
        }

        private String reason() {
            return runs.reason();
        }
    }

    private Map<String, String> environment(String... parameters) {
        return runs.environment(parameters);
    }

    private int run(String action, Map<String, String> env) {
        return runs.run(action, env);
    }

    private String stdout() {
        return runs.stdout();
    }

    private String stderr() {
        return runs.stderr();
    }
}
