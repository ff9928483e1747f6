package io.vpcha.strategy.publicaddressrange;

import io.vpcha.spi.ParameterSpec;
import io.vpcha.spi.ParameterType;
import io.vpcha.toolkit.time.MonitorGrace;
import java.util.List;

/**
 * The parameters of the public-address-range strategy, declared once: meta-data, the host's checks,
 * {@code vpc-ha describe} and docs/parameters.md are made from them. The endpoint and credential
 * parameters are the host's common ones.
 */
final class ParParameters {
    static final String PUBLIC_ADDRESS_RANGE = "public_address_range";
    static final String ROUTING_TABLE = "routing_table";
    static final String VPC_ID = "vpc_id";
    static final String NEXT_HOP = "next_hop";
    static final String NODE_IPS = "node_ips";
    static final String NODE_ZONES = "node_zones";
    static final String MONITOR_GRACE = MonitorGrace.PARAMETER;
    static final String MOVE_TIMEOUT = "move_timeout";

    private static final List<ParameterSpec> ALL = List.of(
            ParameterSpec.builder(PUBLIC_ADDRESS_RANGE, ParameterType.STRING)
                    .shortDescription("Public address range to move (id, name or CIDR)")
                    .longDescription("The public address range that follows the active node, by id (r006-...), name "
                            + "or CIDR (e.g. 150.240.68.0/30). start binds it to this node's zone of the VPC (one "
                            + "PATCH, no unbind first) and makes the internet-ingress route for its CIDR deliver to "
                            + "this node. A name or CIDR is looked up once and the id kept in the state directory.")
                    .required()
                    .uniqueGroup(PUBLIC_ADDRESS_RANGE)
                    .build(),
            ParameterSpec.builder(ROUTING_TABLE, ParameterType.STRING)
                    .shortDescription("Internet-ingress routing table (id or name)")
                    .longDescription("The routing table whose route for the range's CIDR delivers internet traffic "
                            + "to the active node. It must have route_internet_ingress on. Default: the VPC's table "
                            + "with internet ingress on (a VPC has at most one).")
                    .build(),
            ParameterSpec.builder(VPC_ID, ParameterType.STRING)
                    .shortDescription("VPC id")
                    .longDescription("The VPC the range is bound to and whose ingress table routes it. Default: "
                            + "this instance's VPC, from the metadata service.")
                    .build(),
            ParameterSpec.builder(NEXT_HOP, ParameterType.IPV4_ADDRESS)
                    .shortDescription("This node's next-hop address")
                    .longDescription("The address the ingress route delivers to when this node is active. Default: "
                            + "this node's entry in node_ips, else this instance's primary IP from the metadata "
                            + "service. It must be in this node's zone and its interface must allow IP spoofing.")
                    .build(),
            ParameterSpec.builder(NODE_IPS, ParameterType.MAP)
                    .shortDescription("Next hop per cluster node")
                    .longDescription("node=ip pairs, by Pacemaker node name, for instances without the metadata "
                            + "service, e.g. fw-a=10.241.0.4,fw-b=10.241.64.4.")
                    .build(),
            ParameterSpec.builder(NODE_ZONES, ParameterType.MAP)
                    .shortDescription("Zone per cluster node")
                    .longDescription("node=zone pairs, by Pacemaker node name, for instances without the metadata "
                            + "service, e.g. fw-a=us-south-1,fw-b=us-south-2. The range is bound to the active "
                            + "node's zone and the ingress route is created there.")
                    .build(),
            MonitorGrace.parameter(
                    "Seconds of API trouble tolerated",
                    "When the monitor cannot ask the cloud (rate limits, server errors, IAM "
                            + "outages), the resource stays running for this long after the last successful check, "
                            + "then is reported degraded (190); never as failed: moving the range needs the same "
                            + "API, so a failover could not help."),
            ParameterSpec.builder(MOVE_TIMEOUT, ParameterType.INTEGER)
                    .shortDescription("Seconds start waits for the range to settle")
                    .longDescription("How long start waits for the range to leave lifecycle_state updating after it "
                            + "was bound here, within the start's own timeout (whichever ends first). A move still "
                            + "updating then fails the start; the next start on any node finishes it.")
                    .range(1, 3_600)
                    .defaultValue("120")
                    .reloadable()
                    .build());

    private ParParameters() {}

    static List<ParameterSpec> all() {
        return ALL;
    }
}
