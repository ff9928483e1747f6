package io.vpcha.strategy.secondaryip;

import io.vpcha.host.testing.SimulatedCluster;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.oracle.TrafficSource;
import io.vpcha.simulator.scenario.Scenario;
import io.vpcha.simulator.state.ReservedIp;
import io.vpcha.simulator.state.SimulatorState;
import io.vpcha.spi.StrategyProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The test cluster: the simulator with the one-subnet-pair scenario, and the secondary-ip strategy run
 * through the real OCF agent on simulated nodes, as Pacemaker runs it.
 */
final class SecondaryIpCluster extends SimulatedCluster {
    static final String VIP = "10.240.0.100";
    static final List<String> CLIENT_ZONES = List.of("us-south-1", "us-south-2", "us-south-3");

    SecondaryIpCluster(VpcSimulator simulator, Path work) {
        this(simulator, work, new SecondaryIpStrategyProvider());
    }

    /** @param provider the strategy's provider, e.g. one loaded from the plugin jar by the host's loader */
    SecondaryIpCluster(VpcSimulator simulator, Path work, StrategyProvider provider) {
        super(simulator, work, provider);
    }

    static VpcSimulator startSimulator() {
        return startSimulator(scenario());
    }

    static Scenario scenario() {
        return scenario(SecondaryIpCluster.class, "one-subnet-pair.json");
    }

    /**
     * The resource's parameters: strategy, API key, ip=10.240.0.100, manage_local_ip=false (no test
     * changes this machine's interfaces), then name/value pairs (a null value removes).
     */
    static Map<String, String> parameters(String... changes) {
        return parameters(
                Map.of("strategy", "secondary-ip", "api_key", API_KEY, "ip", VIP, "manage_local_ip", "false"), changes);
    }

    /** Where traffic to {@code address} from a client in each zone ends up: instance names, or "dropped". */
    List<String> deliveredFromEveryZone(String address) {
        return CLIENT_ZONES.stream()
                .map(zone -> simulator
                        .oracle()
                        .deliver(address, TrafficSource.fromZone(zone))
                        .instanceName()
                        .orElse("dropped"))
                .toList();
    }

    /** The reserved IP with this address, as the simulator holds it. */
    Optional<ReservedIp> reservedIp(String address) {
        return simulator
                .state()
                .read(state -> state.reservedIps.values().stream()
                        .filter(ip -> ip.address.equals(address))
                        .findFirst()
                        .map(SecondaryIpCluster::copy));
    }

    /** The VNI name the address is bound to, or empty. */
    Optional<String> boundTo(String address) {
        return simulator
                .state()
                .read(state -> state.reservedIps.values().stream()
                        .filter(ip -> ip.address.equals(address))
                        .findFirst()
                        .flatMap(ip -> Optional.ofNullable(ip.targetId))
                        .flatMap(id -> SimulatorState.byIdOrName(state.virtualNetworkInterfaces, id))
                        .map(vni -> vni.name));
    }

    String vniId(String name) {
        return simulator
                .state()
                .read(state -> SimulatorState.byIdOrName(state.virtualNetworkInterfaces, name)
                        .orElseThrow()
                        .id);
    }

    /** Changes a reserved IP in the simulator directly, as another tool would. */
    void setAutoDelete(String address, boolean autoDelete) {
        simulator.state().write(state -> {
            state.reservedIps.values().stream()
                    .filter(ip -> ip.address.equals(address))
                    .forEach(ip -> ip.autoDelete = autoDelete);
            return null;
        });
    }

    private static ReservedIp copy(ReservedIp ip) {
        ReservedIp copy = new ReservedIp();
        copy.id = ip.id;
        copy.name = ip.name;
        copy.address = ip.address;
        copy.subnetId = ip.subnetId;
        copy.autoDelete = ip.autoDelete;
        copy.owner = ip.owner;
        copy.targetId = ip.targetId;
        return copy;
    }
}
