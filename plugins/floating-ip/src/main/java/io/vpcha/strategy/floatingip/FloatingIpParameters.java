package io.vpcha.strategy.floatingip;

import io.vpcha.spi.ParameterSpec;
import io.vpcha.spi.ParameterType;
import io.vpcha.toolkit.stop.StopPolicy;
import io.vpcha.toolkit.time.MonitorGrace;
import java.util.List;

/**
 * The parameters of the floating-ip strategy. The endpoint and credential parameters ({@code vpc_url},
 * {@code api_key}, ...) are the host's common ones, so a resource migrated from ClusterLabs'
 * {@code ibm-cloud-vpc-move-fip} keeps those as they are.
 */
final class FloatingIpParameters {
    static final String FLOATING_IP = "floating_ip";
    static final String TARGET = "target";
    static final String NODE_TARGETS = "node_targets";
    static final String STOP_POLICY = StopPolicy.PARAMETER;
    static final String MONITOR_GRACE = MonitorGrace.PARAMETER;
    static final String VNI_ID_1 = "vni_id_1";
    static final String VNI_ID_2 = "vni_id_2";

    /** ibm-cloud-vpc-move-fip's name for {@link #FLOATING_IP}. */
    static final String LEGACY_FLOATING_IP = "fip_id";

    private static final List<ParameterSpec> ALL = List.of(
            ParameterSpec.builder(FLOATING_IP, ParameterType.STRING)
                    .shortDescription("Floating IP to move (id, name or address)")
                    .longDescription("The floating IP that start binds to this node, by id (r006-...), name or public "
                            + "address. It must be in the zone of the cluster nodes: a floating IP only binds to an "
                            + "interface in its own zone. A name or address is looked up once and the id kept in the "
                            + "state directory. Replaces fip_id of ibm-cloud-vpc-move-fip.")
                    .required()
                    .uniqueGroup(FLOATING_IP)
                    .deprecatedAliases(LEGACY_FLOATING_IP)
                    .build(),
            ParameterSpec.builder(TARGET, ParameterType.STRING)
                    .shortDescription("This node's network interface or VNI id")
                    .longDescription("The id of the network interface or virtual network interface (VNI) of this "
                            + "node that the floating IP is bound to. It differs per node, so set it with a per-node "
                            + "rule, or use node_targets. Default: from the instance metadata service, the primary "
                            + "network interface, or the VNI of the primary network attachment.")
                    .build(),
            ParameterSpec.builder(NODE_TARGETS, ParameterType.MAP)
                    .shortDescription("Target per node: node=interface-or-VNI-id,...")
                    .longDescription("Each cluster node's network interface or VNI id, by Pacemaker node name, e.g. "
                            + "node1=0717-aaa,node2=0717-bbb. For instances without the metadata service; every node "
                            + "that may run the resource needs an entry. Not together with target.")
                    .build(),
            StopPolicy.parameter(
                    "What stop does with the floating IP",
                    "keep: stop leaves the floating IP bound (the next start moves it in one call, "
                            + "so traffic is never without a target in between). unbind: stop also unbinds it when it "
                            + "is bound to this node, best effort: stop succeeds even when the API cannot be reached, "
                            + "because a failed stop gets the node fenced."),
            MonitorGrace.parameter(
                    "Seconds a monitor tolerates API failures",
                    "When the API cannot be asked (rate limit, server error, timeout, IAM or "
                            + "metadata outage), a monitor still reports running if the floating IP was last seen "
                            + "bound here at most this many seconds ago, and degraded after that. An API failure "
                            + "never reports not running: a needless failover is worse than a late one."),
            legacyTarget(VNI_ID_1, "first"),
            legacyTarget(VNI_ID_2, "second"));

    private FloatingIpParameters() {}

    static List<ParameterSpec> all() {
        return ALL;
    }

    private static ParameterSpec legacyTarget(String name, String which) {
        return ParameterSpec.builder(name, ParameterType.STRING)
                .shortDescription("Deprecated: the " + which + " node's VNI id (use target or node_targets)")
                .longDescription("Deprecated, from ibm-cloud-vpc-move-fip: the VNI (or network interface) id of the "
                        + which + " cluster node. This node's target is whichever of vni_id_1 and vni_id_2 belongs to "
                        + "this instance, as the metadata service tells. Used only when neither target nor "
                        + "node_targets is set.")
                .build();
    }
}
