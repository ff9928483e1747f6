package io.vpcha.toolkit.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcha.host.cloud.CloudSettings;
import io.vpcha.host.cloud.HostCloudAccess;
import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.testing.RecordingLog;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.oracle.TrafficSource;
import io.vpcha.simulator.scenario.Scenario;
import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.ParameterValues;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.Route;
import io.vpcha.spi.cloud.RoutePrototype;
import io.vpcha.spi.cloud.RoutingTable;
import io.vpcha.spi.cloud.VpcApi;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moving the VIP's transit-gateway ingress route of the three-zone scenario between zones, against the
 * simulator, proven by its forwarding oracle; and every way a move can be left half done.
 */
class TestRouteMover {
    private static final String DESTINATION = "10.0.0.100/32";
    private static final String NODE_A = "10.240.0.4";
    private static final String NODE_B = "10.240.64.4";
    private static final String ROUTE_NAME = "vip-ingress-us-south-1";

    private static VpcSimulator simulator;

    @TempDir
    Path tokens;

    private final RecordingLog log = new RecordingLog();
    private HostCloudAccess cloud;
    private VpcApi vpc;
    private String vpcId;
    private RouteMover.Table table;

    @BeforeAll
    static void startSimulator() {
        simulator = VpcSimulator.builder()
                .scenario(Scenario.threeZone())
                .perInstanceMetadata(true)
                .start();
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    @BeforeEach
    void connect() throws Exception {
        simulator.reset();
        Map<String, String> parameters = Map.of(
                "strategy", "any",
                "vpc_url", simulator.vpcUrl().toString(),
                "iam_url", simulator.iamUrl().toString(),
                "metadata_url", simulator.metadataUrlFor("node-a").toString(),
                "token_cache_dir", tokens.toString(),
                "api_key", "sim-test-apikey-ha-0000000000000001");
        CloudSettings settings = CloudSettings.from(ParameterValues.of(CommonParameters.all(), parameters));
        Instant deadline = Instant.now().plusSeconds(30);
        cloud = new HostCloudAccess(settings, () -> deadline, log, secret -> {});
        vpc = cloud.vpc();
        vpcId = cloud.metadata().instance().vpcId();
        RoutingTable ingress = vpc.listRoutingTables(vpcId).stream()
                .filter(t -> t.name().equals("vip-ingress"))
                .findFirst()
                .orElseThrow();
        table = new RouteMover.Table(ingress.id(), ingress.name());
    }

    @AfterEach
    void closeConnections() {
        cloud.close();
    }

    @Test
    void aRouteInAnotherZoneIsRecreatedHereBeforeTheOldOneGoesAndKeepsItsName() throws Exception {
        assertThat(ingressDeliversTo("us-south-1")).isEqualTo("node-a");
        RouteMover mover = new RouteMover(vpc, vpcId, log);
        List<Route> before = vipRoutes();
        long journal = simulator.journal().lastSequence();

        List<Route> moved = mover.intoZone(table, before, "us-south-2", NODE_B);

        assertThat(moved).singleElement().satisfies(route -> {
            assertThat(route.name()).isEqualTo(ROUTE_NAME);
            assertThat(route.zone()).isEqualTo("us-south-2");
            assertThat(route.nextHopAddress()).hasValue(NODE_B);
            assertThat(route.advertise()).as("kept from the old route").isTrue();
        });
        assertThat(vipRoutes()).hasSize(1);
        assertThat(mover.writes()).as("create, delete, rename").isEqualTo(3);
        assertThat(ingressDeliversTo("us-south-2")).isEqualTo("node-b");
        List<String> writes = simulator.journal().entriesAfter(journal).stream()
                .filter(entry -> !entry.method().equals("GET"))
                .map(entry -> entry.method())
                .toList();
        assertThat(writes).as("the new route before the old one is deleted").containsExactly("POST", "DELETE", "PATCH");

        RouteMover again = new RouteMover(vpc, vpcId, log);
        assertThat(again.intoZone(table, vipRoutes(), "us-south-2", NODE_B)).hasSize(1);
        assertThat(again.writes()).as("already there: nothing written").isZero();
    }

    @Test
    void aMoveInterruptedAfterTheCreateIsFinishedByTheNextOneHere() throws Exception {
        Route temporary = createTemporary("us-south-2", NODE_B);

        RouteMover mover = new RouteMover(vpc, vpcId, log);
        List<Route> routes = mover.intoZone(table, vipRoutes(), "us-south-2", NODE_B);

        assertThat(routes).singleElement().satisfies(route -> {
            assertThat(route.id()).as("the temporary route is adopted").isEqualTo(temporary.id());
            assertThat(route.name()).isEqualTo(ROUTE_NAME);
        });
        assertThat(vipRoutes()).extracting(Route::zone).containsExactly("us-south-2");
        assertThat(ingressDeliversTo("us-south-2")).isEqualTo("node-b");
    }

    @Test
    void aMoveInterruptedAfterTheCreateIsUndoneByTheOtherNode() throws Exception {
        createTemporary("us-south-2", NODE_B);

        List<Route> routes = new RouteMover(vpc, vpcId, log).intoZone(table, vipRoutes(), "us-south-1", NODE_A);

        assertThat(routes)
                .singleElement()
                .satisfies(route -> assertThat(route.name()).isEqualTo(ROUTE_NAME));
        assertThat(vipRoutes()).extracting(Route::zone).containsExactly("us-south-1");
        assertThat(ingressDeliversTo("us-south-1")).isEqualTo("node-a");
    }

    @Test
    void aMoveInterruptedBeforeTheRenameIsFinishedByTheNextOneOnEitherNode() throws Exception {
        Route original = vipRoutes().get(0);
        createTemporary("us-south-2", NODE_B);
        vpc.deleteRoute(vpcId, table.id(), original.id());

        List<Route> here = new RouteMover(vpc, vpcId, log).intoZone(table, vipRoutes(), "us-south-2", NODE_B);
        assertThat(here)
                .singleElement()
                .satisfies(route -> assertThat(route.name()).isEqualTo(ROUTE_NAME));

        createTemporaryFrom(here.get(0), "us-south-1", NODE_A);
        vpc.deleteRoute(vpcId, table.id(), here.get(0).id());
        List<Route> back = new RouteMover(vpc, vpcId, log).intoZone(table, vipRoutes(), "us-south-1", NODE_A);
        assertThat(back).singleElement().satisfies(route -> {
            assertThat(route.name()).isEqualTo(ROUTE_NAME);
            assertThat(route.zone()).isEqualTo("us-south-1");
        });
        assertThat(ingressDeliversTo("us-south-1")).isEqualTo("node-a");
    }

    @Test
    void aTemporaryRouteLeftAloneInAnotherZoneIsMovedUnderTheRoutesOwnName() throws Exception {
        // a move into us-south-2 that made its route and deleted the original, then stopped before the
        // rename; the next move goes back to us-south-1, where no route is
        Route original = vipRoutes().get(0);
        createTemporaryFrom(original, "us-south-2", NODE_B);
        vpc.deleteRoute(vpcId, table.id(), original.id());

        List<Route> moved = new RouteMover(vpc, vpcId, log).intoZone(table, vipRoutes(), "us-south-1", NODE_A);

        assertThat(moved).singleElement().satisfies(route -> {
            assertThat(route.name()).isEqualTo(ROUTE_NAME);
            assertThat(route.zone()).isEqualTo("us-south-1");
        });
        assertThat(vipRoutes()).extracting(Route::name).containsExactly(ROUTE_NAME);
        assertThat(ingressDeliversTo("us-south-1")).isEqualTo("node-a");
    }

    @Test
    void aRouteAServiceOwnsIsNeverTouched() throws Exception {
        Route owned = vipRoutes().get(0);
        simulator
                .state()
                .update(state -> state.routingTables.get(table.id()).routes.get(owned.id()).origin = "service");

        assertThatThrownBy(() -> new RouteMover(vpc, vpcId, log).intoZone(table, vipRoutes(), "us-south-2", NODE_B))
                .isInstanceOf(StrategyException.class)
                .hasMessage("route " + ROUTE_NAME
                        + " of vip-ingress belongs to a service (origin service) and cannot be moved")
                .satisfies(e -> assertThat(((StrategyException) e).kind()).isEqualTo(ErrorKind.NOT_CONFIGURED));
        assertThat(vipRoutes()).extracting(Route::zone).containsExactly("us-south-1");
    }

    private Route createTemporary(String zone, String nextHop) throws StrategyException {
        return createTemporaryFrom(vipRoutes().get(0), zone, nextHop);
    }

    private Route createTemporaryFrom(Route route, String zone, String nextHop) throws StrategyException {
        return vpc.createRoute(
                vpcId,
                table.id(),
                RoutePrototype.builder(route.destination(), zone, nextHop)
                        .name(ROUTE_NAME + RouteMover.MOVING_SUFFIX)
                        .priority(route.priority())
                        .advertise(route.advertise())
                        .build());
    }

    private List<Route> vipRoutes() throws StrategyException {
        return vpc.listRoutes(vpcId, table.id()).stream()
                .filter(route -> route.destination().equals(DESTINATION))
                .toList();
    }

    private String ingressDeliversTo(String zone) {
        return simulator
                .oracle()
                .deliver("10.0.0.100", TrafficSource.ingress(TrafficSource.Ingress.TRANSIT_GATEWAY, zone))
                .instanceName()
                .orElse("nobody");
    }
}
