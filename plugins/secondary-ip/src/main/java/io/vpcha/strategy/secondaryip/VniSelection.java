package io.vpcha.strategy.secondaryip;

import static java.util.Objects.requireNonNull;

/** How this node's VNI (the one that holds the secondary IP while the resource runs here) is chosen. */
sealed interface VniSelection {
    /** Identifies the choice in the state directory, so a changed choice is never served stale ids. */
    String cacheKey();

    /** Named by the resource: {@code target}, or this node's entry of {@code node_targets}. */
    record Explicit(String vniId, String parameter) implements VniSelection {
        public Explicit {
            requireNonNull(vniId, "vniId is null");
            requireNonNull(parameter, "parameter is null");
            if (vniId.isBlank()) {
                throw new IllegalArgumentException("vniId is blank");
            }
        }

        @Override
        public String cacheKey() {
            return "explicit:" + vniId;
        }
    }

    /** Nothing set: the metadata service lists this instance's network attachments and their VNIs. */
    record FromMetadata() implements VniSelection {
        @Override
        public String cacheKey() {
            return "metadata";
        }
    }
}
