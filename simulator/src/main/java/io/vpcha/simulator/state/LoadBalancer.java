package io.vpcha.simulator.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A VPC load balancer with its listeners, pools, pool health monitors and members. */
public final class LoadBalancer extends Resource {
    public String crn;
    public String vpcId;
    public String hostname;
    public boolean isPublic;
    /** {@code network-fixed} (family network) or {@code dynamic} (family application). */
    public String profile = "network-fixed";

    public String operatingStatus = "online";
    /** When non-zero: the clock's nanoTime until which the load balancer stays update_pending. */
    public long pendingUntilNanos;
    /** {@code failed} makes the load balancer refuse changes and forward nothing. */
    public boolean failed;
    /** Subnet ids, in order; each holds one of its private IPs. */
    public final List<String> subnetIds = new ArrayList<>();
    /** Reserved-IP ids of its private addresses. */
    public final List<String> privateIpIds = new ArrayList<>();
    /** Public addresses (public load balancers only). */
    public final List<String> publicAddresses = new ArrayList<>();

    public final List<Listener> listeners = new ArrayList<>();
    public final Map<String, Pool> pools = new LinkedHashMap<>();

    public String family() {
        return profile.startsWith("network") ? "network" : "application";
    }

    /** A front-end port and the pool it forwards to. */
    public static final class Listener extends Resource {
        public int port;
        public String protocol = "tcp";
        /** Pool id, or null. */
        public String defaultPoolId;
    }

    public static final class Pool extends Resource {
        public String algorithm = "round_robin";
        public String protocol = "tcp";
        public String proxyProtocol = "disabled";
        /** What the load balancer does when every member is unhealthy: {@code fail} or {@code forward}. */
        public String failsafeAction = "fail";

        public final HealthMonitor healthMonitor = new HealthMonitor();
        public final Map<String, Member> members = new LinkedHashMap<>();
        /** When the pool's next health-check round is due, on the simulator's clock (0 = now). */
        public long nextProbeNanos;
    }

    /**
     * How the pool checks its members: every {@code delay} seconds a {@code type} probe (tcp connect, or
     * an http(s) GET of {@code urlPath}) to {@code port} (the member's port when null), answered within
     * {@code timeout} seconds; {@code maxRetries} failures in a row make a member faulted.
     */
    public static final class HealthMonitor {
        public int delay = 5;
        public int maxRetries = 2;
        public int timeout = 2;
        public String type = "tcp";
        public Integer port;
        public String urlPath;
    }

    public static final class Member extends Resource {
        public int port;
        public int weight = 50;
        public String health = "unknown";
        public String provisioningStatus = "active";
        /** Target instance id, or null when the target is an address. */
        public String targetInstanceId;

        public String targetAddress;
        /** Health-check results in a row (the sign says which: positive passes, negative failures). */
        public int probeStreak;
    }
}
