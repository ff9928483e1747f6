package io.vpcha.strategy.customroute;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.testing.AgentHarness;
import io.vpcha.host.testing.AgentHarness.Result;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.fault.FaultRule;
import io.vpcha.simulator.journal.JournalEntry;
import io.vpcha.simulator.oracle.Delivery;
import io.vpcha.simulator.oracle.TrafficSource;
import io.vpcha.spi.cloud.Route;
import io.vpcha.toolkit.route.RouteMover;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** custom-route through the real OCF agent, against the simulator, proven by its forwarding oracle. */
class TestCustomRouteStrategy extends CustomRouteClusterFixture {
    private static final List<String> ZONES = List.of("us-south-1", "us-south-2", "us-south-3");

    @Test
    void failoverPointsEveryRouteAtTheNewNodeAndTheOracleFollows() {
        assertDeliveredEverywhereTo("node-a");
        assertThat(nodeB.run("monitor", resource()).code())
                .as("probe before start")
                .isEqualTo(7);

        Result start = nodeB.run("start", resource());

        assertThat(start.code()).as("%s", start).isZero();
        assertDeliveredEverywhereTo("node-b");
        Delivery ingress = simulator
                .oracle()
                .deliver(VIP, TrafficSource.ingress(TrafficSource.Ingress.TRANSIT_GATEWAY, "us-south-2"));
        assertThat(ingress.instanceName()).hasValue("node-b");
        Route moved = routes("vip-ingress").get(0);
        assertThat(moved.name()).as("the moved ingress route keeps its name").isEqualTo("vip-ingress-us-south-1");
        assertThat(moved.zone()).isEqualTo("us-south-2");
        assertThat(moved.advertise()).isTrue();
        assertThat(moved.priority()).isEqualTo(2);
        assertThat(routes("vip-ingress")).hasSize(1);
        assertThat(nodeB.monitor(resource()).code()).isZero();
    }

    @Test
    void startWhereTheVipAlreadyIsWritesNothing() {
        long writesBefore = writes();
        Result first = nodeA.run("start", resource());
        Result second = nodeA.run("start", resource());

        assertThat(first.code()).as("%s", first).isZero();
        assertThat(second.code()).isZero();
        assertThat(writes() - writesBefore).isZero();
        assertThat(second.vpcRequests())
                .as("the second start knows its tables: one request each")
                .isEqualTo(2);
        assertDeliveredEverywhereTo("node-a");
    }

    @Test
    void steadyStateMonitorAsksOncePerTableAndNeverIam() {
        assertThat(nodeB.run("start", resource()).code()).isZero();
        nodeB.monitor(resource());
        long before = simulator.journal().lastSequence();

        Result monitor = nodeB.monitor(resource());

        assertThat(monitor.code()).isZero();
        // as docs/strategy-custom-route.md promises: one read per table that holds VIP routes, nothing else
        List<JournalEntry> calls = simulator.journal().entriesAfter(before);
        assertThat(calls).allSatisfy(call -> assertThat(call.method()).isEqualTo("GET"));
        assertThat(routeReadsByTable(calls)).isEqualTo(onceEach(tablesWithVipRoutes(simulator)));
        assertThat(monitor.vpcRequests())
                .isEqualTo(tablesWithVipRoutes(simulator).size());
        assertThat(monitor.iamRequests()).isZero();
        assertThat(monitor.metadataRequests()).isZero();
    }

    @Test
    void theLoserOfAFailoverSeesItIsNoLongerRunning() {
        assertThat(nodeA.run("start", resource()).code()).isZero();
        assertThat(nodeA.monitor(resource()).code()).isZero();

        assertThat(nodeB.run("start", resource()).code()).isZero();

        Result monitor = nodeA.monitor(resource());
        assertThat(monitor.code()).isEqualTo(7);
        assertThat(monitor.reason()).contains("delivers to " + NODE_B + ", not " + NODE_A);
    }

    @Test
    void stopNeedsNoCloudAndLeavesTheResourceStopped() {
        assertThat(nodeB.run("start", resource()).code()).isZero();
        simulator.faults().add(FaultRule.status(503).service("vpc"));
        simulator.faults().add(FaultRule.iamOutage());
        simulator.faults().add(FaultRule.metadataOutage());

        Result stop = nodeB.run("stop", resource());

        assertThat(stop.code()).isZero();
        assertThat(stop.vpcRequests() + stop.iamRequests() + stop.metadataRequests())
                .isZero();
        assertThat(nodeB.monitor(resource()).code()).isEqualTo(7);
        assertThat(nodeB.run("stop", resource()).code())
                .as("stop is idempotent")
                .isZero();
    }

