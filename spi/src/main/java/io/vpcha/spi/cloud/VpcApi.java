package io.vpcha.spi.cloud;

import io.vpcha.spi.StrategyException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The VPC API operations failover strategies use. Every list follows pagination to the end; every
 * call retries transient failures within the action's deadline; failures are {@link CloudException}s.
 * Writes without optimistic locking in the API (routes, floating IPs, reserved IPs, pool members)
 * must be read back by the caller to be sure.
 */
public interface VpcApi {
    // routing tables and routes

    List<RoutingTable> listRoutingTables(String vpcId) throws StrategyException;

    RoutingTable getRoutingTable(String vpcId, String routingTableId) throws StrategyException;

    List<Route> listRoutes(String vpcId, String routingTableId) throws StrategyException;

    Route getRoute(String vpcId, String routingTableId, String routeId) throws StrategyException;

    /**
     * Creates a route. Retried after a failure only once it is known that the failed attempt did not
     * create the route (a route with the same name, destination and zone).
     */
    Route createRoute(String vpcId, String routingTableId, RoutePrototype route) throws StrategyException;

    Route updateRoute(String vpcId, String routingTableId, String routeId, RoutePatch patch) throws StrategyException;

    /** Deletes a route; a route already gone counts as deleted. */
    void deleteRoute(String vpcId, String routingTableId, String routeId) throws StrategyException;

    // floating IPs

    List<FloatingIp> listFloatingIps() throws StrategyException;

    FloatingIp getFloatingIp(String floatingIpId) throws StrategyException;

    /** Binds the floating IP to {@code targetId} (a network interface or VNI), replacing any binding, in one call. */
    FloatingIp setFloatingIpTarget(String floatingIpId, String targetId) throws StrategyException;

    FloatingIp unbindFloatingIp(String floatingIpId) throws StrategyException;

    // instances, interfaces, VNIs, reserved IPs

    Instance getInstance(String instanceId) throws StrategyException;

    NetworkInterface getNetworkInterface(String instanceId, String networkInterfaceId) throws StrategyException;

    VirtualNetworkInterface getVirtualNetworkInterface(String virtualNetworkInterfaceId) throws StrategyException;

    List<ReservedIp> listVirtualNetworkInterfaceIps(String virtualNetworkInterfaceId) throws StrategyException;

    /** Binds an existing reserved IP of the VNI's subnet to the VNI as a secondary IP. */
    ReservedIp bindVirtualNetworkInterfaceIp(String virtualNetworkInterfaceId, String reservedIpId)
            throws StrategyException;

    /** Unbinds a secondary IP (which deletes it when its auto_delete is true). */
    void unbindVirtualNetworkInterfaceIp(String virtualNetworkInterfaceId, String reservedIpId)
            throws StrategyException;

    ReservedIp getReservedIp(String subnetId, String reservedIpId) throws StrategyException;

    ReservedIp setReservedIpAutoDelete(String subnetId, String reservedIpId, boolean autoDelete)
            throws StrategyException;

    // load balancer pools

    LoadBalancerPool getLoadBalancerPool(String loadBalancerId, String poolId) throws StrategyException;

    List<PoolMember> listPoolMembers(String loadBalancerId, String poolId) throws StrategyException;

    /**
     * Adds a member for an instance ({@code targetId}) or an address ({@code targetAddress}). Waits for
     * the load balancer to leave update_pending (409) within the deadline.
     */
    PoolMember createPoolMember(
            String loadBalancerId,
            String poolId,
            int port,
            Optional<String> targetId,
            Optional<String> targetAddress,
            OptionalInt weight)
            throws StrategyException;

    PoolMember updatePoolMemberWeight(String loadBalancerId, String poolId, String memberId, int weight)
            throws StrategyException;

    void deletePoolMember(String loadBalancerId, String poolId, String memberId) throws StrategyException;

    // anything else

    /** One authenticated request, answered whatever its status. */
    ApiResponse send(ApiRequest request) throws StrategyException;

    /**
     * Says that up to {@code count} requests will soon run at the same time (a round of writes after
     * the reads now under way), so that the host may open the connections they need while the current
     * requests run, instead of making each of them wait for a handshake of its own (TCP and TLS: two
     * round trips to the cloud). A hint: nothing is sent, nothing fails, and the action never opens more
     * connections than the larger of {@code count} and the requests it runs at once. Call it once, with
     * the width of the widest round to come, before the round that precedes it. Since SPI 1.2; the
     * default does nothing.
     */
    default void prepareConnections(int count) {}
}
