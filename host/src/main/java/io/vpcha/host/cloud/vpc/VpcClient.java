package io.vpcha.host.cloud.vpc;

import static io.vpcha.host.cloud.vpc.VpcHttp.encode;
import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import io.vpcha.host.cloud.http.ApiErrors;
import io.vpcha.host.cloud.http.HttpResult;
import io.vpcha.host.cloud.http.RetryPolicy;
import io.vpcha.spi.cloud.ApiRequest;
import io.vpcha.spi.cloud.ApiResponse;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.FloatingIp;
import io.vpcha.spi.cloud.Instance;
import io.vpcha.spi.cloud.LoadBalancerPool;
import io.vpcha.spi.cloud.NetworkInterface;
import io.vpcha.spi.cloud.PoolMember;
import io.vpcha.spi.cloud.ReservedIp;
import io.vpcha.spi.cloud.Route;
import io.vpcha.spi.cloud.RoutePatch;
import io.vpcha.spi.cloud.RoutePrototype;
import io.vpcha.spi.cloud.RoutingTable;
import io.vpcha.spi.cloud.VirtualNetworkInterface;
import io.vpcha.spi.cloud.VpcApi;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The typed VPC API over {@link VpcHttp}. Each method names its {@link VpcCall}, which holds the IAM
 * action a refusal of it names.
 */
public final class VpcClient implements VpcApi {
    private static final String LB_CONFLICT = "load_balancer_update_conflict";

    private final VpcHttp http;
    private final Supplier<Instant> deadline;
    private final System.Logger log;
    private final RetryPolicy policy;

    public VpcClient(VpcHttp http, RetryPolicy policy, Supplier<Instant> deadline, System.Logger log) {
        this.http = requireNonNull(http, "http is null");
        this.policy = requireNonNull(policy, "policy is null");
        this.deadline = requireNonNull(deadline, "deadline is null");
        this.log = requireNonNull(log, "log is null");
    }

    @Override
    public List<RoutingTable> listRoutingTables(String vpcId) throws CloudException {
        return http.list(
                VpcCall.LIST_ROUTING_TABLES,
                "/vpcs/" + id(vpcId) + "/routing_tables",
                "routing_tables",
                VpcJson::routingTable,
                "list routing tables of VPC " + vpcId);
    }

    @Override
    public RoutingTable getRoutingTable(String vpcId, String routingTableId) throws CloudException {
        return read(
                http.json(
                        VpcCall.GET_ROUTING_TABLE,
                        "GET",
                        table(vpcId, routingTableId),
                        Optional.empty(),
                        "get routing table " + routingTableId),
                VpcJson::routingTable,
                "get routing table " + routingTableId);
    }

    @Override
    public List<Route> listRoutes(String vpcId, String routingTableId) throws CloudException {
        return http.list(
                VpcCall.LIST_ROUTES,
                table(vpcId, routingTableId) + "/routes",
                "routes",
                VpcJson::route,
                "list routes of routing table " + routingTableId);
    }

    @Override
    public Route getRoute(String vpcId, String routingTableId, String routeId) throws CloudException {
        String what = "get route " + routeId;
        return read(
                http.json(VpcCall.GET_ROUTE, "GET", route(vpcId, routingTableId, routeId), Optional.empty(), what),
                VpcJson::route,
                what);
    }

    @Override
    public Route createRoute(String vpcId, String routingTableId, RoutePrototype prototype) throws CloudException {
        String what = "create route " + prototype.destination() + " in zone " + prototype.zone() + " of routing table "
                + routingTableId;
        JsonObject body = new JsonObject();
        prototype.name().ifPresent(name -> body.addProperty("name", name));
        body.addProperty("destination", prototype.destination());
        JsonObject zone = new JsonObject();
        zone.addProperty("name", prototype.zone());
        body.add("zone", zone);
        body.addProperty("action", prototype.action());
        JsonObject nextHop = new JsonObject();
        nextHop.addProperty("address", prototype.nextHopAddress());
        body.add("next_hop", nextHop);
        body.addProperty("priority", prototype.priority());
        body.addProperty("advertise", prototype.advertise());
        for (int attempt = 1; ; attempt++) {
            CloudException failure;
            try {
                HttpResult result = http.call(
                        "POST",
                        table(vpcId, routingTableId) + "/routes",
                        Map.of(),
                        Optional.of(body.toString()),
                        Optional.empty(),
                        what);
                if (result.isSuccess()) {
                    return read(VpcHttp.parse(result, what), VpcJson::route, what);
                }
                failure = ApiErrors.from(result, what, VpcCall.CREATE_ROUTE.needs());
            } catch (CloudException e) {
                failure = e;
            }
            if (!failure.isTransient() || attempt >= policy.maxAttempts()) {
                throw failure;
            }
            // A POST that failed may still have created the route: look before sending it again.
            Optional<Route> created = listRoutes(vpcId, routingTableId).stream()
                    .filter(route -> matches(route, prototype))
                    .findFirst();
            if (created.isPresent()) {
                log.log(
                        Level.INFO,
                        what + ": the failed attempt did create route "
                                + created.get().id());
                return created.get();
            }
            pause(attempt, what, failure);
        }
    }

