package io.vpcha.strategy.customroute;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.AgentHarness;
import io.vpcha.host.testing.AgentHarness.Result;
import io.vpcha.host.testing.RecordedPacemakerTools;
import io.vpcha.host.testing.RequestRounds;
import io.vpcha.simulator.fault.FaultRule;
import io.vpcha.simulator.oracle.TrafficSource;
import io.vpcha.simulator.state.Ipv4;
import io.vpcha.simulator.state.Route;
import io.vpcha.simulator.state.SimulatorState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** custom-route as a promotable clone: the passive node's readiness, and a promotion it made warm. */
class TestCustomRoutePromotable extends CustomRouteClusterFixture {
    private static final String ROUTES = "/v1/vpcs/{vpc_id}/routing_tables/{routing_table_id}/routes";
    private static final String LIST = "GET " + ROUTES;
    private static final String PATCH = "PATCH " + ROUTES + "/{id}";

    /** The latency of every VPC request when rounds are counted. */
    private static final long ROUND_MILLIS = 400;

    private RecordedPacemakerTools tools;
    /** The journal's last entry before the action run {@link #slowly}. */
    private long journalMark;

    @BeforeEach
    void recordPacemakerTools() {
        tools = RecordedPacemakerTools.in(work.resolve("sbin"));
        nodeA.with("HA_SBIN_DIR", tools.directory());
        nodeB.with("HA_SBIN_DIR", tools.directory());
    }

    @Test
    void theReadyPassiveNodeIsPromotedWithoutIamOrDiscovery() {
        assertThat(nodeA.run("start", promotable()).code()).isZero();
        assertThat(nodeA.run("promote", promotable()).code()).isZero();
        assertThat(delivered()).isEqualTo("node-a");

        Result start = nodeB.run("start", promotable());
        assertThat(start.code()).as("%s", start).isZero();
        assertThat(delivered()).as("an Unpromoted start moves nothing").isEqualTo("node-a");
        Result readiness = nodeB.monitor(promotable());
        assertThat(readiness.code()).as("%s", readiness).isZero();
        assertThat(readiness.iamRequests()).isZero();
        assertThat(readiness.vpcRequests())
                .as("one remembered route read, whatever the number of tables")
                .isEqualTo(1);
        assertThat(nodeA.monitor(promotable()).code()).as("the Promoted node").isEqualTo(8);
        tools.takeCalls();

        assertThat(nodeA.run("demote", promotable()).code()).isZero();
        long before = simulator.journal().lastSequence();
        Result promote = nodeB.run("promote", promotable());

        assertThat(promote.code()).as("%s", promote).isZero();
        assertThat(delivered()).isEqualTo("node-b");
        assertThat(promote.iamRequests()).as("the standby's token").isZero();
        assertThat(simulator.journal().entriesAfter(before))
                .as("no discovery: the remembered tables are read, never the VPC's list of them")
                .noneMatch(entry -> entry.service().equals("vpc")
                        && entry.method().equals("GET")
                        && entry.endpoint().endsWith("/routing_tables"));
        assertThat(tools.takeCalls()).contains("crm_attribute --promotion -v 110");
        assertThat(nodeB.monitor(promotable()).code()).isEqualTo(8);
        assertThat(nodeA.monitor(promotable()).code())
                .as("the demoted node is ready again")
                .isZero();
    }

    @Test
    void aWarmPromoteWhoseIngressRouteMovesZonesReadsFirstAndMovesItInOrder() {
        readyStandby(nodeA, nodeB, promotable());

        Result promote = slowly(() -> nodeB.run("promote", promotable()));

        assertThat(promote.code()).as("%s", promote).isZero();
        assertThat(delivered()).isEqualTo("node-b");
        assertThat(promote.iamRequests()).isZero();
        assertThat(promote.vpcRequests())
                .as("2 table lists, 3 egress PATCHes, the ingress move (POST, DELETE, PATCH of its name), "
                        + "2 lists read back")
                .isEqualTo(10);
        // the one exception to writing in place: the ingress route must move into node-b's zone, its new
        // route made before the old one is deleted (never a moment without a route), then renamed
        assertThat(rounds())
                .as("read, write every route (the ingress route's new one first), delete the ingress route's old "
                        + "one only once the new one exists, rename it, read back")
                .containsExactly(
                        List.of(LIST, LIST),
                        List.of(PATCH, PATCH, PATCH, "POST " + ROUTES),
                        List.of("DELETE " + ROUTES + "/{id}"),
                        List.of(PATCH),
                        List.of(LIST, LIST));
    }

