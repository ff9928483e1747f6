package io.vpcha.simulator.vpc;

import com.google.gson.JsonObject;
import io.vpcha.simulator.state.Behaviour;
import io.vpcha.simulator.state.FloatingIp;
import io.vpcha.simulator.state.LoadBalancer.HealthMonitor;
import io.vpcha.simulator.state.PublicAddressRange;
import io.vpcha.simulator.state.ReservedIp;
import io.vpcha.simulator.state.Route;
import io.vpcha.simulator.state.RoutingTable;
import io.vpcha.simulator.state.SimulatorState;
import io.vpcha.simulator.state.Subnet;

/**
 * The VPC rules, for code that seeds state directly (scenarios, tests): the same checks the API applies.
 * Call inside {@link SimulatorState#write}.
 */
public final class Seeding {
    private Seeding() {}

    /** Adds a route, enforcing quotas and the ECMP limit. */
    public static void addRoute(SimulatorState state, RoutingTable table, Route route, Behaviour behaviour) {
        RoutingHandlers.addRoute(state, table, route, behaviour);
    }

    /** Each ingress flag on at most one table per VPC; never on the default table or a table with subnets. */
    public static void checkIngressFlags(SimulatorState state, RoutingTable table) {
        RoutingHandlers.checkIngressFlags(state, table);
    }

    /** Reserves an address (or the lowest free one when {@code address} is null) in a subnet. */
    public static ReservedIp reserve(
            SimulatorState state, Subnet subnet, String address, String name, boolean autoDelete) {
        return NetworkHandlers.reserve(state, subnet, address, name, autoDelete);
    }

    /** Lists the provider's five addresses of a subnet as provider-owned reserved IPs. */
    public static void reserveProviderAddresses(SimulatorState state, Subnet subnet) {
        NetworkHandlers.reserveProviderAddresses(state, subnet);
    }

    /** Allocates a floating IP in a zone. */
    public static FloatingIp allocateFloatingIp(SimulatorState state, String zone, String name) {
        return FloatingIpHandlers.allocate(state, zone, name);
    }

    /** Checks a pool health monitor (JSON as in the API) and merges it into {@code monitor}. */
    public static void applyHealthMonitor(JsonObject json, HealthMonitor monitor) {
        LoadBalancerHandlers.applyHealthMonitor(json, monitor);
    }

    /** Binds, moves or unbinds (null VPC and zone) a public address range, with its {@code updating} time. */
    public static void moveRange(
            SimulatorState state,
            Behaviour behaviour,
            PublicAddressRange range,
            String vpcId,
            String zone,
            String cause) {
        PublicAddressRangeHandlers.move(state, behaviour, range, vpcId, zone, cause);
    }

    /** Zone rule and one-floating-IP-per-interface rule. */
    public static void checkBindable(SimulatorState state, FloatingIp fip, String interfaceId) {
        FloatingIpHandlers.checkBindable(state, fip, interfaceId);
    }
}