    private static boolean matches(Route route, RoutePrototype prototype) {
        return route.destination().equals(prototype.destination())
                && route.zone().equals(prototype.zone())
                && route.nextHopAddress().equals(Optional.of(prototype.nextHopAddress()))
                && prototype.name().map(name -> name.equals(route.name())).orElse(true);
    }

    @Override
    public Route updateRoute(String vpcId, String routingTableId, String routeId, RoutePatch patch)
            throws CloudException {
        JsonObject body = new JsonObject();
        patch.name().ifPresent(name -> body.addProperty("name", name));
        patch.nextHopAddress().ifPresent(address -> {
            JsonObject nextHop = new JsonObject();
            nextHop.addProperty("address", address);
            body.add("next_hop", nextHop);
        });
        patch.priority().ifPresent(priority -> body.addProperty("priority", priority));
        patch.advertise().ifPresent(advertise -> body.addProperty("advertise", advertise));
        String what = "update route " + routeId;
        return read(
                http.json(
                        VpcCall.UPDATE_ROUTE,
                        "PATCH",
                        route(vpcId, routingTableId, routeId),
                        Optional.of(body.toString()),
                        what),
                VpcJson::route,
                what);
    }

    @Override
    public void deleteRoute(String vpcId, String routingTableId, String routeId) throws CloudException {
        deleteTolerantOfGone(VpcCall.DELETE_ROUTE, route(vpcId, routingTableId, routeId), "delete route " + routeId);
    }

    @Override
    public List<FloatingIp> listFloatingIps() throws CloudException {
        return http.list(
                VpcCall.LIST_FLOATING_IPS, "/floating_ips", "floating_ips", VpcJson::floatingIp, "list floating IPs");
    }

    @Override
    public FloatingIp getFloatingIp(String floatingIpId) throws CloudException {
        String what = "get floating IP " + floatingIpId;
        return read(
                http.json(VpcCall.GET_FLOATING_IP, "GET", "/floating_ips/" + id(floatingIpId), Optional.empty(), what),
                VpcJson::floatingIp,
                what);
    }

    @Override
    public FloatingIp setFloatingIpTarget(String floatingIpId, String targetId) throws CloudException {
        JsonObject target = new JsonObject();
        target.addProperty("id", targetId);
        JsonObject body = new JsonObject();
        body.add("target", target);
        String what = "bind floating IP " + floatingIpId + " to " + targetId;
        return read(
                http.json(
                        VpcCall.SET_FLOATING_IP_TARGET,
                        "PATCH",
                        "/floating_ips/" + id(floatingIpId),
                        Optional.of(body.toString()),
                        what),
                VpcJson::floatingIp,
                what);
    }

    @Override
    public FloatingIp unbindFloatingIp(String floatingIpId) throws CloudException {
        String what = "unbind floating IP " + floatingIpId;
        return read(
                http.json(
                        VpcCall.UNBIND_FLOATING_IP,
                        "PATCH",
                        "/floating_ips/" + id(floatingIpId),
                        Optional.of("{\"target\":null}"),
                        what),
                VpcJson::floatingIp,
                what);
    }

    @Override
    public Instance getInstance(String instanceId) throws CloudException {
        String what = "get instance " + instanceId;
        return read(
                http.json(VpcCall.GET_INSTANCE, "GET", "/instances/" + id(instanceId), Optional.empty(), what),
                VpcJson::instance,
                what);
    }

    @Override
    public NetworkInterface getNetworkInterface(String instanceId, String networkInterfaceId) throws CloudException {
        String what = "get network interface " + networkInterfaceId;
        return read(
                http.json(
                        VpcCall.GET_NETWORK_INTERFACE,
                        "GET",
                        "/instances/" + id(instanceId) + "/network_interfaces/" + id(networkInterfaceId),
                        Optional.empty(),
                        what),
                VpcJson::networkInterface,
                what);
    }

