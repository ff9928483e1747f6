package io.vpcha.strategy.floatingip;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * This node's target: the interface start binds the floating IP to, with what is known about it.
 *
 * @param zone the target's zone, when the metadata service told (else the API's answer to the PATCH decides)
 * @param nodeInterfaceIds every interface of this node known (the target included): a floating IP bound to
 *     any of them is bound here
 */
record NodeTarget(String id, TargetKind kind, Optional<String> zone, List<String> nodeInterfaceIds) {
    NodeTarget {
        requireNonNull(id, "id is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(zone, "zone is null");
        nodeInterfaceIds = List.copyOf(requireNonNull(nodeInterfaceIds, "nodeInterfaceIds is null"));
        if (!nodeInterfaceIds.contains(id)) {
            throw new IllegalArgumentException("nodeInterfaceIds does not contain the target " + id);
        }
    }

    boolean isOnThisNode(String interfaceId) {
        return nodeInterfaceIds.contains(interfaceId);
    }

    String describe() {
        return switch (kind) {
            case NETWORK_INTERFACE -> "network interface " + id;
            case VIRTUAL_NETWORK_INTERFACE -> "virtual network interface " + id;
            case UNKNOWN -> "target " + id;
        };
    }
}
