package io.vpcha.strategy.publicaddressrange;

import io.vpcha.spi.FailoverStrategy;
import io.vpcha.spi.ParameterSpec;
import io.vpcha.spi.ParameterValues;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyProvider;
import java.util.List;

/**
 * The public-address-range strategy: a public prefix that follows the active node across zones (a
 * firewall or appliance pair in two zones keeping one set of public addresses).
 */
public final class PublicAddressRangeStrategyProvider implements StrategyProvider {
    static final String NAME = "public-address-range";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Cross-zone public addresses: a public address range and its ingress route follow the active node";
    }

    @Override
    public String longDescription() {
        return "start binds the public address range to this node's zone of the VPC when it is elsewhere (one PATCH "
                + "of the range, which moves it without an unbind) and waits until it is stable again, then makes "
                + "the route for the range's CIDR in the VPC's internet-ingress routing table deliver to this node: "
                + "in this zone, a new route created before the old one is deleted. A failover within one zone "
                + "changes only the route's next hop. A start interrupted at any step is finished by the next one, "
                + "on any node. monitor asks where the range is bound and where its route delivers (two requests) "
                + "and reports running within monitor_grace when the API cannot be asked. stop makes no API call. "
                + "The next-hop interfaces must allow IP spoofing.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return ParParameters.all();
    }

    @Override
    public FailoverStrategy create(ParameterValues parameters, StrategyContext context) {
        // parameter combinations are checked by each action, so that stop works whatever they are
        return new PublicAddressRangeStrategy(parameters, context);
    }
}