    @Override
    public VirtualNetworkInterface getVirtualNetworkInterface(String virtualNetworkInterfaceId) throws CloudException {
        String what = "get virtual network interface " + virtualNetworkInterfaceId;
        return read(
                http.json(
                        VpcCall.GET_VIRTUAL_NETWORK_INTERFACE,
                        "GET",
                        "/virtual_network_interfaces/" + id(virtualNetworkInterfaceId),
                        Optional.empty(),
                        what),
                VpcJson::virtualNetworkInterface,
                what);
    }

    @Override
    public List<ReservedIp> listVirtualNetworkInterfaceIps(String virtualNetworkInterfaceId) throws CloudException {
        return http.list(
                VpcCall.LIST_VIRTUAL_NETWORK_INTERFACE_IPS,
                "/virtual_network_interfaces/" + id(virtualNetworkInterfaceId) + "/ips",
                "ips",
                VpcJson::reservedIp,
                "list IPs of virtual network interface " + virtualNetworkInterfaceId);
    }

    @Override
    public ReservedIp bindVirtualNetworkInterfaceIp(String virtualNetworkInterfaceId, String reservedIpId)
            throws CloudException {
        String what = "bind IP " + reservedIpId + " to virtual network interface " + virtualNetworkInterfaceId;
        return read(
                http.json(
                        VpcCall.BIND_VIRTUAL_NETWORK_INTERFACE_IP,
                        "PUT",
                        "/virtual_network_interfaces/" + id(virtualNetworkInterfaceId) + "/ips/" + id(reservedIpId),
                        Optional.empty(),
                        what),
                VpcJson::reservedIp,
                what);
    }

    @Override
    public void unbindVirtualNetworkInterfaceIp(String virtualNetworkInterfaceId, String reservedIpId)
            throws CloudException {
        deleteTolerantOfGone(
                VpcCall.UNBIND_VIRTUAL_NETWORK_INTERFACE_IP,
                "/virtual_network_interfaces/" + id(virtualNetworkInterfaceId) + "/ips/" + id(reservedIpId),
                "unbind IP " + reservedIpId + " from virtual network interface " + virtualNetworkInterfaceId);
    }

    @Override
    public ReservedIp getReservedIp(String subnetId, String reservedIpId) throws CloudException {
        String what = "get reserved IP " + reservedIpId;
        return read(
                http.json(
                        VpcCall.GET_RESERVED_IP,
                        "GET",
                        "/subnets/" + id(subnetId) + "/reserved_ips/" + id(reservedIpId),
                        Optional.empty(),
                        what),
                VpcJson::reservedIp,
                what);
    }

    @Override
    public ReservedIp setReservedIpAutoDelete(String subnetId, String reservedIpId, boolean autoDelete)
            throws CloudException {
        JsonObject body = new JsonObject();
        body.addProperty("auto_delete", autoDelete);
        String what = "update reserved IP " + reservedIpId;
        return read(
                http.json(
                        VpcCall.SET_RESERVED_IP_AUTO_DELETE,
                        "PATCH",
                        "/subnets/" + id(subnetId) + "/reserved_ips/" + id(reservedIpId),
                        Optional.of(body.toString()),
                        what),
                VpcJson::reservedIp,
                what);
    }

    @Override
    public LoadBalancerPool getLoadBalancerPool(String loadBalancerId, String poolId) throws CloudException {
        String what = "get pool " + poolId + " of load balancer " + loadBalancerId;
        return read(
                http.json(VpcCall.GET_LOAD_BALANCER_POOL, "GET", pool(loadBalancerId, poolId), Optional.empty(), what),
                VpcJson::loadBalancerPool,
                what);
    }

    @Override
    public List<PoolMember> listPoolMembers(String loadBalancerId, String poolId) throws CloudException {
        return http.unpaginated(
                VpcCall.LIST_POOL_MEMBERS,
                pool(loadBalancerId, poolId) + "/members",
                "members",
                VpcJson::poolMember,
                "list members of pool " + poolId);
    }

    @Override
    public PoolMember createPoolMember(
            String loadBalancerId,
            String poolId,
            int port,
            Optional<String> targetId,
            Optional<String> targetAddress,
            OptionalInt weight)
            throws CloudException {
        if (targetId.isPresent() == targetAddress.isPresent()) {
            throw new IllegalArgumentException("a member targets an instance id or an address, exactly one");
        }
        JsonObject target = new JsonObject();
        targetId.ifPresent(value -> target.addProperty("id", value));
        targetAddress.ifPresent(value -> target.addProperty("address", value));
        JsonObject body = new JsonObject();
        body.addProperty("port", port);
        body.add("target", target);
        weight.ifPresent(value -> body.addProperty("weight", value));
        String what = "add member to pool " + poolId;
        return read(
                whileLoadBalancerBusy(
                        VpcCall.CREATE_POOL_MEMBER,
                        "POST",
                        pool(loadBalancerId, poolId) + "/members",
                        Optional.of(body.toString()),
                        what),
                VpcJson::poolMember,
                what);
    }

