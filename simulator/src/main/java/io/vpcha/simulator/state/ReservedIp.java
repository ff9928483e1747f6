package io.vpcha.simulator.state;

/** An address reserved in a subnet; it may be bound to a network interface or a virtual network interface. */
public final class ReservedIp extends Resource {
    public String subnetId;
    public String address;
    public boolean autoDelete;
    /** "provider" for addresses the cloud reserves, "user" otherwise. */
    public String owner = "user";

    public String lifecycleState = "stable";
    /** Id of the network interface or VNI this address is bound to, or null. */
    public String targetId;
}
