package io.vpcha.simulator.state;

import java.util.ArrayList;
import java.util.List;

public final class VirtualNetworkInterface extends Resource {
    public String crn;
    public String subnetId;
    public String primaryIpId;
    /** Secondary reserved-IP ids, in binding order (the primary is not in this list). */
    public final List<String> secondaryIpIds = new ArrayList<>();

    public boolean allowIpSpoofing;
    public boolean autoDelete = true;
    public boolean enableInfrastructureNat = true;
    public String lifecycleState = "stable";
    /** Id of the network attachment it is attached to, or null. */
    public String attachmentId;
}
