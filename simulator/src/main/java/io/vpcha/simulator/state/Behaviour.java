package io.vpcha.simulator.state;

/**
 * Behaviour the public API reference leaves unpublished, made configurable (from
 * {@code SimulatorOptions} or the scenario's {@code "behaviour"} object). Defaults are documented in
 * docs/simulator.md. Fields are volatile so they may be changed while the simulator runs.
 */
public final class Behaviour {
    /** Error code for an invalid route next hop (for example 0.0.0.0 on a deliver route). */
    public volatile String invalidNextHopCode = "invalid_value";

    public volatile int defaultPageLimit = 50;
    public volatile int maximumPageLimit = 100;
    /** Delay before a route PATCH becomes visible (reads and oracle show the old value meanwhile). */
    public volatile long routePatchDelayMillis;
    /** Delay before a floating-IP target change becomes visible. */
    public volatile long floatingIpPatchDelayMillis;
    /** How long a load balancer stays update_pending after a change. */
    public volatile long loadBalancerUpdateMillis = 1_000;
    /** At most this many deliver routes per zone with equal destination and priority. */
    public volatile int ecmpLimit = 2;

    public volatile int routesPerTable = 200;
    public volatile int routingTablesPerVpc = 50;
    public volatile int prefixLengthsPerTable = 14;
    public volatile int ipsPerVirtualNetworkInterface = 8;
    public volatile int membersPerPool = 50;
    /** The oracle drops traffic routed to a next hop whose interface does not allow IP spoofing. */
    public volatile boolean nextHopRequiresIpSpoofing = true;
    /**
     * How the metadata service shows a network interface's address: {@code primary_ip} (current API,
     * {@code primary_ip.address}), {@code primary_ipv4_address} (older samples) or {@code both}.
     */
    public volatile String metadataAddressField = "primary_ip";

    public void copyFrom(Behaviour other) {
        invalidNextHopCode = other.invalidNextHopCode;
        defaultPageLimit = other.defaultPageLimit;
        maximumPageLimit = other.maximumPageLimit;
        routePatchDelayMillis = other.routePatchDelayMillis;
        floatingIpPatchDelayMillis = other.floatingIpPatchDelayMillis;
        loadBalancerUpdateMillis = other.loadBalancerUpdateMillis;
        ecmpLimit = other.ecmpLimit;
        routesPerTable = other.routesPerTable;
        routingTablesPerVpc = other.routingTablesPerVpc;
        prefixLengthsPerTable = other.prefixLengthsPerTable;
        ipsPerVirtualNetworkInterface = other.ipsPerVirtualNetworkInterface;
        membersPerPool = other.membersPerPool;
        nextHopRequiresIpSpoofing = other.nextHopRequiresIpSpoofing;
        metadataAddressField = other.metadataAddressField;
    }
}
