package io.vpcha.simulator.state;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * Behaviour the public API reference leaves unpublished, made configurable (from
 * {@code SimulatorOptions}, the scenario's {@code "behaviour"} object or {@code PATCH /sim/behaviour}).
 * Defaults and the JSON names are documented in docs/simulator.md. Fields are volatile so they may be
 * changed while the simulator runs.
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

    /** How long an instance stays {@code stopping} after a stop action. */
    public volatile long instanceStopMillis = 1_000;
    /** How long an instance stays {@code starting} after a start action. */
    public volatile long instanceStartMillis = 1_000;
    /** How long an instance stays {@code restarting} after a reboot action. */
    public volatile long instanceRebootMillis = 2_000;
    /** How long a public address range stays {@code updating} after a bind, move or unbind. */
    public volatile long publicAddressRangeUpdateMillis = 1_000;
    /** While a range is {@code updating}, the oracle drops traffic to it (else it follows the new binding). */
    public volatile boolean publicAddressRangeDropsWhileUpdating = true;
    /** {@code probe}: pool health monitors really probe the members over TCP; {@code off}: health stays as set. */
    public volatile String loadBalancerHealthChecks = "probe";
    /** Passing health checks in a row that make a faulted member ok again; 0 means the pool's max_retries. */
    public volatile int loadBalancerHealthyThreshold;
    /**
     * Subnets list the addresses the provider keeps (network, gateway, two reserved, broadcast) as
     * reserved IPs with {@code owner: provider}; read when the scenario is loaded.
     */
    public volatile boolean providerReservedIps = true;

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
        instanceStopMillis = other.instanceStopMillis;
        instanceStartMillis = other.instanceStartMillis;
        instanceRebootMillis = other.instanceRebootMillis;
        publicAddressRangeUpdateMillis = other.publicAddressRangeUpdateMillis;
        publicAddressRangeDropsWhileUpdating = other.publicAddressRangeDropsWhileUpdating;
        loadBalancerHealthChecks = other.loadBalancerHealthChecks;
        loadBalancerHealthyThreshold = other.loadBalancerHealthyThreshold;
        providerReservedIps = other.providerReservedIps;
    }

    /** Whether pool health monitors probe members (setting {@code load_balancer_health_checks}). */
    public boolean probesMembers() {
        return "probe".equals(loadBalancerHealthChecks);
    }

    /**
     * Sets one setting by its JSON name (the scenario's {@code "behaviour"} object and
     * {@code PATCH /sim/behaviour}); throws IllegalArgumentException for an unknown name or a bad value.
     */
    public void set(String field, JsonElement value) {
        try {
            switch (field.toLowerCase(Locale.ROOT)) {
                case "invalid_next_hop_code" -> invalidNextHopCode = value.getAsString();
                case "default_page_limit" -> defaultPageLimit = value.getAsInt();
                case "maximum_page_limit" -> maximumPageLimit = value.getAsInt();
                case "route_patch_delay_ms" -> routePatchDelayMillis = nonNegative(field, value.getAsLong());
                case "floating_ip_patch_delay_ms" -> floatingIpPatchDelayMillis = nonNegative(field, value.getAsLong());
                case "load_balancer_update_ms" -> loadBalancerUpdateMillis = nonNegative(field, value.getAsLong());
                case "ecmp_limit" -> ecmpLimit = value.getAsInt();
                case "routes_per_table" -> routesPerTable = value.getAsInt();
                case "routing_tables_per_vpc" -> routingTablesPerVpc = value.getAsInt();
                case "prefix_lengths_per_table" -> prefixLengthsPerTable = value.getAsInt();
                case "ips_per_virtual_network_interface" -> ipsPerVirtualNetworkInterface = value.getAsInt();
                case "members_per_pool" -> membersPerPool = value.getAsInt();
                case "next_hop_requires_ip_spoofing" -> nextHopRequiresIpSpoofing = value.getAsBoolean();
                case "metadata_address_field" ->
                    metadataAddressField =
                            oneOf(field, value.getAsString(), List.of("primary_ip", "primary_ipv4_address", "both"));
                case "instance_stop_ms" -> instanceStopMillis = nonNegative(field, value.getAsLong());
                case "instance_start_ms" -> instanceStartMillis = nonNegative(field, value.getAsLong());
                case "instance_reboot_ms" -> instanceRebootMillis = nonNegative(field, value.getAsLong());
                case "public_address_range_update_ms" ->
                    publicAddressRangeUpdateMillis = nonNegative(field, value.getAsLong());
                case "public_address_range_drops_while_updating" ->
                    publicAddressRangeDropsWhileUpdating = value.getAsBoolean();
                case "load_balancer_health_checks" ->
                    loadBalancerHealthChecks = oneOf(field, value.getAsString(), List.of("probe", "off"));
                case "load_balancer_healthy_threshold" ->
                    loadBalancerHealthyThreshold = (int) nonNegative(field, value.getAsInt());
                case "provider_reserved_ips" -> providerReservedIps = value.getAsBoolean();
                default -> throw new IllegalArgumentException("unknown behaviour setting " + field);
            }
        } catch (IllegalStateException | UnsupportedOperationException | NumberFormatException e) {
            throw new IllegalArgumentException("wrong type for " + field + ": " + value, e);
        }
    }

    /** Every setting by its JSON name. */
    public JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("invalid_next_hop_code", invalidNextHopCode);
        json.addProperty("default_page_limit", defaultPageLimit);
        json.addProperty("maximum_page_limit", maximumPageLimit);
        json.addProperty("route_patch_delay_ms", routePatchDelayMillis);
        json.addProperty("floating_ip_patch_delay_ms", floatingIpPatchDelayMillis);
        json.addProperty("load_balancer_update_ms", loadBalancerUpdateMillis);
        json.addProperty("ecmp_limit", ecmpLimit);
        json.addProperty("routes_per_table", routesPerTable);
        json.addProperty("routing_tables_per_vpc", routingTablesPerVpc);
        json.addProperty("prefix_lengths_per_table", prefixLengthsPerTable);
        json.addProperty("ips_per_virtual_network_interface", ipsPerVirtualNetworkInterface);
        json.addProperty("members_per_pool", membersPerPool);
        json.addProperty("next_hop_requires_ip_spoofing", nextHopRequiresIpSpoofing);
        json.addProperty("metadata_address_field", metadataAddressField);
        json.addProperty("instance_stop_ms", instanceStopMillis);
        json.addProperty("instance_start_ms", instanceStartMillis);
        json.addProperty("instance_reboot_ms", instanceRebootMillis);
        json.addProperty("public_address_range_update_ms", publicAddressRangeUpdateMillis);
        json.addProperty("public_address_range_drops_while_updating", publicAddressRangeDropsWhileUpdating);
        json.addProperty("load_balancer_health_checks", loadBalancerHealthChecks);
        json.addProperty("load_balancer_healthy_threshold", loadBalancerHealthyThreshold);
        json.addProperty("provider_reserved_ips", providerReservedIps);
        return json;
    }

    private static long nonNegative(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative: " + value);
        }
        return value;
    }

    private static String oneOf(String field, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(field + " must be one of " + allowed + ": " + value);
        }
        return value;
    }
}