    @Test
    void aWarmPromoteOfEgressRoutesWritesThemInPlaceThenReadsBackInTwoRounds() {
        Map<String, String> egress = promotable("routing_tables", "vip-egress");
        readyStandby(nodeA, nodeB, egress);

        Result promote = slowly(() -> nodeB.run("promote", egress));

        assertThat(promote.code()).as("%s", promote).isZero();
        assertThat(nextHops("vip-egress")).as("every zone").containsOnly(NODE_B);
        assertThat(promote.iamRequests()).isZero();
        assertThat(promote.vpcRequests()).as("3 PATCHes, 1 list read back").isEqualTo(4);
        assertThat(rounds())
                .as("every remembered route written at once, by its remembered id and with no read first; read back")
                .containsExactly(List.of(PATCH, PATCH, PATCH), List.of(LIST));
        assertThat(nodeB.monitor(egress).code()).isEqualTo(8);
    }

    @Test
    void anIngressRouteAlreadyInThisNodesZoneIsWrittenInPlaceToo() {
        assertThat(nodeA.run("start", promotable()).code()).isZero();
        assertThat(nodeA.run("promote", promotable()).code()).isZero();
        List<String> routes = vipRoutes();
        assertThat(nodeA.run("demote", promotable()).code()).isZero();
        assertThat(nodeA.monitor(promotable()).code()).as("ready again").isZero();

        Result promote = slowly(() -> nodeA.run("promote", promotable()));

        assertThat(promote.code()).as("%s", promote).isZero();
        assertThat(delivered()).isEqualTo("node-a");
        assertThat(vipRoutes())
                .as("the ingress route stays where it is: no move")
                .isEqualTo(routes);
        assertThat(rounds())
                .as("3 egress routes and the ingress route in node-a's zone written at once, both tables read back")
                .containsExactly(List.of(PATCH, PATCH, PATCH, PATCH), List.of(LIST, LIST));
    }

    @Test
    void aRouteTheCacheNamesThatIsGoneHasItsTableReadAndTheRouteThereWritten() {
        Map<String, String> egress = promotable("routing_tables", "vip-egress");
        readyStandby(nodeA, nodeB, egress);
        // an administrator made the route of us-south-2 again after the last readiness check saw it
        String again = remake("vip-egress", "vip-us-south-2");

        Result promote = slowly(() -> nodeB.run("promote", egress));

        assertThat(promote.code()).as("%s", promote).isZero();
        assertThat(nextHops("vip-egress")).containsOnly(NODE_B);
        assertThat(rounds())
                .as("the stale id's PATCH fails: the remembered table is read, the route there written, read back")
                .containsExactly(List.of(PATCH, PATCH, PATCH), List.of(LIST), List.of(PATCH), List.of(LIST));
        assertThat(simulator.journal().entriesAfter(journalMark).stream()
                        .filter(entry -> entry.method().equals("PATCH"))
                        .map(entry -> entry.path().substring(entry.path().lastIndexOf('/') + 1)))
                .as("the route as it is now written")
                .contains(again);
    }

