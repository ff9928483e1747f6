package io.vpcha.strategy.customroute;

import io.vpcha.spi.FailoverStrategy;
import io.vpcha.spi.ParameterSpec;
import io.vpcha.spi.ParameterType;
import io.vpcha.spi.ParameterValues;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.StrategyProvider;
import io.vpcha.toolkit.time.MonitorGrace;
import java.util.List;

/** The custom-route strategy: a cross-zone VIP whose VPC routes are pointed at the active node. */
public final class CustomRouteStrategyProvider implements StrategyProvider {
    static final String VIP = "vip";
    static final String ROUTING_TABLES = "routing_tables";
    static final String VPC_ID = "vpc_id";
    static final String NEXT_HOP = "next_hop";
    static final String NODE_IPS = "node_ips";
    static final String NODE_ZONES = "node_zones";
    static final String EXT_IP_1 = "ext_ip_1";
    static final String EXT_IP_2 = "ext_ip_2";
    static final String MANAGE_LOCAL_IP = "manage_local_ip";
    static final String INTERFACE = "interface";
    static final String MONITOR_GRACE = MonitorGrace.PARAMETER;
    static final String PARALLELISM = "parallelism";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.builder(VIP, ParameterType.IPV4_CIDR)
                    .shortDescription("Virtual IP address")
                    .longDescription("The address clients use. Every route whose destination is VIP/32 (or this CIDR "
                            + "block) in the selected routing tables is made to deliver to the active node. Needed "
                            + "unless ext_ip_1 and ext_ip_2 (or node_ips) name the nodes, in which case the routes "
                            + "are those whose next hop is one of the nodes.")
                    .uniqueGroup("vip")
                    .build(),
            ParameterSpec.builder(ROUTING_TABLES, ParameterType.LIST)
                    .shortDescription("Routing tables to manage")
                    .longDescription("Ids or names of the routing tables whose VIP routes follow the active node. "
                            + "Default: every routing table of the VPC that holds a route for the VIP.")
                    .reloadable()
                    .build(),
            ParameterSpec.builder(VPC_ID, ParameterType.STRING)
                    .shortDescription("VPC id")
                    .longDescription("The VPC of the routing tables. Default: this instance's VPC, from the metadata "
                            + "service.")
                    .reloadable()
                    .build(),
            ParameterSpec.builder(NEXT_HOP, ParameterType.IPV4_ADDRESS)
                    .shortDescription("This node's next-hop address")
                    .longDescription("The address routes point at when this node is active. Default: this node's "
                            + "entry in node_ips, else this instance's primary IP from the metadata service. Its "
                            + "interface must allow IP spoofing.")
                    .build(),
            ParameterSpec.builder(NODE_IPS, ParameterType.MAP)
                    .shortDescription("Next hop per cluster node")
                    .longDescription("node=ip pairs, by Pacemaker node name, for instances without the metadata "
                            + "service, e.g. node1=10.240.0.4,node2=10.240.64.4.")
                    .reloadable()
                    .build(),
            ParameterSpec.builder(NODE_ZONES, ParameterType.MAP)
                    .shortDescription("Zone per cluster node")
                    .longDescription("node=zone pairs, by Pacemaker node name, for instances without the metadata "
                            + "service whose VIP has routes in an ingress routing table (which must sit in the zone "
                            + "of their next hop).")
                    .reloadable()
                    .build(),
            ParameterSpec.builder(EXT_IP_1, ParameterType.IPV4_ADDRESS)
                    .shortDescription("Deprecated (ibm-cloud-vpc-cr-vip): first node's IP")
                    .longDescription("From the agent ibm-cloud-vpc-cr-vip: the address of one of the two nodes. With "
                            + "ext_ip_2, the routes to manage are those whose next hop is either address, and start "
                            + "points them at whichever of the two this node owns (not a toggle). Prefer vip.")
                    .reloadable()
                    .build(),
            ParameterSpec.builder(EXT_IP_2, ParameterType.IPV4_ADDRESS)
                    .shortDescription("Deprecated (ibm-cloud-vpc-cr-vip): second node's IP")
                    .longDescription("See ext_ip_1.")
                    .reloadable()
                    .build(),
            ParameterSpec.builder(MANAGE_LOCAL_IP, ParameterType.BOOLEAN)
                    .shortDescription("Add the VIP locally")
                    .longDescription("Whether start adds VIP/32 to the interface below (and stop removes it), so the "
                            + "node accepts the traffic the routes deliver. Turn off when another resource (e.g. "
                            + "IPaddr2) manages the address.")
                    .defaultValue("true")
                    .build(),
            ParameterSpec.builder(INTERFACE, ParameterType.STRING)
                    .shortDescription("Interface for the local VIP")
                    .longDescription("Where the VIP is added when manage_local_ip is true. The loopback keeps the "
                            + "node from answering ARP for an address the VPC routes anyway.")
                    .defaultValue("lo")
                    .build(),
            MonitorGrace.parameter(
                    "Seconds of API trouble tolerated",
                    "When the monitor cannot ask the cloud (rate limits, server errors, IAM or "
                            + "metadata outages), the resource stays running for this long after the last successful "
                            + "check, then is reported degraded (190); never as failed: moving the VIP needs the same "
                            + "API, so a failover could not help."),
            ParameterSpec.builder(PARALLELISM, ParameterType.INTEGER)
                    .shortDescription("Requests at once")
                    .longDescription(
                            "How many requests to the routing tables run at the same time: tables read, routes "
                                    + "written (an ingress route moving zones is one sequence). 1 makes every request wait "
                                    + "for the one before.")
                    .range(1, 50)
                    .defaultValue("8")
                    .reloadable()
                    .build());

    @Override
    public String name() {
        return "custom-route";
    }

    @Override
    public String description() {
        return "Cross-zone virtual IP: the VPC routes for the VIP follow the active node";
    }

    @Override
    public String longDescription() {
        return "Moves a virtual IP across zones by pointing the VPC routing-table routes for it at the active node. "
                + "Egress tables (routes per client zone) get their next hop changed in place. Ingress tables "
                + "(transit gateway, direct link, internet, VPC zone) only honour a route whose next hop is in the "
                + "route's own zone, so their route is re-created in the active node's zone, the new route before "
                + "the old is deleted. Tables are changed in parallel and every change is read back. Needs the "
                + "next-hop interfaces to allow IP spoofing.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    /**
     * The strategy; with parameters that cannot work together, one that fails every action with the
     * reason except stop, which still removes what this node added (a failed stop gets the node fenced).
     */
    @Override
    public FailoverStrategy create(ParameterValues parameters, StrategyContext context) throws StrategyException {
        CustomRouteConfig config;
        try {
            config = CustomRouteConfig.from(parameters);
        } catch (StrategyException problem) {
            return new UnconfiguredStrategy(problem, context);
        }
        return new CustomRouteStrategy(config, context);
    }
}
