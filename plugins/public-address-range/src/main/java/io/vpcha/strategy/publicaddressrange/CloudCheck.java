package io.vpcha.strategy.publicaddressrange;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.Route;
import io.vpcha.spi.cloud.RoutingTable;
import io.vpcha.toolkit.route.RouteMover;
import io.vpcha.toolkit.time.TimeBox;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * validate-all at level 10: this node's VPC, zone and next hop are known; the range exists and is
 * unbound or bound to this VPC; the internet-ingress table exists; any route for the range in it can be
 * moved. Each failure names exactly what is missing. It only reads: a write is no part of a check, and
 * could interfere with another node's move. The permission to change the range is proven by the first
 * move, whose refusal names the IAM action.
 */
final class CloudCheck {
    private final StrategyContext context;
    private final TimeBox timeBox;

    CloudCheck(StrategyContext context, TimeBox timeBox) {
        this.context = requireNonNull(context, "context is null");
        this.timeBox = requireNonNull(timeBox, "timeBox is null");
    }

    void check(ParSettings settings) throws StrategyException {
        ThisNode node =
                new ThisNode(settings, context.nodeName(), context.cloud().metadata(), timeBox);
        String vpcId = node.vpcId();
        String zone = node.zone();
        String nextHop = node.nextHop();
        Ranges ranges = new Ranges(context.cloud(), timeBox);
        AddressRange range = new RangeLookup(ranges).find(settings.range(), Optional.empty());
        if (range.isBoundToAnotherVpcThan(vpcId)) {
            throw StrategyException.notConfigured(range.describe() + " is bound to " + range.binding()
                    + ", not to this cluster's VPC " + vpcId + "; unbind it there (or set vpc_id)");
        }
        RoutingTable table = IngressTable.find(context.cloud().vpc(), timeBox, vpcId, settings.routingTable());
        IngressRoute ingress = new IngressRoute(
                context.cloud().vpc(),
                vpcId,
                new RouteMover.Table(table.id(), table.name()),
                range.cidr(),
                context.logger());
        List<String> problems = new ArrayList<>();
        for (Route route : ingress.current(timeBox)) {
            if (!route.isUserRoute()) {
                problems.add("route " + route.name() + " for " + range.cidr() + " in " + table.name()
                        + " belongs to a service (origin " + route.origin() + ") and cannot be moved");
            }
        }
        if (!problems.isEmpty()) {
            throw StrategyException.notConfigured(String.join("; ", problems));
        }
        context.logger()
                .log(
                        Level.INFO,
                        () -> "validate-all: " + range.describe() + " bound to " + range.binding()
                                + "; ingress table " + table.name() + "; this node " + context.nodeName()
                                + " in zone " + zone + ", next hop " + nextHop + "; not tried: changing the range ("
                                + Ranges.UPDATE_ACTIONS + "), which the first move proves");
    }
}
