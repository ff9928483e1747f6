package io.vpcha.strategy.floatingip;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** How this node's target (the interface the floating IP is bound to) is chosen. */
sealed interface TargetSelection {
    /** Identifies the choice in the state directory's cache, so a changed choice is never served stale ids. */
    String cacheKey();

    /** Named by the resource: {@code target}, or this node's entry of {@code node_targets}. */
    record Explicit(String targetId, String parameter) implements TargetSelection {
        public Explicit {
            requireNonNull(targetId, "targetId is null");
            requireNonNull(parameter, "parameter is null");
            if (targetId.isBlank()) {
                throw new IllegalArgumentException("targetId is blank");
            }
        }

        @Override
        public String cacheKey() {
            return "explicit:" + targetId;
        }
    }

    /** The deprecated vni_id_1/vni_id_2: this node's target is the candidate that belongs to this instance. */
    record Candidates(List<String> targetIds) implements TargetSelection {
        public Candidates {
            targetIds = List.copyOf(requireNonNull(targetIds, "targetIds is null"));
            if (targetIds.isEmpty()) {
                throw new IllegalArgumentException("no candidate targets");
            }
        }

        @Override
        public String cacheKey() {
            return "candidates:" + String.join(",", targetIds);
        }
    }

    /** Nothing set: the primary network interface, or the VNI of the primary attachment, from the metadata service. */
    record PrimaryInterface() implements TargetSelection {
        @Override
        public String cacheKey() {
            return "primary";
        }
    }
}