    @Test
    void apiTroubleWithinTheGraceNeverStopsAHealthyResource() {
        assertThat(nodeB.run("start", resource()).code()).isZero();
        simulator.faults().add(FaultRule.status(503).service("vpc"));
        simulator.faults().add(FaultRule.iamOutage());

        Result withinGrace =
                nodeB.run("monitor", resource(), Duration.ofSeconds(10), Map.of("OCF_RESKEY_CRM_meta_timeout", "4000"));
        assertThat(withinGrace.code()).as("%s", withinGrace).isZero();
        assertThat(withinGrace.stderr())
                .contains("WARNING: cannot verify the routes for 10.0.0.100/32 (last seen delivering here ")
                .contains("within monitor_grace 60s");

        Map<String, String> noGrace = resource("monitor_grace", "0");
        Result pastGrace =
                nodeB.run("monitor", noGrace, Duration.ofSeconds(10), Map.of("OCF_RESKEY_CRM_meta_timeout", "4000"));
        assertThat(pastGrace.code()).as("%s", pastGrace).isEqualTo(190);
        assertThat(pastGrace.reason())
                .startsWith("cannot verify the routes for 10.0.0.100/32 (last seen delivering here ")
                .contains("beyond monitor_grace 0s");
    }

    @Test
    void aHangingApiOrAPermissionLossNeverTurnsTheMonitorIntoAFailover() {
        assertThat(nodeB.run("start", resource()).code()).isZero();
        simulator.faults().add(FaultRule.hang(30_000).service("vpc"));

        Result hung = nodeB.run(
                "monitor", resource(), Duration.ofSeconds(10), Map.of("OCF_RESKEY_CRM_meta_timeout", "10000"));
        assertThat(hung.code()).as("%s", hung).isZero();
        assertThat(hung.elapsed()).isLessThan(Duration.ofSeconds(10));

        simulator.faults().clear();
        simulator.faults().add(FaultRule.status(403).code("not_authorized").service("vpc"));
        Result forbidden = nodeB.monitor(resource());
        assertThat(forbidden.code()).as("%s", forbidden).isEqualTo(190);
        assertThat(forbidden.reason())
                .as("reading routes checks read on the table, most likely (docs/iam-policy.md)")
                .startsWith("probably needs IAM action is.vpc.routing-table.read: "
                        + "cannot verify the routes for 10.0.0.100/32: ")
                .contains("403");
    }

    @Test
    void aRefusedMoveNamesTheIamActionFirstInTheLinePacemakerShows() {
        simulator.faults().forbid("vpc", "POST", "PATCH", "DELETE");

        Result start = nodeB.run("start", resource());

        assertThat(start.code()).as("%s", start).isEqualTo(4);
        assertThat(start.shownReason())
                .startsWith("needs IAM action is.vpc.routing-table.update: routes not moved to " + NODE_B);
        assertThat(start.reason()).contains(": HTTP 403 not_authorized").doesNotContain("(needs IAM action");
        assertDeliveredEverywhereTo("node-a");
    }

    @Test
    void rateLimitsServerErrorsAndSlowChangesDuringStartAreRidden() {
        simulator
                .faults()
                .add(FaultRule.status(429)
                        .retryAfterSeconds(1)
                        .service("vpc")
                        .method("PATCH")
                        .count(2));
        simulator
                .faults()
                .add(FaultRule.status(500).service("vpc").method("PATCH").count(1));
        simulator.faults().add(FaultRule.applyDelay(1500).service("vpc").method("PATCH"));

        Result start = nodeB.run("start", resource());

        assertThat(start.code()).as("%s", start).isZero();
        assertDeliveredEverywhereTo("node-b");
    }

    @Test
    void aTableThatCannotBeChangedIsNamedAndTheNextStartConverges() {
        simulator
                .faults()
                .add(FaultRule.status(400)
                        .code("bad_field")
                        .service("vpc")
                        .method("POST")
                        .count(1));

        Result failed = nodeB.run("start", resource());

        assertThat(failed.code()).isEqualTo(6);
        assertThat(failed.reason()).contains("routes not moved to " + NODE_B).contains("create route 10.0.0.100/32");
        Result retried = nodeB.run("start", resource());
        assertThat(retried.code()).as("%s", retried).isZero();
        assertDeliveredEverywhereTo("node-b");
        assertThat(nodeB.monitor(resource()).code()).isZero();
    }