    @Test
    void aVipRouteTheCacheDoesNotKnowIsWrittenAfterTheReadBackNotTakenForAnotherNode() {
        Map<String, String> egress = promotable("routing_tables", "vip-egress");
        // node-a has the lower address: were the unknown route (delivering to node-b) taken for a node
        // moving the routes at the same time, node-a would hand every route to node-b and fail
        readyStandby(nodeB, nodeA, egress);
        simulator.state().update(state -> {
            Route template = routesIn(state, "vip-egress").get(0);
            Route added = template.copy();
            added.id = state.ids().regional("route");
            added.name = "vip-added-by-hand";
            added.priority = 1;
            added.nextHop = NODE_B;
            state.stamp(added);
            state.routingTables.get(template.routingTableId).routes.put(added.id, added);
        });

        Result promote = slowly(() -> nodeA.run("promote", egress));

        assertThat(promote.code()).as("%s", promote).isZero();
        assertThat(nextHops("vip-egress")).as("the added route too").hasSize(4).containsOnly(NODE_A);
        assertThat(rounds())
                .as("written in place; the read-back shows the unknown route, which is written; read back")
                .containsExactly(List.of(PATCH, PATCH, PATCH), List.of(LIST), List.of(PATCH), List.of(LIST));
    }

    @Test
    void aCacheNoRecentReadinessCheckVouchesForIsReadFirst() {
        Map<String, String> egress = promotable("routing_tables", "vip-egress");
        readyStandby(nodeA, nodeB, egress);
        // the Unpromoted monitor stopped: 3 default intervals and a little more since its last check
        harness.clock().advance(Duration.ofSeconds(91));

        Result promote = slowly(() -> nodeB.run("promote", egress));

        assertThat(promote.code()).as("%s", promote).isZero();
        assertThat(nextHops("vip-egress")).containsOnly(NODE_B);
        assertThat(rounds())
                .as("read, write, read back")
                .containsExactly(List.of(LIST), List.of(PATCH, PATCH, PATCH), List.of(LIST));
    }

    /**
     * Two ready nodes promoted at once (a split cluster without fencing; never Pacemaker's doing) leave
     * one owner for every zone and the ingress route. node-a writes in place (the ingress route is in
     * its zone), node-b reads first and moves the ingress route into its own: the rounds differ in how
     * far node-a's writes have gone when node-b reads (node-b's first list waits a little longer each
     * round), and every PATCH takes 100 ms.
     */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void twoReadyNodesPromotedAtOnceEndWithOneOwner() throws Exception {
        try (RaceRounds rounds = new RaceRounds(simulator, work, HA_KEY)) {
            for (int round = 0; round < 5; round++) {
                AgentHarness fresh = rounds.fresh(round);
                AgentHarness.Node a = fresh.node("node-a").with("HA_SBIN_DIR", tools.directory());
                AgentHarness.Node b = fresh.node("node-b").with("HA_SBIN_DIR", tools.directory());
                for (AgentHarness.Node node : List.of(a, b)) {
                    assertThat(node.run("start", promotable()).code()).isZero();
                    assertThat(node.monitor(promotable()).code()).isZero();
                }
                rounds.slowDown("/v1/vpcs/*/routing_tables/*/routes", Duration.ofMillis(round * 100L));
                rounds.assertOneOwner(rounds.race(round, a, b, "promote", promotable()));
            }
        }
    }

    @Test
    void everyReadinessCheckCostsOneVpcRequestAndTurnsThroughTheRememberedRoutes() {
        Result start = nodeB.run("start", promotable());
        assertThat(start.code()).as("%s", start).isZero();
        int vipRoutes = vipRoutes().size();
        assertThat(vipRoutes)
                .as("egress routes in the client zones and the ingress route")
                .isGreaterThan(2);
        long before = simulator.journal().lastSequence();

        List<String> read = new ArrayList<>();
        for (int check = 0; check < 2 * vipRoutes; check++) {
            Result monitor = nodeB.monitor(promotable());
            assertThat(monitor.code()).as("%s", monitor).isZero();
            assertThat(monitor.vpcRequests()).as("check %d", check).isEqualTo(1);
            assertThat(monitor.iamRequests()).isZero();
        }
        simulator.journal().entriesAfter(before).stream()
                .filter(entry -> entry.service().equals("vpc"))
                .forEach(entry -> {
                    assertThat(entry.method() + " " + entry.endpoint())
                            .endsWith("GET /v1/vpcs/{vpc_id}" + "/routing_tables/{routing_table_id}/routes/{id}");
                    read.add(entry.path().substring(entry.path().lastIndexOf('/') + 1));
                });

        assertThat(read).hasSize(2 * vipRoutes);
        assertThat(read.subList(0, vipRoutes))
                .as("each remembered route once per round")
                .containsExactlyInAnyOrderElementsOf(vipRoutes());
        assertThat(read.subList(vipRoutes, 2 * vipRoutes)).containsExactlyElementsOf(read.subList(0, vipRoutes));
    }

