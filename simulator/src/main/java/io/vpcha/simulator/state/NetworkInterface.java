package io.vpcha.simulator.state;

/** A legacy instance network interface. */
public final class NetworkInterface extends Resource {
    public String instanceId;
    public String subnetId;
    public String primaryIpId;
    public boolean allowIpSpoofing;
    public boolean primary;
    public String status = "available";
}