    /**
     * node-b's start moves the ingress route from us-south-1 into its zone: create it there under a
     * temporary name, delete the old one, rename the new one. A failure that outlasts the retries at
     * the delete or at the rename leaves the temporary route behind; the next start, on either node,
     * ends with one ingress route under its own name, delivering to that node from its zone.
     */
    @ParameterizedTest(name = "{0} fails, then {1} starts")
    @CsvSource({"DELETE, node-a", "DELETE, node-b", "PATCH, node-a", "PATCH, node-b"})
    void anIngressMoveThatFailsHalfwayIsFinishedByTheNextStartOnEitherNode(String failing, String next) {
        String ingress = tableId("vip-ingress");
        simulator
                .faults()
                .add(FaultRule.status(503)
                        .service("vpc")
                        .method(failing)
                        .path("/v1/vpcs/*/routing_tables/" + ingress + "/routes/*")
                        .count(1_000));

        Result failed = nodeB.run("start", resource());

        assertThat(failed.code()).as("%s", failed).isEqualTo(1);
        assertThat(routes("vip-ingress"))
                .as("what the interrupted move left")
                .extracting(Route::name)
                .contains("vip-ingress-us-south-1" + RouteMover.MOVING_SUFFIX);
        simulator.faults().clear();

        Result finished = harness.node(next).run("start", resource());

        assertThat(finished.code()).as("%s", finished).isZero();
        List<Route> left = routes("vip-ingress");
        assertThat(left).as("one ingress route, under its own name").hasSize(1);
        assertThat(left.get(0).name()).isEqualTo("vip-ingress-us-south-1");
        assertThat(left.get(0).zone()).isEqualTo(next.equals("node-a") ? "us-south-1" : "us-south-2");
        assertThat(left.get(0).nextHopAddress()).hasValue(next.equals("node-a") ? NODE_A : NODE_B);
        assertDeliveredEverywhereTo(next);
        assertThat(harness.node(next).monitor(resource()).code()).isZero();
    }

    /**
     * Two nodes starting at once (a split cluster without fencing, say) leave one owner for every zone
     * and the ingress route, whichever node ends up with them, and the other node knows it is not
     * running. Several rounds from a fresh VPC, each start bounded by its OCF timeout. The rounds
     * differ in how far one node's moves have gone when the other reads the routes: the first listing
     * of the tables waits a little longer each round, and every PATCH takes 100 ms.
     */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void twoNodesStartingAtOnceEndWithOneOwnerEverywhere() throws Exception {
        try (RaceRounds rounds = new RaceRounds(simulator, work, HA_KEY)) {
            for (int round = 0; round < 6; round++) {
                AgentHarness fresh = rounds.fresh(round);
                rounds.slowDown("/v1/vpcs/*/routing_tables", Duration.ofMillis(round * 120L));
                RaceRounds.Race race =
                        rounds.race(round, fresh.node("node-a"), fresh.node("node-b"), "start", resource());

                String owner = rounds.assertOneOwner(race);
                String loser = owner.equals("node-a") ? "node-b" : "node-a";
                assertThat(fresh.node(loser).monitor(resource()).code())
                        .as("%s knows it does not run the resource, %s", loser, race)
                        .isEqualTo(7);
            }
        }
    }

    @Test
    void theNamesOfIbmCloudVpcCrVipStillWork() {
        Map<String, String> legacy = new HashMap<>(Map.of(
                "strategy",
                "custom-route",
                "ext_ip_1",
                NODE_A,
                "ext_ip_2",
                NODE_B,
                "api_key",
                HA_KEY,
                "vpc_url",
                simulator.vpcUrl().toString()));

        Result start = nodeB.run("start", legacy);

        assertThat(start.code()).as("%s", start).isZero();
        assertDeliveredEverywhereTo("node-b");
        assertThat(nodeB.monitor(legacy).code()).isZero();
        assertThat(nodeA.monitor(legacy).code()).isEqualTo(7);
    }

    @Test
    void validateChecksCombinationsThenTheCloud() {
        assertThat(nodeA.run("validate-all", resource()).code()).isZero();
        Result half = nodeA.run("validate-all", resource("vip", null, "ext_ip_1", NODE_A));
        assertThat(half.code()).isEqualTo(6);
        assertThat(half.reason()).contains("set both ext_ip_1 and ext_ip_2").contains("vip: required");
        assertThat(half.vpcRequests()).isZero();

        Map<String, String> level10 = Map.of("OCF_CHECK_LEVEL", "10");
        assertThat(nodeA.run("validate-all", resource(), Duration.ZERO, level10).code())
                .isZero();
        Result unknownTable =
                nodeA.run("validate-all", resource("routing_tables", "vip-egres"), Duration.ZERO, level10);
        assertThat(unknownTable.code()).isEqualTo(6);
        assertThat(unknownTable.reason()).contains("routing_tables: no routing table vip-egres");
        Result otherVip = nodeA.run("validate-all", resource("vip", "10.0.0.101"), Duration.ZERO, level10);
        assertThat(otherVip.reason()).contains("no routing table of VPC").contains("10.0.0.101/32");
    }

