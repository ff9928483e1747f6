package io.vpcha.strategy.publicaddressrange;

import io.vpcha.host.testing.SimulatedCluster;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.oracle.Delivery;
import io.vpcha.simulator.oracle.TrafficSource;
import io.vpcha.simulator.scenario.Scenario;
import io.vpcha.simulator.state.PublicAddressRange;
import io.vpcha.simulator.state.RoutingTable;
import io.vpcha.simulator.state.SimulatorState;
import io.vpcha.spi.StrategyProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The test cluster: the simulator with the par-cluster scenario (firewalls fw-a and fw-c in us-south-1,
 * fw-b in us-south-2, range fw-par 150.240.68.0/30 bound to us-south-1 and routed to fw-a), and the
 * strategy run through the real OCF agent on simulated nodes, as Pacemaker runs it.
 */
final class ParCluster extends SimulatedCluster {
    static final String RANGE = "fw-par";
    static final String CIDR = "150.240.68.0/30";
    /** An address of the range that internet clients reach. */
    static final String PUBLIC_ADDRESS = "150.240.68.2";

    static final String FW_A = "10.241.0.4";
    static final String FW_B = "10.241.64.4";
    static final String FW_C = "10.241.0.5";

    ParCluster(VpcSimulator simulator, Path work) {
        this(simulator, work, new PublicAddressRangeStrategyProvider());
    }

    /** @param provider the strategy's provider, e.g. one loaded from the plugin jar by the host's loader */
    ParCluster(VpcSimulator simulator, Path work, StrategyProvider provider) {
        super(simulator, work, provider);
    }

    static VpcSimulator startSimulator() {
        return startSimulator(scenario());
    }

    static Scenario scenario() {
        return scenario(ParCluster.class, "par-cluster.json");
    }

    /** The resource's parameters: strategy, API key, the range, then name/value pairs (a null value removes). */
    static Map<String, String> parameters(String... extra) {
        return parameters(
                Map.of(
                        "strategy",
                        PublicAddressRangeStrategyProvider.NAME,
                        "api_key",
                        API_KEY,
                        "public_address_range",
                        RANGE),
                extra);
    }

    /** Where internet traffic to an address of the range ends up: the instance's name, or empty (dropped). */
    Optional<String> deliveredTo() {
        return delivery().instanceName();
    }

    Delivery delivery() {
        return simulator.oracle().deliver(PUBLIC_ADDRESS, TrafficSource.fromInternet());
    }

    /** The zone the range is bound to, or null. */
    String rangeZone() {
        return simulator.state().read(state -> range(state).zone);
    }

    String rangeLifecycle() {
        return simulator.state().read(state -> range(state).lifecycleState);
    }

    String rangeId() {
        return simulator.state().read(state -> range(state).id);
    }

    /** The routes for the range in par-ingress, as "name zone next-hop". */
    List<String> ingressRoutes() {
        return simulator.state().read(state -> {
            RoutingTable table = SimulatorState.byIdOrName(state.routingTables, "par-ingress")
                    .orElseThrow();
            return table.routes.values().stream()
                    .filter(route -> route.destination.toString().equals(CIDR))
                    .map(route -> route.name + " " + route.zone + " " + route.nextHop)
                    .toList();
        });
    }

    private static PublicAddressRange range(SimulatorState state) {
        return SimulatorState.byIdOrName(state.publicAddressRanges, RANGE).orElseThrow();
    }
}
