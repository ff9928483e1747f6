package io.vpcha.simulator.state;

/**
 * A public address range: a block of 1 to 16 public IPv4 addresses (/32 to /28), unbound or bound to
 * one VPC in one zone. Binding delivers nothing by itself: internet traffic follows the routes for the
 * range's CIDR in the VPC's internet-ingress routing table, in the range's zone.
 */
public final class PublicAddressRange extends Resource {
    public String crn;
    public Ipv4.Cidr cidr;
    /** The VPC and zone it is bound to; both null when unbound. */
    public String vpcId;

    public String zone;
    /** {@code stable}, or {@code updating} for a while after a bind, move or unbind. */
    public String lifecycleState = "stable";
    /** Bumped by every move: a lifecycle change scheduled by an older move must not end a newer one. */
    public long moveGeneration;

    public boolean isBound() {
        return vpcId != null;
    }
}