    @Test
    void anEmptyVpcIdIsNamedAtEveryLevelNeverAnUnexpectedFailure() {
        for (String empty : new String[] {"", "   "}) {
            Result level0 = nodeA.run("validate-all", resource("vpc_id", empty));
            assertThat(level0.code()).as("%s", level0).isEqualTo(6);
            assertThat(level0.reason())
                    .isEqualTo("vpc_id: empty; set the VPC's id, or remove vpc_id to use this instance's VPC");
            Result level10 = nodeA.run(
                    "validate-all", resource("vpc_id", empty), Duration.ZERO, Map.of("OCF_CHECK_LEVEL", "10"));
            assertThat(level10.code()).isEqualTo(6);
            Result start = nodeA.run("start", resource("vpc_id", empty));
            assertThat(start.code()).isEqualTo(6);
            assertThat(start.reason()).startsWith("vpc_id: empty");
            assertThat(nodeA.run("stop", resource("vpc_id", empty)).code()).isZero();
        }
    }

    @Test
    void aStopAfterAChangeThatCannotWorkStillStopsThisNode() {
        for (String[] change : new String[][] {
            {"parallelism", "99"}, {"request_timeout", "0"}, {"monitor_grace", "x"}, {"vip", "10.0.0.300"}
        }) {
            assertThat(nodeB.run("start", resource()).code()).isZero();
            assertThat(nodeB.monitor(resource()).code()).isZero();

            Result stop = nodeB.run("stop", resource(change[0], change[1]));

            assertThat(stop.code()).as("%s=%s: %s", change[0], change[1], stop).isZero();
            // a strategy's parameter: the stop undoes the start with the values it recorded; a cloud
            // parameter is always the current one: the stop runs with what can be used of it
            assertThat(stop.stderr())
                    .contains(
                            change[0].equals("request_timeout")
                                    ? "stop with a configuration that cannot work"
                                    : "started this resource here with other parameters than the current ones "
                                            + "(changed: " + change[0] + ")");
            assertThat(nodeB.monitor(resource()).code())
                    .as("stopped after %s=%s", change[0], change[1])
                    .isEqualTo(7);
        }
    }

    @Test
    void noValueOfAnyParameterMakesAnUnexpectedFailureOrAFailedStop() {
        List<String> names = new ArrayList<>();
        new CustomRouteStrategyProvider().parameters().forEach(spec -> names.add(spec.name()));
        CommonParameters.all().forEach(spec -> names.add(spec.name()));
        names.removeAll(List.of("strategy", "vpc_url", "iam_url", "metadata_url", "token_cache_dir"));
        for (String name : names) {
            for (String value : new String[] {"", " ", "é", "x".repeat(10_000), "-1"}) {
                for (String action : new String[] {"validate-all", "start", "stop"}) {
                    Result result = nodeA.run(action, resource(name, value), Duration.ZERO, Map.of());
                    String what = action + " with " + name + "='" + value.substring(0, Math.min(12, value.length()))
                            + "': " + result;
                    assertThat(result.reason()).as(what).doesNotContain("unexpectedly");
                    assertThat(result.code()).as(what).isIn(0, 1, 4, 6);
                    if (action.equals("stop")) {
                        assertThat(result.code()).as(what).isZero();
                    }
                }
            }
        }
    }

    @Test
    void anInterfaceThatDoesNotExistFailsStartBeforeAnyRouteMovesAndStopSucceeds() {
        Map<String, String> eth9 = resource("manage_local_ip", "true", "interface", "eth9");

        Result stop = nodeB.run("stop", eth9);
        assertThat(stop.code())
                .as("stop of a resource never started here: %s", stop)
                .isZero();

        long writesBefore = writes();
        Result start = nodeB.run("start", eth9);
        assertThat(start.code()).as("%s", start).isEqualTo(6);
        assertThat(start.reason())
                .isEqualTo("interface eth9 does not exist on this node; set interface to one that does, or "
                        + "manage_local_ip=false");
        assertThat(writes() - writesBefore)
                .as("no route moved to a node that cannot take the traffic")
                .isZero();
        assertDeliveredEverywhereTo("node-a");
        assertThat(nodeB.run("stop", eth9).code()).isZero();
    }

