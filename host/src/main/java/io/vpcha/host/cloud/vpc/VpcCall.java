package io.vpcha.host.cloud.vpc;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every typed call of {@link VpcClient}: the {@link io.vpcha.spi.cloud.VpcApi} method, its request, and
 * the IAM action the credential needs for it, so that a refusal (403, or 401 after a fresh token) says
 * which action to grant. The one place these are written down for the host; docs/iam-policy.md lists
 * the same, and a test holds the two together.
 *
 * <p>Where IBM's public material does not say which action a call checks (docs/iam-policy.md, "What
 * the public material leaves unclear"), the refusal says "probably": an admin must not be sent to
 * grant a name as if it were certain.
 */
public enum VpcCall {
    LIST_ROUTING_TABLES("listRoutingTables", "GET /vpcs/{vpc}/routing_tables", action("is.vpc.routing-table.list")),
    GET_ROUTING_TABLE("getRoutingTable", "GET /vpcs/{vpc}/routing_tables/{table}", action("is.vpc.routing-table.read")),
    LIST_ROUTES(
            "listRoutes", "GET /vpcs/{vpc}/routing_tables/{table}/routes", probableAction("is.vpc.routing-table.read")),
    GET_ROUTE(
            "getRoute",
            "GET /vpcs/{vpc}/routing_tables/{table}/routes/{route}",
            probableAction("is.vpc.routing-table.read")),
    CREATE_ROUTE(
            "createRoute", "POST /vpcs/{vpc}/routing_tables/{table}/routes", action("is.vpc.routing-table.update")),
    UPDATE_ROUTE(
            "updateRoute",
            "PATCH /vpcs/{vpc}/routing_tables/{table}/routes/{route}",
            action("is.vpc.routing-table.update")),
    DELETE_ROUTE(
            "deleteRoute",
            "DELETE /vpcs/{vpc}/routing_tables/{table}/routes/{route}",
            action("is.vpc.routing-table.update")),
    LIST_FLOATING_IPS("listFloatingIps", "GET /floating_ips", action("is.floating-ip.floating-ip.list")),
    GET_FLOATING_IP("getFloatingIp", "GET /floating_ips/{id}", action("is.floating-ip.floating-ip.read")),
    SET_FLOATING_IP_TARGET("setFloatingIpTarget", "PATCH /floating_ips/{id}", Needs.FLOATING_IP_BINDING),
    UNBIND_FLOATING_IP("unbindFloatingIp", "PATCH /floating_ips/{id}", Needs.FLOATING_IP_BINDING),
    GET_INSTANCE("getInstance", "GET /instances/{instance}", action("is.instance.instance.read")),
    GET_NETWORK_INTERFACE(
            "getNetworkInterface",
            "GET /instances/{instance}/network_interfaces/{nic}",
            probableAction("is.instance.instance.read")),
    GET_VIRTUAL_NETWORK_INTERFACE(
            "getVirtualNetworkInterface", "GET /virtual_network_interfaces/{vni}", action(Needs.VNI_READ)),
    LIST_VIRTUAL_NETWORK_INTERFACE_IPS(
            "listVirtualNetworkInterfaceIps",
            "GET /virtual_network_interfaces/{vni}/ips",
            probableAction(Needs.VNI_READ)),
    BIND_VIRTUAL_NETWORK_INTERFACE_IP(
            "bindVirtualNetworkInterfaceIp",
            "PUT /virtual_network_interfaces/{vni}/ips/{id}",
            probableAction(Needs.VNI_UPDATE)),
    UNBIND_VIRTUAL_NETWORK_INTERFACE_IP(
            "unbindVirtualNetworkInterfaceIp",
            "DELETE /virtual_network_interfaces/{vni}/ips/{id}",
            probableAction(Needs.VNI_UPDATE)),
    GET_RESERVED_IP("getReservedIp", "GET /subnets/{subnet}/reserved_ips/{id}", action("is.subnet.subnet.read")),
    SET_RESERVED_IP_AUTO_DELETE(
            "setReservedIpAutoDelete", "PATCH /subnets/{subnet}/reserved_ips/{id}", action("is.subnet.subnet.update")),
    GET_LOAD_BALANCER_POOL(
            "getLoadBalancerPool", "GET /load_balancers/{id}/pools/{pool}", action(Needs.LOAD_BALANCER_READ)),
    LIST_POOL_MEMBERS(
            "listPoolMembers", "GET /load_balancers/{id}/pools/{pool}/members", action(Needs.LOAD_BALANCER_READ)),
    CREATE_POOL_MEMBER(
            "createPoolMember",
            "POST /load_balancers/{id}/pools/{pool}/members",
            probableAction(Needs.LOAD_BALANCER_UPDATE)),
    UPDATE_POOL_MEMBER_WEIGHT(
            "updatePoolMemberWeight",
            "PATCH /load_balancers/{id}/pools/{pool}/members/{member}",
            probableAction(Needs.LOAD_BALANCER_UPDATE)),
    DELETE_POOL_MEMBER(
            "deletePoolMember",
            "DELETE /load_balancers/{id}/pools/{pool}/members/{member}",
            probableAction(Needs.LOAD_BALANCER_UPDATE));

    private final String method;
    private final String request;
    private final String needs;

    VpcCall(String method, String request, String needs) {
        this.method = requireNonNull(method, "method is null");
        this.request = requireNonNull(request, "request is null");
        this.needs = requireNonNull(needs, "needs is null");
    }

    /** The name of the {@link io.vpcha.spi.cloud.VpcApi} method that makes this call. */
    public String method() {
        return method;
    }

    /** The request as docs/iam-policy.md writes it, e.g. {@code GET /floating_ips/{id}}. */
    public String request() {
        return request;
    }

    /**
     * What a refusal of this call says it needs, e.g. {@code needs IAM action is.vpc.routing-table.update}
     * or {@code probably needs IAM action is.vpc.routing-table.read}; never a secret.
     */
    public String needs() {
        return needs;
    }

    /** The call a {@link io.vpcha.spi.cloud.VpcApi} method makes; empty for one that has none here. */
    public static Optional<VpcCall> of(String method) {
        return Arrays.stream(values())
                .filter(call -> call.method.equals(method))
                .findFirst();
    }

    private static String action(String action) {
        return "needs IAM action " + action;
    }

    private static String probableAction(String action) {
        return "probably " + action(action);
    }

    /** Actions more than one call names. */
    private static final class Needs {
        static final String VNI_READ = "is.virtual-network-interface.virtual-network-interface.read";
        static final String VNI_UPDATE = "is.virtual-network-interface.virtual-network-interface.update";
        static final String LOAD_BALANCER_READ = "is.load-balancer.load-balancer.read";
        static final String LOAD_BALANCER_UPDATE = "is.load-balancer.load-balancer.update";
        /** update for certain; operate is floating IPs' Operator-role action, most likely checked too. */
        static final String FLOATING_IP_BINDING =
                "needs IAM action is.floating-ip.floating-ip.update and probably is.floating-ip.floating-ip.operate";

        private Needs() {}
    }
}
