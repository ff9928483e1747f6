package io.vpcha.spi.cloud;

import static java.util.Objects.requireNonNull;

/**
 * A VPC routing table. An ingress table (any ingress flag set) routes traffic entering the VPC; its
 * deliver routes only work with a next hop in the route's own zone. Otherwise it is an egress table,
 * whose routes apply to traffic leaving the subnets attached to it in the route's zone.
 */
public record RoutingTable(
        String id,
        String name,
        boolean isDefault,
        boolean routeDirectLinkIngress,
        boolean routeInternetIngress,
        boolean routeTransitGatewayIngress,
        boolean routeVpcZoneIngress,
        String lifecycleState) {
    public RoutingTable {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(lifecycleState, "lifecycleState is null");
    }

    public boolean isIngress() {
        return routeDirectLinkIngress || routeInternetIngress || routeTransitGatewayIngress || routeVpcZoneIngress;
    }
}
