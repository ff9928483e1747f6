package io.vpcha.simulator.state;

public final class Route extends Resource {
    public String routingTableId;
    public String zone;
    public Ipv4.Cidr destination;
    /** deliver, delegate, delegate_vpc or drop. */
    public String action = "deliver";
    /** Next-hop address, or null (or 0.0.0.0) when there is none. */
    public String nextHop;

    public int priority = 2;
    /** user or service. */
    public String origin = "user";

    public boolean advertise;
    public String lifecycleState = "stable";
    /** For origin=service routes: which service created it (for example a VPN gateway). */
    public String creator;

    public Route copy() {
        Route copy = new Route();
        copy.id = id;
        copy.name = name;
        copy.createdAt = createdAt;
        copy.sequence = sequence;
        copy.revision = revision;
        copy.routingTableId = routingTableId;
        copy.zone = zone;
        copy.destination = destination;
        copy.action = action;
        copy.nextHop = nextHop;
        copy.priority = priority;
        copy.origin = origin;
        copy.advertise = advertise;
        copy.lifecycleState = lifecycleState;
        copy.creator = creator;
        return copy;
    }
}
