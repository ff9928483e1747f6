package io.vpcha.demo;

import static java.util.Objects.requireNonNull;

import io.vpcha.simulator.oracle.TrafficSource;
import java.util.List;
import java.util.Map;

/**
 * One failover story the demo tells: a scenario, two nodes, a resource, and the places traffic to the
 * protected address comes from (each answered by the simulator's forwarding oracle).
 *
 * @param healthyMembers the load balancers' members pass their health checks: the demo's nodes run no
 *     application for the simulator to probe, so their health is set instead of probed
 */
record Story(
        String title,
        String scenario,
        String strategy,
        String address,
        Map<String, String> parameters,
        String nodeA,
        String nodeB,
        List<Source> sources,
        boolean healthyMembers) {

    /** Where traffic comes from, with a short label for the timeline. */
    record Source(String label, TrafficSource source) {}

    Story {
        requireNonNull(title, "title is null");
        requireNonNull(scenario, "scenario is null");
        requireNonNull(strategy, "strategy is null");
        requireNonNull(address, "address is null");
        parameters = Map.copyOf(parameters);
        requireNonNull(nodeA, "nodeA is null");
        requireNonNull(nodeB, "nodeB is null");
        sources = List.copyOf(sources);
    }

    static Story crossZoneVip() {
        return new Story(
                "cross-zone VIP 10.0.0.100, strategy custom-route (nodes in us-south-1 and us-south-2)",
                "three-zone",
                "custom-route",
                "10.0.0.100",
                Map.of("vip", "10.0.0.100", "manage_local_ip", "false"),
                "node-a",
                "node-b",
                List.of(
                        new Source("us-south-1", TrafficSource.fromZone("us-south-1")),
                        new Source("us-south-2", TrafficSource.fromZone("us-south-2")),
                        new Source("us-south-3", TrafficSource.fromZone("us-south-3")),
                        new Source(
                                "TGW@2", TrafficSource.ingress(TrafficSource.Ingress.TRANSIT_GATEWAY, "us-south-2"))),
                false);
    }

    static Story sameZoneFloatingIp() {
        return new Story(
                "floating IP 169.59.10.20, strategy floating-ip (both nodes in us-south-1)",
                "same-zone",
                "floating-ip",
                "169.59.10.20",
                Map.of("floating_ip", "vip-fip"),
                "node-a",
                "node-b",
                List.of(new Source("internet", TrafficSource.ingress(TrafficSource.Ingress.INTERNET, "us-south-1"))),
                false);
    }

    static Story loadBalancerWeights() {
        return new Story(
                "load balancer app-lb 10.240.0.10, strategy load-balancer mode=pool-member (member weights)",
                "three-zone",
                "load-balancer",
                "10.240.0.10",
                Map.of("mode", "pool-member", "load_balancer", "app-lb", "pool", "app-pool"),
                "node-a",
                "node-b",
                List.of(new Source("us-south-1", TrafficSource.fromZone("us-south-1"))),
                true);
    }

    static Story crossZonePublicAddressRange() {
        return new Story(
                "public address range 150.240.68.0/30, strategy public-address-range (firewalls in us-south-1 and "
                        + "us-south-2)",
                "two-zone-par",
                "public-address-range",
                "150.240.68.2",
                Map.of("public_address_range", "fw-par"),
                "fw-a",
                "fw-b",
                List.of(new Source("internet", TrafficSource.fromInternet())),
                false);
    }

    static Story sameSubnetSecondaryIp() {
        return new Story(
                "private VIP 10.240.0.100, strategy secondary-ip (both nodes' VNIs in subnet-us-south-1)",
                "same-subnet",
                "secondary-ip",
                "10.240.0.100",
                Map.of("ip", "10.240.0.100", "manage_local_ip", "false"),
                "node-a",
                "node-b",
                List.of(
                        new Source("us-south-1", TrafficSource.fromZone("us-south-1")),
                        new Source("us-south-2", TrafficSource.fromZone("us-south-2")),
                        new Source("us-south-3", TrafficSource.fromZone("us-south-3")),
                        new Source(
                                "TGW@2", TrafficSource.ingress(TrafficSource.Ingress.TRANSIT_GATEWAY, "us-south-2"))),
                false);
    }
}
