package io.vpcha.strategy.secondaryip;

import io.vpcha.spi.ParameterSpec;
import io.vpcha.spi.ParameterType;
import io.vpcha.toolkit.stop.StopPolicy;
import io.vpcha.toolkit.time.MonitorGrace;
import java.util.List;

/**
 * The parameters of the secondary-ip strategy, declared once: the OCF meta-data, the checks before
 * every action, describe and docs/parameters.md come from here. The endpoint and credential parameters
 * are the host's common ones.
 */
final class SecondaryIpParameters {
    static final String IP = "ip";
    static final String TARGET = "target";
    static final String NODE_TARGETS = "node_targets";
    static final String MANAGE_LOCAL_IP = "manage_local_ip";
    static final String INTERFACE = "interface";
    static final String STOP_POLICY = StopPolicy.PARAMETER;
    static final String MONITOR_GRACE = MonitorGrace.PARAMETER;

    private static final List<ParameterSpec> ALL = List.of(
            ParameterSpec.builder(IP, ParameterType.STRING)
                    .shortDescription("The VIP: an address, or a reserved IP's id or name")
                    .longDescription("The private address the active node's virtual network interface (VNI) holds as "
                            + "a secondary IP: an IPv4 address of the subnet of the nodes' VNIs, or the id or name of "
                            + "a reserved IP of that subnet. An address with no reserved IP yet is reserved once, in "
                            + "the subnet of this node's VNI, with auto_delete=false and named after the resource. "
                            + "start sets auto_delete=false on a reserved IP before anything unbinds it, because "
                            + "unbinding deletes a reserved IP whose auto_delete is true.")
                    .required()
                    .uniqueGroup(IP)
                    .build(),
            ParameterSpec.builder(TARGET, ParameterType.STRING)
                    .shortDescription("This node's VNI id")
                    .longDescription("The id of this node's virtual network interface that holds the VIP. It differs "
                            + "per node, so set it with a per-node rule, or use node_targets. Default: from the "
                            + "instance metadata service, the VNI of the network attachment in the subnet of ip (the "
                            + "primary network attachment when ip is not an address of one of them).")
                    .build(),
            ParameterSpec.builder(NODE_TARGETS, ParameterType.MAP)
                    .shortDescription("VNI per node: node=VNI-id,...")
                    .longDescription("Each cluster node's VNI id, by Pacemaker node name, e.g. "
                            + "node1=0717-aaa,node2=0717-bbb. Also says which VNIs start may take the VIP from: a "
                            + "reserved IP bound to any other VNI is refused. Without it, start takes the VIP from "
                            + "the VNI of any instance network attachment (never from a VNI's primary IP or another "
                            + "kind of resource). Not together with target.")
                    .build(),
            ParameterSpec.builder(MANAGE_LOCAL_IP, ParameterType.BOOLEAN)
                    .shortDescription("Add the VIP to this node's interface")
                    .longDescription("Whether start adds the VIP, with its subnet's prefix length, to the guest "
                            + "interface this node's VNI appears as (and stop removes it), so that the node accepts "
                            + "the traffic the VPC now delivers to it. Turn off when another resource (e.g. IPaddr2) "
                            + "manages the address.")
                    .defaultValue("true")
                    .build(),
            ParameterSpec.builder(INTERFACE, ParameterType.STRING)
                    .shortDescription("Guest interface for the VIP")
                    .longDescription("The interface the VIP is added to when manage_local_ip is true. Default: the "
                            + "interface whose MAC address is the VNI's, as the VPC API tells.")
                    .build(),
            StopPolicy.parameter(
                    "What stop does with the secondary IP",
                    "keep: stop leaves the reserved IP bound to this node's VNI (the next start "
                            + "elsewhere moves it). unbind: stop also unbinds it when it is bound here and its "
                            + "auto_delete is false, best effort: stop succeeds even when the API cannot be reached, "
                            + "because a failed stop gets the node fenced."),
            MonitorGrace.parameter(
                    "Seconds a monitor tolerates API failures",
                    "When the API cannot be asked (rate limit, server error, timeout, IAM or "
                            + "metadata outage), a monitor still reports running if the secondary IP was last seen "
                            + "bound here at most this many seconds ago, and degraded after that. An API failure "
                            + "never reports not running: a needless failover is worse than a late one."));

    private SecondaryIpParameters() {}

    static List<ParameterSpec> all() {
        return ALL;
    }
}
