package io.vpcha.strategy.floatingip;

import io.vpcha.host.testing.SimulatedCluster;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.oracle.Delivery;
import io.vpcha.simulator.oracle.TrafficSource;
import io.vpcha.simulator.scenario.Scenario;
import io.vpcha.simulator.state.FloatingIp;
import io.vpcha.simulator.state.Instance;
import io.vpcha.simulator.state.SimulatorState;
import io.vpcha.spi.StrategyProvider;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The test cluster: the simulator with the one-zone-pair scenario, and the floating-ip strategy run
 * through the real OCF agent on simulated nodes, as Pacemaker runs it.
 */
final class FloatingIpCluster extends SimulatedCluster {
    static final String VIP = "169.59.10.20";
    static final String ZONE = "us-south-1";

    FloatingIpCluster(VpcSimulator simulator, Path work) {
        this(simulator, work, new FloatingIpStrategyProvider());
    }

    /** @param provider the strategy's provider, e.g. one loaded from the plugin jar by the host's loader */
    FloatingIpCluster(VpcSimulator simulator, Path work, StrategyProvider provider) {
        super(simulator, work, provider);
    }

    static VpcSimulator startSimulator() {
        return startSimulator(scenario());
    }

    static Scenario scenario() {
        return scenario(FloatingIpCluster.class, "one-zone-pair.json");
    }

    /** The resource's parameters: strategy, API key, floating_ip=vip-fip, then name/value pairs (a null value removes). */
    static Map<String, String> parameters(String... extra) {
        return parameters(Map.of("strategy", "floating-ip", "api_key", API_KEY, "floating_ip", "vip-fip"), extra);
    }

    /** Where public traffic to the floating IP, from the internet, ends up: the instance's name, or empty. */
    Optional<String> vipDeliveredTo() {
        Delivery delivery =
                simulator.oracle().deliver(VIP, TrafficSource.ingress(TrafficSource.Ingress.INTERNET, ZONE));
        return delivery.instanceName();
    }

    /** The instance's primary interface id: its first network interface, or the VNI of its first attachment. */
    String interfaceId(String node) {
        return simulator.state().read(state -> {
            Instance instance = SimulatorState.byIdOrName(state.instances, node).orElseThrow();
            if (!instance.networkInterfaceIds.isEmpty()) {
                return instance.networkInterfaceIds.get(0);
            }
            return state.networkAttachments.get(instance.networkAttachmentIds.get(0)).virtualNetworkInterfaceId;
        });
    }

    String floatingIpId(String name) {
        return simulator
                .state()
                .read(state ->
                        SimulatorState.byIdOrName(state.floatingIps, name).orElseThrow().id);
    }

    /** The interface id the floating IP is bound to, or null. */
    String floatingIpTarget(String name) {
        return simulator.state().read(state -> {
            FloatingIp floatingIp =
                    SimulatorState.byIdOrName(state.floatingIps, name).orElseThrow();
            return floatingIp.targetId;
        });
    }
}
