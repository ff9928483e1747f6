package io.vpcha.simulator.oracle;

import java.util.Locale;
import java.util.Objects;

/**
 * Where a packet enters: from a client in a zone (optionally a specific subnet, whose routing table is
 * then used), or from an ingress source (transit gateway, direct link, internet, another VPC zone)
 * entering in a given zone.
 */
public final class TrafficSource {
    /** The kinds of ingress traffic, each governed by one routing-table flag. */
    public enum Ingress {
        TRANSIT_GATEWAY("route_transit_gateway_ingress"),
        DIRECT_LINK("route_direct_link_ingress"),
        INTERNET("route_internet_ingress"),
        VPC_ZONE("route_vpc_zone_ingress");

        private final String flag;

        Ingress(String flag) {
            this.flag = flag;
        }

        /** The routing-table flag that selects the table for this ingress. */
        public String flag() {
            return flag;
        }

        public static Ingress parse(String text) {
            return Ingress.valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    private final String zone;
    private final String subnet;
    private final Ingress ingress;
    private final String vpc;

    private TrafficSource(String zone, String subnet, Ingress ingress, String vpc) {
        this.zone = zone;
        this.subnet = subnet;
        this.ingress = ingress;
        this.vpc = vpc;
    }

    /** A client in {@code zone}; the routing table of the first subnet in that zone applies. */
    public static TrafficSource fromZone(String zone) {
        return new TrafficSource(Objects.requireNonNull(zone, "zone is null"), null, null, null);
    }

    /** A client in the given subnet (id or name); its zone and routing table apply. */
    public static TrafficSource fromSubnet(String subnet) {
        return new TrafficSource(null, Objects.requireNonNull(subnet, "subnet is null"), null, null);
    }

    /** Traffic from an ingress source entering the VPC in {@code zone}. */
    public static TrafficSource ingress(Ingress ingress, String zone) {
        return new TrafficSource(
                Objects.requireNonNull(zone, "zone is null"),
                null,
                Objects.requireNonNull(ingress, "ingress is null"),
                null);
    }

    /**
     * Traffic from the internet to a public address range: it enters the VPC in the zone the range is
     * bound to, so no zone is given.
     */
    public static TrafficSource fromInternet() {
        return new TrafficSource(null, null, Ingress.INTERNET, null);
    }

    /** Narrows the source to one VPC (id or name); by default the first VPC of the scenario. */
    public TrafficSource inVpc(String vpcIdOrName) {
        return new TrafficSource(zone, subnet, ingress, vpcIdOrName);
    }

    public String zone() {
        return zone;
    }

    public String subnet() {
        return subnet;
    }

    public Ingress ingress() {
        return ingress;
    }

    public String vpc() {
        return vpc;
    }

    public boolean isIngress() {
        return ingress != null;
    }

    @Override
    public String toString() {
        if (ingress != null) {
            return ingress.name().toLowerCase(Locale.ROOT) + " ingress" + (zone == null ? "" : " in " + zone);
        }
        return subnet != null ? "subnet " + subnet : "zone " + zone;
    }
}