    @Override
    public PoolMember updatePoolMemberWeight(String loadBalancerId, String poolId, String memberId, int weight)
            throws CloudException {
        JsonObject body = new JsonObject();
        body.addProperty("weight", weight);
        String what = "set weight of pool member " + memberId;
        return read(
                whileLoadBalancerBusy(
                        VpcCall.UPDATE_POOL_MEMBER_WEIGHT,
                        "PATCH",
                        pool(loadBalancerId, poolId) + "/members/" + id(memberId),
                        Optional.of(body.toString()),
                        what),
                VpcJson::poolMember,
                what);
    }

    @Override
    public void deletePoolMember(String loadBalancerId, String poolId, String memberId) throws CloudException {
        String what = "delete pool member " + memberId;
        try {
            whileLoadBalancerBusy(
                    VpcCall.DELETE_POOL_MEMBER,
                    "DELETE",
                    pool(loadBalancerId, poolId) + "/members/" + id(memberId),
                    Optional.empty(),
                    what);
        } catch (CloudException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
    }

    @Override
    public void prepareConnections(int count) {
        http.prepareConnections(count);
    }

    @Override
    public ApiResponse send(ApiRequest request) throws CloudException {
        HttpResult result = http.call(
                request.method(),
                request.path(),
                request.query(),
                request.jsonBody(),
                request.ifMatch(),
                request.method() + " " + request.path());
        return ApiResponse.of(
                result.status(),
                result.body(),
                result.headers(),
                VpcJson.tree(result.body()).orElse(null));
    }

    /**
     * Changes to a load balancer are refused (409) while it is updating; wait for it within the deadline.
     * A POST refused that way was not applied, so it is safe to send again.
     */
    private JsonObject whileLoadBalancerBusy(
            VpcCall call, String method, String path, Optional<String> body, String what) throws CloudException {
        for (int attempt = 1; ; attempt++) {
            HttpResult result = http.call(method, path, Map.of(), body, Optional.empty(), what);
            if (result.isSuccess()) {
                return VpcHttp.parse(result, what);
            }
            CloudException failure = ApiErrors.from(result, what, call.needs());
            if (!failure.code().equals(Optional.of(LB_CONFLICT))) {
                throw failure;
            }
            pause(attempt, what, failure);
        }
    }

    private void deleteTolerantOfGone(VpcCall call, String path, String what) throws CloudException {
        HttpResult result = http.call("DELETE", path, Map.of(), Optional.empty(), Optional.empty(), what);
        if (!result.isSuccess() && result.status() != 404) {
            throw ApiErrors.from(result, what, call.needs());
        }
    }

    /** Waits before the next try of a write the executor could not retry itself, or gives up. */
    private void pause(int attempt, String what, CloudException failure) throws CloudException {
        Duration wait = policy.backoff(attempt);
        if (Instant.now().plus(wait).plus(RetryPolicy.MIN_ATTEMPT).isAfter(deadline.get())) {
            throw failure;
        }
        log.log(Level.INFO, () -> what + ": " + failure.reason() + "; trying again in " + wait.toMillis() + " ms");
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure;
        }
    }

    private static <T> T read(JsonObject json, Function<JsonObject, T> reader, String what) throws CloudException {
        try {
            return reader.apply(json);
        } catch (RuntimeException e) {
            throw VpcHttp.malformed(what, e);
        }
    }

    private static String table(String vpcId, String routingTableId) throws CloudException {
        return "/vpcs/" + id(vpcId) + "/routing_tables/" + id(routingTableId);
    }

    private static String route(String vpcId, String routingTableId, String routeId) throws CloudException {
        return table(vpcId, routingTableId) + "/routes/" + id(routeId);
    }

    private static String pool(String loadBalancerId, String poolId) throws CloudException {
        return "/load_balancers/" + id(loadBalancerId) + "/pools/" + id(poolId);
    }

    /**
     * An id as a path segment: ids never contain a slash, but a configured one might. An empty id (a
     * parameter set to an empty value) would make another request altogether: a configuration error.
     */
    private static String id(String id) throws CloudException {
        requireNonNull(id, "id is null");
        if (id.isBlank()) {
            throw new CloudException(
                    CloudErrorKind.CONFIGURATION,
                    0,
                    null,
                    "an id is empty where the VPC API needs one (a parameter set to an empty value?)",
                    null,
                    null);
        }
        return encode(id);
    }
}