    @Test
    void aRouteTheActiveNodeMadeAgainIsFoundByListingItsTableOnce() {
        assertThat(nodeA.run("start", promotable()).code()).isZero();
        List<String> before = vipRoutes();
        assertThat(nodeB.run("start", promotable()).code()).isZero();
        assertThat(nodeB.run("promote", promotable()).code()).isZero();
        List<String> after = vipRoutes();
        assertThat(after).as("the ingress route moved zones: a new id").isNotEqualTo(before);
        int vipRoutes = after.size();

        long requests = 0;
        for (int check = 0; check < vipRoutes; check++) {
            Result monitor = nodeA.monitor(promotable());
            assertThat(monitor.code()).as("%s", monitor).isZero();
            requests += monitor.vpcRequests();
        }

        assertThat(requests)
                .as("one GET per check, and one list of the table whose remembered route is gone")
                .isEqualTo(vipRoutes + 1);
        assertThat(nodeA.monitor(promotable()).vpcRequests()).isEqualTo(1);
    }

    @Test
    void aNodeWithoutTheVipsInterfaceIsNotReadyAndNotFailed() {
        Map<String, String> resource = promotable("manage_local_ip", "true", "interface", "vpcha-missing0");

        Result start = nodeB.run("start", resource);
        assertThat(start.code()).as("%s", start).isZero();
        assertThat(tools.takeCalls())
                .containsExactly(
                        "crm_attribute --promotion -v 1",
                        "crm_attribute -N node-b -n vpc-ha-readiness-vip -l reboot -v not ready: interface "
                                + "vpcha-missing0 does not exist on this node");

        // not ready is a successful Unpromoted monitor: a failed one's cancel stalls a promotion after the
        // DC dies (docs/reliability.md); the promotion score and the node attribute say it instead
        Result monitor = nodeB.monitor(resource);
        assertThat(monitor.code()).as("%s", monitor).isZero();
        assertThat(monitor.reason()).isEmpty();
        assertThat(monitor.vpcRequests()).isZero();
    }

    @Test
    void aMetadataOutageOnThePassiveNodeIsSeenBeforeAFailover() {
        assertThat(nodeB.run("start", promotable()).code()).isZero();
        assertThat(nodeB.monitor(promotable()).code()).isZero();
        tools.takeCalls();
        FaultRule outage = simulator.faults().add(FaultRule.metadataOutage().instance("node-b"));
        try {
            Result monitor = nodeB.monitor(promotable());

            assertThat(monitor.code()).as("%s", monitor).isZero();
            assertThat(tools.takeCalls())
                    .contains("crm_attribute --promotion -v 1")
                    .anySatisfy(call -> assertThat(call)
                            .startsWith("crm_attribute -N node-b -n vpc-ha-readiness-vip -l reboot -v not ready: ")
                            .contains("metadata"));
        } finally {
            simulator.faults().remove(outage.id());
        }
        assertThat(nodeB.monitor(promotable()).code()).isZero();
        assertThat(tools.takeCalls()).contains("crm_attribute --promotion -v 100");
    }

    @Test
    void thePromotedNodeWhoseVipWasTakenSaysSoAsAPrimitiveWould() {
        assertThat(nodeA.run("start", promotable()).code()).isZero();
        assertThat(nodeA.run("promote", promotable()).code()).isZero();
        assertThat(nodeB.run("start", promotable()).code()).isZero();
        assertThat(nodeB.run("promote", promotable()).code())
                .as("taken without a demote on node-a")
                .isZero();

        Result monitor = nodeA.monitor(promotable());

        assertThat(monitor.code()).isEqualTo(7);
        assertThat(monitor.reason()).contains("delivers to 10.240.64.4, not 10.240.0.4");
    }

