package io.vpcha.simulator.state;

public final class Vpc extends Resource {
    public String crn;
    public String defaultRoutingTableId;
}
