package io.vpcha.host.doctor;

import static io.vpcha.host.testing.Secrets.neverShown;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.cli.VpcHaCli;
import io.vpcha.host.ocf.OcfAgent;
import io.vpcha.host.ocf.OcfEnvironment;
import io.vpcha.host.ocf.OcfExitCode;
import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.plugin.PluginLoader;
import io.vpcha.host.testing.PluginJarBuilder;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.scenario.Scenario;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vpc-ha doctor through its command line, against the simulator, with a test plugin whose cloud check
 * reads the routing tables (as a strategy's validate-all at level 10 does) and whose start writes a
 * route, and Pacemaker's tools on a CIB file.
 */
class TestDoctor {
    private static final String KEY = "sim-test-apikey-ha-0000000000000001";
    private static final String TOKEN = "t0ken-THAT-must-never-show";
    private static VpcSimulator simulator;

    @TempDir
    static Path plugins;

    @TempDir
    Path work;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void start() {
        simulator = VpcSimulator.builder()
                .scenario(Scenario.threeZone())
                .perInstanceMetadata(true)
                .start();
        new PluginJarBuilder()
                .source("probe.Provider", """
                package probe;
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
                import io.vpcha.spi.cloud.CloudErrorKind;
                import io.vpcha.spi.cloud.CloudException;
                import io.vpcha.spi.cloud.Route;
                import io.vpcha.spi.cloud.RoutePatch;
                import io.vpcha.spi.cloud.RoutingTable;
                import java.util.List;
                public final class Provider implements StrategyProvider {
                    public String name() { return "table-reader"; }
                    public String description() { return "reads the routing tables in validate-all, writes a route in start"; }
                    public List<ParameterSpec> parameters() {
                        return List.of(
                                ParameterSpec.builder("table", ParameterType.STRING).shortDescription("t").required().build(),
                                ParameterSpec.builder("token", ParameterType.STRING).shortDescription("a secret").sensitive().build());
                    }
                    public FailoverStrategy create(ParameterValues values, StrategyContext context) {
                        return new FailoverStrategy() {
                            // renames the table's first route to its own name: a PATCH, as a failover makes
                            public void start() throws StrategyException {
                                String vpc = context.cloud().metadata().instance().vpcId();
                                RoutingTable table = context.cloud().vpc().listRoutingTables(vpc).stream()
                                        .filter(t -> t.name().equals(values.require("table"))).findFirst().orElseThrow();
                                Route route = context.cloud().vpc().listRoutes(vpc, table.id()).get(0);
                                try {
                                    context.cloud().vpc().updateRoute(vpc, table.id(), route.id(), RoutePatch.rename(route.name()));
                                } catch (CloudException e) {
                                    if (e.cloudErrorKind() != CloudErrorKind.PERMISSION) {
                                        throw e;
                                    }
                                    // careless with its secret, as a plugin may be: the host masks it; the
                                    // reason names the IAM action (the host's client), which the host puts first
                                    throw new StrategyException(ErrorKind.INSUFFICIENT_PRIVILEGES,
                                            e.reason() + " (token " + values.string("token").orElse("") + ")");
                                }
                            }
                            public void stop() {}
                            public MonitorResult monitor(MonitorRequest request) { return MonitorResult.running(); }
                            public void validate(CheckLevel level) throws StrategyException {
                                String vpc = context.cloud().metadata().instance().vpcId();
                                boolean found = context.cloud().vpc().listRoutingTables(vpc).stream()
                                        .anyMatch(t -> t.name().equals(values.require("table")));
                                if (!found) {
                                    throw StrategyException.notConfigured("no routing table " + values.require("table"));
                                }
                            }
                        };
                    }
                }
                """)
                .provider("probe.Provider")
                .build(plugins.resolve("table-reader.jar"));
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @Test
    void aSoundResourceGetsOnlyOkAndSkipLines() throws Exception {
        int code = doctor(Map.of(), "strategy=table-reader", "table=vip-egress", "api_key_file=" + keyFile());

        assertThat(code).as(stdout() + stderr()).isZero();
        assertThat(stdout())
                .contains("OK   strategy")
                .contains("OK   metadata service       this is node-a")
                .contains("OK   credentials")
                .contains("OK   table-reader")
                .contains("SKIP write permissions")
                .doesNotContain("FAIL");
        neverShown(stdout() + stderr(), KEY);
    }

    @Test
    void aSecretOnTheCommandLineIsRefused() {
        assertThat(doctor(Map.of(), "strategy=table-reader", "table=vip-egress", "api_key=sim-test-apikey-wrong-00000"))
                .isEqualTo(2);
        assertThat(neverShown(stderr(), "sim-test-apikey-wrong-00000"))
                .contains("api_key is a secret: pass it as OCF_RESKEY_api_key in the environment");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void parametersComeFromTheOcfEnvironmentToo() throws Exception {
        int code = doctor(Map.of(
                "OCF_RESKEY_strategy",
                "table-reader",
                "OCF_RESKEY_table",
                "vip-egress",
                "OCF_RESKEY_api_key_file",
                keyFile().toString()));

        assertThat(code).as(stdout() + stderr()).isZero();
        assertThat(stdout()).contains("OK   table-reader");
    }

    @Test
    void eachProblemIsOneLineWithItsFix() throws Exception {
        assertThat(doctor(Map.of(), "strategy=custom-rout")).isEqualTo(1);
        assertThat(stdout()).contains("FAIL strategy               'custom-rout' is not installed");

        out.reset();
        assertThat(doctor(Map.of(), "strategy=table-reader", "table=nope", "api_key_file=" + keyFile()))
                .isEqualTo(1);
        assertThat(stdout()).contains("FAIL table-reader           no routing table nope");

        out.reset();
        assertThat(doctor(
                        Map.of("OCF_RESKEY_api_key", "sim-test-apikey-wrong-00000"),
                        "strategy=table-reader",
                        "table=vip-egress"))
                .isEqualTo(1);
        assertThat(stdout()).contains("FAIL credentials").contains("BXNIM0415E").contains("-> check the API key");
        neverShown(stdout(), "sim-test-apikey-wrong-00000");
    }

    @Test
    void aKeyFileGivenAsApiKeyAtPathIsNoSecretOnTheCommandLine() throws Exception {
        int code = doctor(Map.of(), "strategy=table-reader", "table=vip-egress", "api_key=@" + keyFile());

        assertThat(code).as(stdout() + stderr()).isZero();
        assertThat(stdout()).contains("OK   credentials");
    }

    @Test
    void aRefusedKeyFileIsAReasonAndAFixNeverAStackTrace() throws Exception {
        // sparse: 100 MB that take no disk, and that no action may read into its 96 MB heap
        Path huge = work.resolve("huge.key");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(100L * 1024 * 1024);
        }
        Files.setPosixFilePermissions(huge, PosixFilePermissions.fromString("rw-------"));

        assertThat(doctor(Map.of(), "strategy=table-reader", "table=vip-egress", "api_key_file=" + huge))
                .isEqualTo(1);
        assertThat(stdout())
                .containsPattern("FAIL credentials +api key file refused: name the key file itself: ")
                .contains(huge + " holds more than 64 KiB")
                .contains("-> fix what the reason names");
        assertThat(stderr()).doesNotContain("Exception").doesNotContain("\tat ");

        out.reset();
        Path link = Files.createSymbolicLink(work.resolve("link.key"), keyFile());
        assertThat(doctor(Map.of(), "strategy=table-reader", "table=vip-egress", "api_key_file=" + link))
                .isEqualTo(1);
        assertThat(stdout())
                .contains("api key file refused: name the key file itself: " + link + " is a symbolic link to "
                        + keyFile())
                .doesNotContain("chmod");
    }

    @Test
    void aCibResourceIsReadWithPacemakersToolsAndItsTimeoutsJudged() throws Exception {
        Path cib = work.resolve("cib.xml");
        ProcessBuilder empty = new ProcessBuilder("cibadmin", "--empty").redirectOutput(cib.toFile());
        assertThat(empty.start().waitFor()).isZero();
        ProcessBuilder create = new ProcessBuilder("cibadmin", "--create", "-o", "resources", "--xml-text", """
                <primitive id="vip" class="ocf" provider="ibm" type="vpc-table-reader">
                  <instance_attributes id="vip-ia"><nvpair id="vip-t" name="table" value="vip-egress"/></instance_attributes>
                  <operations>
                    <op id="vip-start" name="start" interval="0s" timeout="60s"/>
                    <op id="vip-monitor" name="monitor" interval="10s" timeout="20s"/>
                  </operations>
                </primitive>""");
        create.environment().put("CIB_file", cib.toString());
        assertThat(create.start().waitFor()).isZero();

        int code = doctor(Map.of("CIB_file", cib.toString()), "--resource", "vip", "api_key_file=" + keyFile());

        assertThat(code).as(stdout() + stderr()).isZero();
        assertThat(stdout())
                .contains("OK   table-reader")
                .contains("OK   fencing")
                .contains("OK   start timeout          60 s")
                .contains("WARN monitor timeout        20 s is less than the retry budget (5 attempts x 10 s)");
    }

    @Test
    void aStartTheCloudRefusedIsTheWritePermissionsFindingUntilAStartSucceeds() throws Exception {
        Path record = work.resolve("run/vpc-ha/.refused/vip");

        assertThat(agent("start", "sim-test-apikey-readonly-000000002"))
                .as(stderr())
                .isEqualTo(OcfExitCode.ERR_PERM);
        String recorded = Files.readString(record);
        assertThat(neverShown(recorded, TOKEN, "sim-test-apikey"))
                .contains("action=start")
                .contains("reason=needs IAM action is.vpc.routing-table.update\\: update route ")
                .contains("HTTP 403 not_authorized")
                .contains("(token ***)");
        assertThat(Files.getPosixFilePermissions(record)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        assertThat(doctorOfVip()).isEqualTo(1);
        assertThat(neverShown(stdout(), TOKEN))
                .containsPattern("FAIL write permissions +the last start at 20[0-9-]+T[0-9:.]+Z was refused: "
                        + "needs IAM action is.vpc.routing-table.update: update route \\S+: HTTP 403")
                .contains("-> grant the IAM action it names (docs/iam-policy.md), then crm resource cleanup vip")
                .doesNotContain("SKIP write permissions");

        out.reset();
        assertThat(doctor(Map.of(), "strategy=table-reader", "table=vip-egress", "api_key_file=" + keyFile()))
                .as("without the resource's name nothing says which record is its")
                .isZero();
        assertThat(stdout()).contains("SKIP write permissions");

        assertThat(agent("start", KEY)).as(stderr()).isZero();
        assertThat(record).as("a start that succeeded forgets the refusal").doesNotExist();
        assertThat(doctorOfVip()).isZero();
        assertThat(stdout()).contains("SKIP write permissions");
        neverShown(stdout() + stderr(), TOKEN, "sim-test-apikey");
    }

    /** Doctor, as the agent of resource vip (OCF_RESOURCE_INSTANCE) would run it; what it printed before is forgotten. */
    private int doctorOfVip() throws Exception {
        out.reset();
        return doctor(
                Map.of("OCF_RESOURCE_INSTANCE", "vip"),
                "strategy=table-reader",
                "table=vip-egress",
                "api_key_file=" + keyFile());
    }

    /** Runs {@code action} of resource vip on node-a as Pacemaker would, with {@code apiKey} in its environment. */
    private int agent(String action, String apiKey) {
        Map<String, String> env = new HashMap<>();
        env.put("OCF_RESOURCE_INSTANCE", "vip");
        env.put("HA_RSCTMP", work.resolve("run").toString());
        env.put("OCF_RESKEY_CRM_meta_on_node", "node-a");
        env.put("OCF_RESKEY_CRM_meta_timeout", "20000");
        env.put("OCF_RESKEY_strategy", "table-reader");
        env.put("OCF_RESKEY_table", "vip-egress");
        env.put("OCF_RESKEY_token", TOKEN);
        env.put("OCF_RESKEY_api_key", apiKey);
        env.put("OCF_RESKEY_vpc_url", simulator.vpcUrl().toString());
        env.put("OCF_RESKEY_iam_url", simulator.iamUrl().toString());
        env.put("OCF_RESKEY_metadata_url", simulator.metadataUrlFor("node-a").toString());
        env.put("OCF_RESKEY_token_cache_dir", work.resolve("agent-tokens").toString());
        return new OcfAgent(
                        new PluginLoader(CommonParameters.reservedNames()).load(plugins),
                        new OcfEnvironment(env),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        Instant.now())
                .run(action);
    }

    private Path keyFile() throws Exception {
        Path key = work.resolve("api.key");
        if (!Files.exists(key)) {
            Files.writeString(key, KEY);
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        }
        return key;
    }

    private int doctor(Map<String, String> environment, String... arguments) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("OCF_RESKEY_CRM_meta_on_node", "node-a");
        env.put("HA_RSCTMP", work.resolve("run").toString());
        List<String> args = new ArrayList<>(List.of("--plugins", plugins.toString(), "doctor"));
        args.addAll(List.of(arguments));
        args.add("vpc_url=" + simulator.vpcUrl());
        args.add("iam_url=" + simulator.iamUrl());
        args.add("metadata_url=" + simulator.metadataUrlFor("node-a"));
        args.add("token_cache_dir=" + work.resolve("tokens"));
        return VpcHaCli.run(
                args.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                env);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
