package io.vpcha.strategy.loadbalancer;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.PoolMember;
import io.vpcha.spi.cloud.VpcApi;
import io.vpcha.toolkit.time.TimeBox;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * validate-all at level 10: what an administrator gets wrong, each named with its fix. The load
 * balancer and pool exist and the load balancer is not failed; in health-check mode the pool's health
 * monitor probes health_port and every member has a weight; in pool-member mode the algorithm honours
 * weights; this node (and every node node_members names) is a member.
 */
final class CloudCheck {
    private final StrategyContext context;
    private final TimeBox timeBox;
    private final System.Logger log;

    CloudCheck(StrategyContext context, TimeBox timeBox) {
        this.context = requireNonNull(context, "context is null");
        this.timeBox = requireNonNull(timeBox, "timeBox is null");
        this.log = context.logger();
    }

    void check(LoadBalancerSettings settings) throws StrategyException {
        VpcApi vpc = context.cloud().vpc();
        LoadBalancerApi.Resolved resolved = new LoadBalancerApi(vpc, timeBox).resolve(settings, Optional.empty());
        LoadBalancerView loadBalancer = resolved.loadBalancer();
        PoolView pool = resolved.pool();
        if (loadBalancer.isFailed()) {
            throw StrategyException.notConfigured(loadBalancer.describe() + " is in provisioning_status failed: it "
                    + "forwards nothing reliably and takes no change; open a case with IBM support or re-create it");
        }
        List<PoolMember> members = timeBox.call(
                "list members of " + pool.describe(), () -> vpc.listPoolMembers(loadBalancer.id(), pool.id()));
        switch (settings.mode()) {
            case HEALTH_CHECK -> checkHealthMonitor(settings, pool, members);
            case POOL_MEMBER -> checkWeights(pool, loadBalancer);
        }
        NodeIdentity thisNode =
                NodeIdentity.ofThisNode(settings, context.cloud().metadata(), timeBox, context.nodeName());
        if (thisNode.memberIn(members).isEmpty()) {
            throw new StrategyException(
                    ErrorKind.INVALID_ARGUMENT,
                    "this node " + context.nodeName() + " is no member of " + pool.describe() + " (looked for "
                            + thisNode.source() + ": " + String.join(", ", thisNode.names())
                            + "): add it to the pool (console: the load balancer's back-end pools, "
                            + "Attach server; or ibmcloud is load-balancer-pool-member-create), or set node_members");
        }
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> node : settings.nodeMembers().entrySet()) {
            if (new NodeIdentity(Set.of(node.getValue()), node.getKey())
                    .memberIn(members)
                    .isEmpty()) {
                missing.add(node.getKey() + "=" + node.getValue());
            }
        }
        if (!missing.isEmpty()) {
            throw StrategyException.notConfigured("node_members names nodes that are no member of " + pool.describe()
                    + ": " + String.join(", ", missing) + "; add them to the pool, or correct node_members");
        }
        PoolView.HealthMonitor monitor = pool.healthMonitor();
        log.log(
                Level.INFO,
                () -> "validate-all: " + loadBalancer.describe() + " (" + loadBalancer.provisioningStatus() + "), "
                        + pool.describe() + " (" + pool.algorithm() + ", " + monitor.describe() + "), "
                        + members.size() + " members, this node's: "
                        + thisNode.memberIn(members).map(Describe::member).orElse("?")
                        + "; a failed node stops getting new connections after at most about "
                        + monitor.secondsToFault() + " s (delay x max_retries)");
    }

    private static void checkHealthMonitor(LoadBalancerSettings settings, PoolView pool, List<PoolMember> members)
            throws StrategyException {
        int healthPort = settings.healthPort().orElseThrow();
        PoolView.HealthMonitor monitor = pool.healthMonitor();
        if (monitor.port().isPresent()) {
            if (monitor.port().getAsInt() != healthPort) {
                throw StrategyException.notConfigured(pool.describe() + "'s health monitor probes port "
                        + monitor.port().getAsInt() + ", not health_port " + healthPort + ": set the monitor's port to "
                        + healthPort
                        + " (console: the load balancer's back-end pools, Edit; or ibmcloud is load-balancer-pool-update), or health_port to "
                        + monitor.port().getAsInt());
            }
        } else {
            List<String> otherPorts = members.stream()
                    .filter(member -> member.port() != healthPort)
                    .map(Describe::member)
                    .toList();
            if (!otherPorts.isEmpty()) {
                throw StrategyException.notConfigured(
                        pool.describe() + "'s health monitor has no port of its own, so "
                                + "it probes each member's port, and " + otherPorts.get(0) + " is not on health_port "
                                + healthPort
                                + ": set the monitor's port to " + healthPort
                                + " (console: the load balancer's back-end pools, Edit; or ibmcloud is load-balancer-pool-update)");
            }
        }
        List<String> unweighted = members.stream()
                .filter(member -> member.weight().isPresent() && member.weight().getAsInt() == 0)
                .map(Describe::member)
                .toList();
        if (!unweighted.isEmpty() && pool.honoursWeights()) {
            throw StrategyException.notConfigured(
                    "in mode=health-check every member needs a weight above 0, or it gets "
                            + "no traffic when its node is active: " + String.join(", ", unweighted));
        }
    }

    private static void checkWeights(PoolView pool, LoadBalancerView loadBalancer) throws StrategyException {
        if (!pool.honoursWeights()) {
            throw StrategyException.notConfigured(
                    pool.describe() + " of " + loadBalancer.describe() + " uses algorithm "
                            + pool.algorithm() + ", which ignores weights: mode=pool-member needs weighted_round_robin "
                            + "(console: the load balancer's back-end pools, Edit; or ibmcloud is load-balancer-pool-update)");
        }
    }
}
