package io.vpcha.strategy.loadbalancer;

import static java.util.Objects.requireNonNull;

import io.vpcha.toolkit.json.Json;
import java.util.Map;

/**
 * A load balancer as the API shows it, the fields this strategy reads.
 *
 * @param provisioningStatus active, create_pending, update_pending, delete_pending, maintenance_pending,
 *     migrate_pending or failed: only an active one takes a change
 */
record LoadBalancerView(String id, String name, String provisioningStatus, String operatingStatus) {
    static final String ACTIVE = "active";
    static final String FAILED = "failed";

    LoadBalancerView {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(provisioningStatus, "provisioningStatus is null");
        requireNonNull(operatingStatus, "operatingStatus is null");
    }

    static LoadBalancerView of(Map<String, Object> json) {
        return new LoadBalancerView(
                Json.string(json, "id").orElseThrow(() -> new IllegalArgumentException("a load balancer without id")),
                Json.string(json, "name").orElse(""),
                Json.string(json, "provisioning_status").orElse(""),
                Json.string(json, "operating_status").orElse(""));
    }

    boolean isActive() {
        return provisioningStatus.equals(ACTIVE);
    }

    boolean isFailed() {
        return provisioningStatus.equals(FAILED);
    }

    String describe() {
        return Describe.named("load balancer", name, id);
    }
}
