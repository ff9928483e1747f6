package io.vpcha.simulator.state;

/** An instance network attachment, which binds a virtual network interface to an instance. */
public final class NetworkAttachment extends Resource {
    public String instanceId;
    public String virtualNetworkInterfaceId;
    public boolean primary;
    public String lifecycleState = "stable";
}
