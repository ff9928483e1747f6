package io.vpcha.simulator.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public final class RoutingTable extends Resource {
    public String crn;
    public String vpcId;
    public boolean isDefault;
    public boolean routeDirectLinkIngress;
    public boolean routeInternetIngress;
    public boolean routeTransitGatewayIngress;
    public boolean routeVpcZoneIngress;
    public String lifecycleState = "stable";
    public List<String> acceptRoutesFrom = new ArrayList<>();
    public List<String> advertiseRoutesTo = new ArrayList<>();
    public final Map<String, Route> routes = new LinkedHashMap<>();

    public boolean isIngress() {
        return routeDirectLinkIngress || routeInternetIngress || routeTransitGatewayIngress || routeVpcZoneIngress;
    }
}
