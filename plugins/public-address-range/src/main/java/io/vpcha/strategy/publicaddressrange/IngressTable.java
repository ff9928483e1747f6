package io.vpcha.strategy.publicaddressrange;

import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.RoutingTable;
import io.vpcha.spi.cloud.VpcApi;
import io.vpcha.toolkit.time.TimeBox;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The internet-ingress routing table of the VPC: the one the resource names, which must route internet
 * ingress, or else the VPC's table that does (a VPC has at most one).
 */
final class IngressTable {
    private IngressTable() {}

    /** @throws StrategyException NOT_CONFIGURED when there is no such table, or the named one routes no internet ingress */
    static RoutingTable find(VpcApi vpc, TimeBox timeBox, String vpcId, Optional<String> configured)
            throws StrategyException {
        List<RoutingTable> all =
                timeBox.call("list the routing tables of VPC " + vpcId, () -> vpc.listRoutingTables(vpcId));
        if (configured.isEmpty()) {
            return all.stream()
                    .filter(RoutingTable::routeInternetIngress)
                    .findFirst()
                    .orElseThrow(() -> StrategyException.notConfigured("VPC " + vpcId + " has no routing table with "
                            + "internet ingress (route_internet_ingress); create one with a route for the range, or "
                            + "name it with " + ParParameters.ROUTING_TABLE));
        }
        String wanted = configured.get();
        RoutingTable table = all.stream()
                .filter(candidate ->
                        candidate.id().equals(wanted) || candidate.name().equals(wanted))
                .findFirst()
                .orElseThrow(() -> StrategyException.notConfigured(ParParameters.ROUTING_TABLE + ": no routing table "
                        + wanted + " in VPC " + vpcId + " (it has "
                        + all.stream().map(RoutingTable::name).collect(Collectors.joining(", ")) + ")"));
        if (!table.routeInternetIngress()) {
            throw StrategyException.notConfigured("routing table " + table.name() + " does not route internet "
                    + "ingress (route_internet_ingress is off), so no route in it reaches the range; turn it on, or "
                    + "name the table that has it");
        }
        return table;
    }
}
