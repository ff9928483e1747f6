package io.vpcha.strategy.loadbalancer;

import io.vpcha.spi.ParameterSpec;
import io.vpcha.spi.ParameterType;
import io.vpcha.toolkit.time.MonitorGrace;
import java.util.List;

/** The parameters of the load-balancer strategy, declared once: meta-data, checks and docs come from here. */
final class LoadBalancerParameters {
    static final String MODE = "mode";
    static final String LOAD_BALANCER = "load_balancer";
    static final String POOL = "pool";
    static final String HEALTH_PORT = "health_port";
    static final String HEALTH_ADDRESS = "health_address";
    static final String WEIGHT = "weight";
    static final String NODE_MEMBERS = "node_members";
    static final String MONITOR_GRACE = MonitorGrace.PARAMETER;

    static final long DEFAULT_WEIGHT = 100;

    private static final List<ParameterSpec> ALL = List.of(
            ParameterSpec.builder(MODE, ParameterType.ENUM)
                    .shortDescription("health-check (no API call) or pool-member (member weights)")
                    .longDescription("health-check: every node is a member of the pool and the pool's health "
                            + "monitor probes health_port; start opens a listener on that port on this node only, "
                            + "stop closes it, so the load balancer finds exactly the active node healthy. No "
                            + "action but validate-all at OCF_CHECK_LEVEL=10 calls the cloud. pool-member: start "
                            + "gives this node's member the weight and every other member weight 0 through the "
                            + "API (the pool's algorithm must be weighted_round_robin); each change waits for the "
                            + "load balancer to leave update_pending.")
                    .allowedValues(Mode.HEALTH_CHECK.parameterValue(), Mode.POOL_MEMBER.parameterValue())
                    .defaultValue(Mode.HEALTH_CHECK.parameterValue())
                    .build(),
            ParameterSpec.builder(LOAD_BALANCER, ParameterType.STRING)
                    .shortDescription("Load balancer (id or name)")
                    .longDescription("The VPC load balancer in front of the cluster nodes, by id (r006-...) or "
                            + "name. A name is looked up once and the id kept in the state directory. In "
                            + "health-check mode only validate-all at level 10 reads it.")
                    .required()
                    .build(),
            ParameterSpec.builder(POOL, ParameterType.STRING)
                    .shortDescription("Pool of the load balancer (id or name)")
                    .longDescription("The load balancer's pool whose members are the cluster nodes, by id or name.")
                    .required()
                    .build(),
            ParameterSpec.builder(HEALTH_PORT, ParameterType.INTEGER)
                    .shortDescription("Port the pool's health monitor probes (health-check mode)")
                    .longDescription("health-check mode: the TCP port that start opens on this node and stop "
                            + "closes; the pool's health monitor must probe it (its port, or the members' port when "
                            + "the monitor has none). The listener answers TCP connects and HTTP requests (200), so "
                            + "a tcp or http health monitor works. Start refuses a port something else holds.")
                    .range(1, 65_535)
                    .build(),
            ParameterSpec.builder(HEALTH_ADDRESS, ParameterType.IPV4_ADDRESS)
                    .shortDescription("Address the health listener binds to (default: all)")
                    .longDescription("health-check mode: the local IPv4 address the listener binds to, e.g. this "
                            + "node's address in the pool's subnet. Default: every address of the node.")
                    .build(),
            ParameterSpec.builder(WEIGHT, ParameterType.INTEGER)
                    .shortDescription("Weight of the active node's member (pool-member mode)")
                    .longDescription("pool-member mode: the weight start gives this node's member; every other "
                            + "member of the pool gets 0 (no new connections).")
                    .range(1, 100)
                    .defaultValue(Long.toString(DEFAULT_WEIGHT))
                    .build(),
            ParameterSpec.builder(NODE_MEMBERS, ParameterType.MAP)
                    .shortDescription("Member per node: node=instance-id-or-address,...")
                    .longDescription(
                            "Each cluster node's pool member, by Pacemaker node name: what the member targets (the "
                                    + "instance id for a member that targets an instance, the address for one that targets an "
                                    + "address) or the member's id, e.g. node1=10.240.0.4,node2=10.240.64.4. Default: this "
                                    + "node's member is the one whose target is this instance or one of its addresses, from "
                                    + "the instance metadata service. validate-all at level 10 checks every node named here "
                                    + "is a member.")
                    .build(),
            MonitorGrace.parameter(
                    "Seconds a monitor tolerates API failures (pool-member mode)",
                    "pool-member mode: when the API cannot be asked, a monitor still reports "
                            + "running if this node's member was last seen with its weight at most this many "
                            + "seconds ago, and degraded after that. An API failure never reports not running."));

    private LoadBalancerParameters() {}

    static List<ParameterSpec> all() {
        return ALL;
    }
}