    @Test
    void nodeIpsAreAddressesAsStrictAsTheDeclaredIpv4Type() {
        Result validate = nodeA.run("validate-all", resource("node_ips", "node-a=999.1.1.1,node-b=" + NODE_B));

        assertThat(validate.code()).isEqualTo(6);
        assertThat(validate.reason()).contains("node_ips: '999.1.1.1' of node node-a is not an IPv4 address");
        assertThat(nodeA.run("validate-all", resource("node_ips", "node-a=" + NODE_A + ",node-b=" + NODE_B))
                        .code())
                .isZero();
    }

    @Test
    void linksPlantedInTheStateDirectoryAreReplacedNeverWrittenThrough() throws Exception {
        Path state = Files.createDirectories(work.resolve("node-b/run/vpc-ha/vip"));
        Path victim = Files.writeString(work.resolve("victim"), "precious\n");
        Files.createSymbolicLink(state.resolve("started"), victim);
        Files.createSymbolicLink(state.resolve("routes"), victim);

        Result start = nodeB.run("start", resource());

        assertThat(start.code()).as("%s", start).isZero();
        assertThat(victim).hasContent("precious");
        assertThat(Files.isSymbolicLink(state.resolve("started"))).isFalse();
        assertThat(Files.isSymbolicLink(state.resolve("routes"))).isFalse();
        assertThat(Files.getPosixFilePermissions(state.resolve("routes")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(nodeB.monitor(resource()).code()).isZero();
    }

    private Map<String, String> resource(String... overrides) {
        Map<String, String> parameters =
                new HashMap<>(Map.of("strategy", "custom-route", "vip", VIP, "manage_local_ip", "false"));
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                parameters.remove(overrides[i]);
            } else {
                parameters.put(overrides[i], overrides[i + 1]);
            }
        }
        return parameters;
    }

    private void assertDeliveredEverywhereTo(String node) {
        for (String zone : ZONES) {
            Delivery delivery = simulator.oracle().deliver(VIP, TrafficSource.fromZone(zone));
            assertThat(delivery.instanceName())
                    .as("from %s: %s", zone, delivery)
                    .hasValue(node);
        }
        String nodeZone = node.equals("node-a") ? "us-south-1" : "us-south-2";
        assertThat(simulator
                        .oracle()
                        .deliver(VIP, TrafficSource.ingress(TrafficSource.Ingress.DIRECT_LINK, nodeZone))
                        .instanceName())
                .hasValue(node);
    }

    private List<Route> routes(String tableName) {
        return simulator.state().read(state -> {
            List<Route> routes = new ArrayList<>();
            state.routingTables.values().stream()
                    .filter(table -> table.name.equals(tableName))
                    .forEach(table -> table.routes
                            .values()
                            .forEach(route -> routes.add(new Route(
                                    route.id,
                                    route.name,
                                    route.destination.toString(),
                                    route.zone,
                                    route.action,
                                    Optional.ofNullable(route.nextHop),
                                    route.priority,
                                    route.origin,
                                    route.advertise,
                                    "stable"))));
            return routes;
        });
    }

    /** The ids of the routing tables that hold a route for {@code VIP}. */
    static Set<String> tablesWithVipRoutes(VpcSimulator simulator) {
        return simulator
                .state()
                .read(state -> state.routingTables.values().stream()
                        .filter(table -> table.routes.values().stream()
                                .anyMatch(route -> route.destination.toString().equals(VIP + "/32")))
                        .map(table -> table.id)
                        .collect(Collectors.toSet()));
    }

    /** How often each routing table's routes were read (listed, or one fetched) in {@code calls}. */
    static Map<String, Long> routeReadsByTable(List<JournalEntry> calls) {
        return calls.stream()
                .filter(call -> call.method().equals("GET") && call.endpoint().contains("/routes"))
                .collect(Collectors.groupingBy(
                        call -> call.path().replaceAll(".*/routing_tables/([^/?]+)/routes.*", "$1"),
                        Collectors.counting()));
    }

    static Map<String, Long> onceEach(Set<String> tables) {
        return tables.stream().collect(Collectors.toMap(table -> table, table -> 1L));
    }

    private String tableId(String name) {
        return simulator
                .state()
                .read(state -> state.routingTables.values().stream()
                        .filter(table -> table.name.equals(name))
                        .map(table -> table.id)
                        .findFirst()
                        .orElseThrow());
    }

    private long writes() {
        return simulator
                .journal()
                .find(entry -> entry.service().equals("vpc") && !entry.method().equals("GET"))
                .size();
    }
}
