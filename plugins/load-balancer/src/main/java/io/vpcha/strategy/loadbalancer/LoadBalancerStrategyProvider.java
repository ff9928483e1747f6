package io.vpcha.strategy.loadbalancer;

import io.vpcha.spi.FailoverStrategy;
import io.vpcha.spi.ParameterSpec;
import io.vpcha.spi.ParameterValues;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyProvider;
import java.util.List;

/** The load-balancer strategy: a VPC load balancer in front of the nodes sends traffic to the active one only. */
public final class LoadBalancerStrategyProvider implements StrategyProvider {
    static final String NAME = "load-balancer";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "A VPC load balancer in front of the nodes sends traffic to the active node only";
    }

    @Override
    public String longDescription() {
        return "Every cluster node is a member of a pool of a VPC load balancer (private or public), and the load "
                + "balancer sends traffic only to the node Pacemaker made active. mode=health-check (default) needs "
                + "no cloud call: start opens a listener on health_port on this node only (socat, detached, so it "
                + "outlives the agent), monitor checks it is this resource's and answers, stop closes it; the "
                + "pool's health monitor then finds exactly the active node healthy. mode=pool-member: start gives "
                + "this node's member the weight and every other member weight 0, waiting for the load balancer "
                + "to leave update_pending before each change and reading the weights back; monitor is one "
                + "request; stop sets this node's weight to 0, best effort. Failover time is bounded by the "
                + "health check in health-check mode (about delay x max_retries: the old node marked faulted, the "
                + "new one healthy again, side by side), and by update_pending in pool-member mode.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return LoadBalancerParameters.all();
    }

    @Override
    public FailoverStrategy create(ParameterValues parameters, StrategyContext context) {
        // parameter combinations are checked by each action, so that stop works whatever they are
        return new LoadBalancerStrategy(parameters, context);
    }
}
