package io.vpcha.simulator.state;

import java.util.LinkedHashMap;
import java.util.Map;

public final class LoadBalancer extends Resource {
    public String crn;
    public String vpcId;
    public String hostname;
    public boolean isPublic;
    public String operatingStatus = "online";
    /** When non-zero: the System.nanoTime() until which the load balancer stays update_pending. */
    public long pendingUntilNanos;

    public final Map<String, Pool> pools = new LinkedHashMap<>();

    public static final class Pool extends Resource {
        public String algorithm = "round_robin";
        public String protocol = "tcp";
        public String provisioningStatus = "active";
        public final Map<String, Member> members = new LinkedHashMap<>();
    }

    public static final class Member extends Resource {
        public int port;
        public int weight = 50;
        public String health = "ok";
        public String provisioningStatus = "active";
        /** Target instance id, or null when the target is an address. */
        public String targetInstanceId;

        public String targetAddress;
    }
}
