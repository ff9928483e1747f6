package io.vpcha.strategy.floatingip;

import io.vpcha.spi.FailoverStrategy;
import io.vpcha.spi.ParameterSpec;
import io.vpcha.spi.ParameterValues;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyProvider;
import java.util.List;

/** The floating-ip strategy: same-zone failover that moves a floating IP to this node in one call. */
public final class FloatingIpStrategyProvider implements StrategyProvider {
    static final String NAME = "floating-ip";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Same-zone failover: moves a floating IP to this node in one call";
    }

    @Override
    public String longDescription() {
        return "start binds the floating IP to this node's network interface or virtual network interface with one "
                + "PATCH of the floating IP, which replaces the other node's binding in the same step, and reads it "
                + "back until it is bound here and available; it writes nothing when the floating IP is already "
                + "here. monitor asks the API where the floating IP is bound (one request in steady state) and "
                + "reports running within monitor_grace when the API cannot be asked. stop removes this node's "
                + "claim, and unbinds the floating IP when stop_policy=unbind. A floating IP binds only to "
                + "interfaces in its own zone, so the nodes that may run the resource must share that zone. "
                + "Replaces ClusterLabs' ibm-cloud-vpc-move-fip, whose parameter names are accepted.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return FloatingIpParameters.all();
    }

    @Override
    public FailoverStrategy create(ParameterValues parameters, StrategyContext context) {
        // parameter combinations are checked by each action, so that stop works whatever they are
        return new FloatingIpStrategy(parameters, context);
    }
}
