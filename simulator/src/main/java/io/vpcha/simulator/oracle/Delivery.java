package io.vpcha.simulator.oracle;

import com.google.gson.JsonObject;
import io.vpcha.simulator.http.Json;
import java.util.List;
import java.util.Optional;

/**
 * The oracle's answer: delivered to an instance (with the route and next hop used, and all ECMP
 * candidates), or dropped with a reason (and, when the packet was sent to an instance that does not
 * run, that instance as {@link #lostAtInstanceName()}).
 */
public final class Delivery {
    private final boolean delivered;
    private final String instanceId;
    private final String instanceName;
    private final String nextHop;
    private final String via;
    private final List<String> candidateInstanceIds;
    private final String reason;
    private final String lostAtInstanceId;
    private final String lostAtInstanceName;

    private Delivery(
            boolean delivered,
            String instanceId,
            String instanceName,
            String nextHop,
            String via,
            List<String> candidateInstanceIds,
            String reason,
            String lostAtInstanceId,
            String lostAtInstanceName) {
        this.lostAtInstanceId = lostAtInstanceId;
        this.lostAtInstanceName = lostAtInstanceName;
        this.delivered = delivered;
        this.instanceId = instanceId;
        this.instanceName = instanceName;
        this.nextHop = nextHop;
        this.via = via;
        this.candidateInstanceIds = List.copyOf(candidateInstanceIds);
        this.reason = reason;
    }

    static Delivery delivered(
            String instanceId,
            String instanceName,
            String nextHop,
            String via,
            List<String> candidates,
            String reason) {
        return new Delivery(true, instanceId, instanceName, nextHop, via, candidates, reason, null, null);
    }

    static Delivery dropped(String reason) {
        return new Delivery(false, null, null, null, null, List.of(), reason, null, null);
    }

    /** Sent to an instance that does not run (stopped, starting, ...): the packet is lost there. */
    static Delivery lost(String instanceId, String instanceName, String nextHop, String via, String reason) {
        return new Delivery(false, null, null, nextHop, via, List.of(), reason, instanceId, instanceName);
    }

    public boolean isDelivered() {
        return delivered;
    }

    public boolean isDropped() {
        return !delivered;
    }

    public Optional<String> instanceId() {
        return Optional.ofNullable(instanceId);
    }

    public Optional<String> instanceName() {
        return Optional.ofNullable(instanceName);
    }

    /** The route next hop used, when a custom route decided. */
    public Optional<String> nextHop() {
        return Optional.ofNullable(nextHop);
    }

    /** What decided: "route <name> in <table>", "floating IP <address>", "subnet <name>". */
    public String via() {
        return via;
    }

    /** With ECMP: every instance the flow could land on (the chosen one first); else just the one. */
    public List<String> candidateInstanceIds() {
        return candidateInstanceIds;
    }

    /**
     * When the packet was sent to an instance that does not run (a route or binding still points at a
     * stopped node): that instance's id. The packet is dropped there.
     */
    public Optional<String> lostAtInstanceId() {
        return Optional.ofNullable(lostAtInstanceId);
    }

    /** The name of the instance a dropped packet was sent to, when it was lost at a stopped instance. */
    public Optional<String> lostAtInstanceName() {
        return Optional.ofNullable(lostAtInstanceName);
    }

    /** Why (for drops) or how (for deliveries), in words. */
    public String reason() {
        return reason;
    }

    public JsonObject toJson() {
        return Json.object()
                .put("delivered", delivered)
                .put(
                        "instance",
                        delivered
                                ? Json.object()
                                        .put("id", instanceId)
                                        .put("name", instanceName)
                                        .build()
                                : null)
                .put(
                        "lost_at",
                        lostAtInstanceId == null
                                ? null
                                : Json.object()
                                        .put("id", lostAtInstanceId)
                                        .put("name", lostAtInstanceName)
                                        .build())
                .put("next_hop", nextHop)
                .put("via", via)
                .put("ecmp_candidates", Json.strings(candidateInstanceIds))
                .put("reason", reason)
                .build();
    }

    @Override
    public String toString() {
        return delivered ? "delivered to " + instanceName + " (" + instanceId + ") via " + via : "dropped: " + reason;
    }
}
