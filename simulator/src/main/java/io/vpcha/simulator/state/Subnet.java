package io.vpcha.simulator.state;

public final class Subnet extends Resource {
    public String crn;
    public String vpcId;
    public String zone;
    public Ipv4.Cidr cidr;
    public String routingTableId;
}
