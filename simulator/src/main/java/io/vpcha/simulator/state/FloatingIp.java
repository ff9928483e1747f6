package io.vpcha.simulator.state;

public final class FloatingIp extends Resource {
    public String crn;
    public String address;
    public String zone;
    public String status = "available";
    /** Id of the bound network interface or VNI, or null when unbound. */
    public String targetId;
}