    @Test
    void aPrimitiveIsWhatItWas() {
        Map<String, String> primitive = new HashMap<>(promotable());
        primitive.remove("CRM_meta_promotable");

        assertThat(nodeB.run("start", primitive).code()).isZero();
        assertThat(delivered()).isEqualTo("node-b");
        assertThat(nodeB.monitor(primitive).code()).isZero();
        assertThat(nodeB.run("promote", primitive).code()).isEqualTo(3);
        assertThat(nodeB.run("stop", primitive).code()).isZero();
        assertThat(tools.takeCalls()).as("a primitive sets no attribute").isEmpty();
    }

    /**
     * {@code active} holds the resource Promoted, {@code standby} is Unpromoted and ready (its readiness
     * monitor ran), then {@code active} is demoted: {@code standby}'s promotion is next.
     */
    private static void readyStandby(
            AgentHarness.Node active, AgentHarness.Node standby, Map<String, String> resource) {
        assertThat(active.run("start", resource).code()).isZero();
        assertThat(active.run("promote", resource).code()).isZero();
        assertThat(standby.run("start", resource).code()).isZero();
        Result readiness = standby.monitor(resource);
        assertThat(readiness.code()).as("%s", readiness).isZero();
        assertThat(active.run("demote", resource).code()).isZero();
    }

    /**
     * Runs {@code action} with every VPC request answered after {@link #ROUND_MILLIS}, far above the time
     * it takes to send a round's requests: the journal then tells the rounds apart ({@link #rounds()}),
     * whatever the machine's load.
     */
    private Result slowly(Supplier<Result> action) {
        journalMark = simulator.journal().lastSequence();
        return simulator.faults().during(FaultRule.latency(ROUND_MILLIS, 0).service("vpc"), action);
    }

    /** The rounds of VPC requests of the last action run {@link #slowly}. */
    private List<List<String>> rounds() {
        return RequestRounds.of(simulator.journal().entriesAfter(journalMark).stream()
                .filter(entry -> entry.service().equals("vpc"))
                .toList());
    }

    /** The route {@code name} of table {@code table} deleted and made again as it was, under a new id. */
    private static String remake(String table, String name) {
        return simulator.state().write(state -> {
            Route old = routesIn(state, table).stream()
                    .filter(route -> route.name.equals(name))
                    .findFirst()
                    .orElseThrow();
            Route again = old.copy();
            again.id = state.ids().regional("route");
            state.stamp(again);
            Map<String, Route> routes = state.routingTables.get(old.routingTableId).routes;
            routes.remove(old.id);
            routes.put(again.id, again);
            return again.id;
        });
    }

    /** The next hops of the VIP's routes in table {@code table}. */
    private static List<String> nextHops(String table) {
        return simulator
                .state()
                .read(state -> routesIn(state, table).stream()
                        .map(route -> route.nextHop)
                        .toList());
    }

    private static List<Route> routesIn(SimulatorState state, String table) {
        return state.routingTables.values().stream()
                .filter(candidate -> candidate.name.equals(table))
                .flatMap(candidate -> candidate.routes.values().stream())
                .filter(route -> route.destination.equals(Ipv4.Cidr.parse(VIP + "/32")))
                .toList();
    }

    /** The ids of the routes for the VIP in every routing table. */
    private static List<String> vipRoutes() {
        return simulator
                .state()
                .read(state -> state.routingTables.values().stream()
                        .flatMap(table -> table.routes.values().stream())
                        .filter(route -> route.destination.equals(Ipv4.Cidr.parse(VIP + "/32")))
                        .map(route -> route.id)
                        .sorted()
                        .toList());
    }

    private static String delivered() {
        return simulator
                .oracle()
                .deliver(VIP, TrafficSource.fromZone("us-south-3"))
                .instanceName()
                .orElse("nobody");
    }

    private static Map<String, String> promotable(String... overrides) {
        Map<String, String> parameters = new HashMap<>(Map.of(
                "strategy", "custom-route", "vip", VIP, "manage_local_ip", "false", "CRM_meta_promotable", "true"));
        for (int i = 0; i < overrides.length; i += 2) {
            parameters.put(overrides[i], overrides[i + 1]);
        }
        return parameters;
    }
}
