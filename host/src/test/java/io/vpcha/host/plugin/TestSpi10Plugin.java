package io.vpcha.host.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.testing.AgentHarness;
import io.vpcha.host.testing.PluginJarBuilder;
import io.vpcha.host.testing.RecordedPacemakerTools;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.fault.FaultRule;
import io.vpcha.simulator.oracle.TrafficSource;
import io.vpcha.simulator.scenario.Scenario;
import io.vpcha.spi.SpiVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin as its author built it against SPI 1.0 (the 1.0 sources are kept as test data and
 * compiled here), using what 1.0 offered, record constructors included, still loads and runs every
 * action under this host: proof that the SPI grew compatibly. A NoSuchMethodError or
 * AbstractMethodError anywhere would fail an action.
 */
class TestSpi10Plugin {
    private static final String VIP = "10.0.0.100";

    private static VpcSimulator simulator;

    @TempDir
    static Path build;

    @TempDir
    Path work;

    private static InstalledStrategy installed;

    @BeforeAll
    static void buildThePluginAgainstSpi10() throws Exception {
        simulator = VpcSimulator.builder()
                .scenario(Scenario.threeZone())
                .perInstanceMetadata(true)
                .start();
        Path spi10 = compileSpi10(build.resolve("spi-1.0"));
        Path plugins = Files.createDirectories(build.resolve("plugins"));
        new PluginJarBuilder()
                .compileAgainstSpi(spi10)
                .spiVersion("1.0")
                .source("old.Provider", OLD_PLUGIN)
                .provider("old.Provider")
                .build(plugins.resolve("old-route.jar"));

        PluginRegistry registry = new PluginLoader(CommonParameters.reservedNames()).load(plugins);

        assertThat(registry.problems()).isEmpty();
        installed = registry.strategy("old-route").orElseThrow();
        assertThat(installed.classLoader()).isInstanceOf(PluginClassLoader.class);
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    @Test
    void everyActionOfAnSpi10PluginRunsUnderThisHost() {
        simulator.reset();
        AgentHarness harness = new AgentHarness(simulator, work, List.of(), installed.provider());
        AgentHarness.Node nodeA = harness.node("node-a");
        AgentHarness.Node nodeB = harness.node("node-b");
        Map<String, String> resource = Map.of("strategy", "old-route", "vip", VIP);

        AgentHarness.Result metaData = nodeB.run("meta-data", Map.of());
        assertThat(metaData.code()).isZero();
        assertThat(metaData.stdout())
                .contains("<parameter name=\"vip\" unique-group=\"old-route:vip\">")
                .contains("<parameter name=\"table\" reloadable=\"1\">");
        assertThat(nodeB.run("validate-all", resource).code()).isZero();
        assertThat(nodeB.run("validate-all", resource, Duration.ZERO, Map.of("OCF_CHECK_LEVEL", "10"))
                        .code())
                .isZero();
        assertThat(nodeB.run("monitor", resource).code()).as("probe").isEqualTo(7);

        AgentHarness.Result start = nodeB.run("start", resource);
        assertThat(start.code()).as("%s", start).isZero();
        assertThat(deliveredTo()).isEqualTo("node-b");
        AgentHarness.Result monitor = nodeB.monitor(resource);
        assertThat(monitor.code()).as("%s", monitor).isZero();
        assertThat(nodeB.run("reload-agent", resource).code()).isZero();

        AgentHarness.Result failover = nodeA.run("start", resource);
        assertThat(failover.code()).as("%s", failover).isZero();
        assertThat(deliveredTo()).isEqualTo("node-a");
        AgentHarness.Result loser = nodeB.monitor(resource);
        assertThat(loser.code()).isEqualTo(7);
        assertThat(loser.reason()).contains("delivers to 10.240.0.4");
        assertThat(nodeB.run("stop", resource).code()).isZero();
        assertThat(nodeB.run("monitor", resource).code()).isEqualTo(7);
    }

    @Test
    void anSpi10PluginRunsAsAPromotableCloneWithTheHostsGenericReadiness() {
        simulator.reset();
        AgentHarness harness = new AgentHarness(simulator, work, List.of(), installed.provider());
        RecordedPacemakerTools tools = RecordedPacemakerTools.in(work.resolve("sbin"));
        AgentHarness.Node nodeB = harness.node("node-b").with("HA_SBIN_DIR", tools.directory());
        Map<String, String> resource =
                Map.of("strategy", "old-route", "vip", VIP, "CRM_meta_promotable", "true", "#instance", "vip:1");

        assertThat(nodeB.run("monitor", resource).code()).as("probe").isEqualTo(7);
        AgentHarness.Result start = nodeB.run("start", resource);
        assertThat(start.code()).as("%s", start).isZero();
        assertThat(deliveredTo()).as("an Unpromoted start moves nothing").isNotEqualTo("node-b");
        assertThat(tools.takeCalls())
                .containsExactly(
                        "crm_attribute --promotion -v 100",
                        "crm_attribute -N node-b -n vpc-ha-readiness-vip -l reboot -v ready");

        // the host's generic readiness: a token from the cache, one VPC read of this instance
        AgentHarness.Result ready = nodeB.monitor(resource);
        assertThat(ready.code()).as("%s", ready).isZero();
        assertThat(ready.iamRequests()).isZero();
        assertThat(ready.vpcRequests()).isEqualTo(1);
        assertThat(tools.takeCalls()).as("an unchanged readiness sets nothing").isEmpty();

        AgentHarness.Result promote = nodeB.run("promote", resource);
        assertThat(promote.code()).as("%s", promote).isZero();
        assertThat(deliveredTo()).isEqualTo("node-b");
        assertThat(nodeB.monitor(resource).code()).as("Promoted").isEqualTo(8);
        assertThat(nodeB.run("monitor", resource).code())
                .as("probe of the Promoted")
                .isEqualTo(8);
        assertThat(tools.takeCalls())
                .contains("crm_attribute --promotion -v 110")
                .last()
                .isEqualTo("crm_attribute --promotion -v 110");

        assertThat(nodeB.run("demote", resource).code()).isZero();
        assertThat(nodeB.monitor(resource).code()).as("Unpromoted again").isZero();

        // not ready: shown by the score and the attribute, never as a failed monitor (a failed
        // Unpromoted monitor stalls a promotion by a new DC: see PromotableResource)
        FaultRule outage = simulator.faults().add(FaultRule.metadataOutage().instance("node-b"));
        try {
            AgentHarness.Result notReady = nodeB.monitor(resource);
            assertThat(notReady.code()).as("%s", notReady).isZero();
            assertThat(notReady.shownReason()).as("no exit reason on a success").isEmpty();
            assertThat(notReady.stderr()).contains("WARNING: not ready: metadata service: ");
            assertThat(tools.takeCalls())
                    .contains("crm_attribute --promotion -v 1")
                    .anySatisfy(call -> assertThat(call)
                            .startsWith("crm_attribute -N node-b -n vpc-ha-readiness-vip -l reboot -v not ready: "));
            assertThat(nodeB.run("monitor", resource).code())
                    .as("a probe repeats the last readiness without asking the cloud")
                    .isZero();
            assertThat(tools.takeCalls())
                    .as("the probe restores the score and the attribute of the last readiness")
                    .contains("crm_attribute --promotion -v 1")
                    .anySatisfy(call -> assertThat(call)
                            .startsWith("crm_attribute -N node-b -n vpc-ha-readiness-vip -l reboot -v not ready: "));
        } finally {
            simulator.faults().remove(outage.id());
        }
        assertThat(nodeB.monitor(resource).code()).isZero();
        assertThat(tools.takeCalls()).contains("crm_attribute --promotion -v 100");

        assertThat(nodeB.run("stop", resource).code()).isZero();
        assertThat(tools.takeCalls())
                .contains(
                        "crm_attribute --promotion -D", "crm_attribute -N node-b -n vpc-ha-readiness-vip -l reboot -D");
        assertThat(nodeB.run("monitor", resource).code()).isEqualTo(7);
    }

    @Test
    void promoteAndDemoteAreNotActionsOfAPrimitive() {
        AgentHarness harness = new AgentHarness(simulator, work, List.of(), installed.provider());
        AgentHarness.Result promote =
                harness.node("node-b").run("promote", Map.of("strategy", "old-route", "vip", VIP));
        assertThat(promote.code()).isEqualTo(3);
        assertThat(promote.reason()).isEqualTo("promote is only for an instance of a promotable clone");
    }

    private static String deliveredTo() {
        return simulator
                .oracle()
                .deliver(VIP, TrafficSource.fromZone("us-south-3"))
                .instanceName()
                .orElse("nobody");
    }

    /** Compiles the SPI 1.0 sources kept in the test resources. */
    private static Path compileSpi10(Path classes) throws IOException, URISyntaxException {
        Path sources = Path.of(
                        TestSpi10Plugin.class.getResource("/spi-1.0/README.md").toURI())
                .getParent();
        List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "--release", "17", "-nowarn"));
        try (Stream<Path> walk = Files.walk(sources)) {
            walk.filter(path -> path.toString().endsWith(".java"))
                    .map(Path::toString)
                    .forEach(arguments::add);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status = ToolProvider.getSystemJavaCompiler().run(null, output, output, arguments.toArray(String[]::new));
        assertThat(status).as(output.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(SpiVersion.current())
                .as("this host is newer than the SPI the plugin was built for")
                .isNotEqualTo("1.0");
        return classes;
    }

    /**
     * A strategy written for SPI 1.0 by the means 1.0 offered: the 11-argument ParameterSpec, the
     * RoutePatch, RoutePrototype, ApiRequest and MonitorResult record constructors, the raw request's
     * text body, the remaining() default method.
     */
    private static final String OLD_PLUGIN = """
            package old;

            import io.vpcha.spi.CheckLevel;
            import io.vpcha.spi.ErrorKind;
            import io.vpcha.spi.FailoverStrategy;
            import io.vpcha.spi.MonitorRequest;
            import io.vpcha.spi.MonitorResult;
            import io.vpcha.spi.ParameterSpec;
            import io.vpcha.spi.ParameterType;
            import io.vpcha.spi.ParameterValues;
            import io.vpcha.spi.ResourceState;
            import io.vpcha.spi.StrategyContext;
            import io.vpcha.spi.StrategyException;
            import io.vpcha.spi.StrategyProvider;
            import io.vpcha.spi.cloud.ApiRequest;
            import io.vpcha.spi.cloud.ApiResponse;
            import io.vpcha.spi.cloud.Instance;
            import io.vpcha.spi.cloud.Route;
            import io.vpcha.spi.cloud.RoutePatch;
            import io.vpcha.spi.cloud.RoutePrototype;
            import io.vpcha.spi.cloud.RoutingTable;
            import io.vpcha.spi.cloud.VpcApi;
            import java.io.IOException;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.OptionalInt;

            public final class Provider implements StrategyProvider {
                @Override public String name() { return "old-route"; }
                @Override public String description() { return "Points the VIP's egress routes here, the SPI 1.0 way"; }
                @Override public List<ParameterSpec> parameters() {
                    return List.of(
                            new ParameterSpec("vip", ParameterType.IPV4_ADDRESS, "The VIP", "The VIP", true,
                                    Optional.empty(), List.of(), Optional.of("vip"), false, false, List.of()),
                            ParameterSpec.builder("table", ParameterType.STRING).shortDescription("Routing table name")
                                    .defaultValue("vip-egress").reloadable().build());
                }
                @Override public FailoverStrategy create(ParameterValues values, StrategyContext context) {
                    return new Strategy(values.require("vip") + "/32", values.require("table"), context);
                }

                static final class Strategy implements FailoverStrategy {
                    private final String destination;
                    private final String tableName;
                    private final StrategyContext context;

                    Strategy(String destination, String tableName, StrategyContext context) {
                        this.destination = destination;
                        this.tableName = tableName;
                        this.context = context;
                    }

                    @Override public void start() throws StrategyException {
                        if (context.remaining().isNegative()) {
                            throw StrategyException.generic("no time");
                        }
                        Instance self = context.cloud().metadata().instance();
                        String me = self.primaryAddress().orElseThrow();
                        VpcApi vpc = context.cloud().vpc();
                        RoutingTable table = table(vpc, self.vpcId());
                        for (Route route : routes(vpc, self.vpcId(), table)) {
                            if (!route.nextHopAddress().equals(Optional.of(me))) {
                                vpc.updateRoute(self.vpcId(), table.id(), route.id(),
                                        new RoutePatch(Optional.empty(), Optional.of(me), OptionalInt.empty(), Optional.empty()));
                            }
                        }
                        Route scratch = vpc.createRoute(self.vpcId(), table.id(), new RoutePrototype(
                                Optional.of("old-plugin-scratch"), "10.9.9.9/32", self.zone(), "deliver", me, 2, false));
                        vpc.deleteRoute(self.vpcId(), table.id(), scratch.id());
                        ApiResponse raw = context.cloud().send(new ApiRequest(
                                "GET", "/vpcs/" + self.vpcId(), Map.of(), Optional.empty(), Optional.empty()));
                        if (!raw.isSuccess() || !raw.jsonBody().contains(self.vpcId()) || raw.etag() == null) {
                            throw StrategyException.generic("raw GET of the VPC: HTTP " + raw.status());
                        }
                        mark(me);
                    }

                    @Override public void stop() throws StrategyException {
                        try {
                            Files.deleteIfExists(marker());
                        } catch (IOException e) {
                            throw new StrategyException(ErrorKind.GENERIC, "cannot remove the marker", e);
                        }
                    }

                    @Override public MonitorResult monitor(MonitorRequest request) throws StrategyException {
                        if (!Files.exists(marker())) {
                            return MonitorResult.notRunning("not started here");
                        }
                        if (request.isProbe() || request.interval().isZero()) {
                            return new MonitorResult(ResourceState.RUNNING, "");
                        }
                        String me;
                        try {
                            me = Files.readString(marker()).strip();
                        } catch (IOException e) {
                            throw StrategyException.generic("cannot read the marker");
                        }
                        Instance self = context.cloud().metadata().instance();
                        VpcApi vpc = context.cloud().vpc();
                        for (Route route : routes(vpc, self.vpcId(), table(vpc, self.vpcId()))) {
                            if (!route.nextHopAddress().equals(Optional.of(me))) {
                                return new MonitorResult(ResourceState.NOT_RUNNING,
                                        "route " + route.name() + " delivers to " + route.nextHopAddress().orElse("none"));
                            }
                        }
                        return new MonitorResult(ResourceState.RUNNING, "");
                    }

                    @Override public void validate(CheckLevel level) throws StrategyException {
                        if (level == CheckLevel.CLOUD) {
                            Instance self = context.cloud().metadata().instance();
                            table(context.cloud().vpc(), self.vpcId());
                        }
                    }

                    @Override public void reload() throws StrategyException {
                        if (Files.exists(marker())) {
                            try {
                                mark(Files.readString(marker()).strip());
                            } catch (IOException e) {
                                throw StrategyException.generic("cannot read the marker");
                            }
                        }
                    }

                    private RoutingTable table(VpcApi vpc, String vpcId) throws StrategyException {
                        return vpc.listRoutingTables(vpcId).stream()
                                .filter(t -> t.name().equals(tableName))
                                .findFirst()
                                .orElseThrow(() -> StrategyException.notConfigured("no routing table " + tableName));
                    }

                    private List<Route> routes(VpcApi vpc, String vpcId, RoutingTable table) throws StrategyException {
                        return vpc.listRoutes(vpcId, table.id()).stream()
                                .filter(route -> route.destination().equals(destination))
                                .toList();
                    }

                    private Path marker() {
                        return context.stateDirectory().resolve("started");
                    }

                    private void mark(String me) throws StrategyException {
                        try {
                            Files.writeString(marker(), me + "\\n");
                        } catch (IOException e) {
                            throw StrategyException.generic("cannot write the marker");
                        }
                    }
                }
            }
            """;
}
