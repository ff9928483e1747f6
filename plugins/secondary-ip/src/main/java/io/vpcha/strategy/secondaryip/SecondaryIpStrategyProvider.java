package io.vpcha.strategy.secondaryip;

import io.vpcha.spi.FailoverStrategy;
import io.vpcha.spi.ParameterSpec;
import io.vpcha.spi.ParameterValues;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyProvider;
import java.util.List;

/** The secondary-ip strategy: same-subnet failover of a private VIP held as a VNI's secondary reserved IP. */
public final class SecondaryIpStrategyProvider implements StrategyProvider {
    static final String NAME = "secondary-ip";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Same-subnet failover: moves a private VIP, a secondary reserved IP, between the nodes' VNIs";
    }

    @Override
    public String longDescription() {
        return "The active node's virtual network interface (VNI) holds the VIP as a secondary reserved IP, a real "
                + "address of the VPC: reachable from every subnet, zone, transit gateway and direct link, with no "
                + "routing tables and no IP spoofing. start sets auto_delete=false on the reserved IP (unbinding "
                + "deletes one whose auto_delete is true), unbinds it from the other node's VNI, binds it to this "
                + "node's, reads it back until it is bound here, and adds the address to the guest interface; it "
                + "writes nothing when the VIP is already here, and the next start on any node repairs a start "
                + "that stopped between unbind and bind. monitor asks the API where the reserved IP is bound (one "
                + "request in steady state) and reports running within monitor_grace when the API cannot be "
                + "asked. stop removes the address, and unbinds when stop_policy=unbind. The nodes' VNIs must be in "
                + "the VIP's subnet, hence in one zone; instances need network attachments.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return SecondaryIpParameters.all();
    }

    @Override
    public FailoverStrategy create(ParameterValues parameters, StrategyContext context) {
        // parameter combinations are checked by each action, so that stop works whatever they are
        return new SecondaryIpStrategy(parameters, context);
    }
}
