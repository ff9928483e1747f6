package io.vpcha.strategy.floatingip;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * This node's target and how it was chosen, kept in the state directory so that later actions need
 * no metadata call; valid only while the resource chooses it the same way.
 *
 * @param selectionKey {@link TargetSelection#cacheKey()} of the choice it was made by
 */
record KnownTarget(String selectionKey, NodeTarget target) {
    /** Its record in the state directory. */
    static final String RECORD = "target";

    KnownTarget {
        requireNonNull(selectionKey, "selectionKey is null");
        requireNonNull(target, "target is null");
    }

    /** The target kept, if it was chosen the way the resource now says. */
    static Optional<NodeTarget> from(Optional<Map<String, String>> kept, TargetSelection selection) {
        return kept.filter(values -> selection.cacheKey().equals(values.get("selection")))
                .flatMap(KnownTarget::target);
    }

    /** The target kept, however it was chosen (a stop unbinds from where it was bound, whatever changed). */
    static Optional<NodeTarget> fromAnySelection(Optional<Map<String, String>> kept) {
        return kept.flatMap(KnownTarget::target);
    }

    private static Optional<NodeTarget> target(Map<String, String> values) {
        String id = values.get("id");
        String kind = values.get("kind");
        if (id == null || kind == null) {
            return Optional.empty();
        }
        List<String> nodeInterfaces = Arrays.stream(
                        values.getOrDefault("node_interfaces", "").split(",", -1))
                .map(String::trim)
                .filter(value -> !value.isEmpty())
                .toList();
        try {
            return Optional.of(new NodeTarget(
                    id, TargetKind.valueOf(kind), Optional.ofNullable(values.get("zone")), nodeInterfaces));
        } catch (IllegalArgumentException damaged) {
            return Optional.empty();
        }
    }

    Map<String, String> toRecord() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("selection", selectionKey);
        values.put("id", target.id());
        values.put("kind", target.kind().name());
        target.zone().ifPresent(zone -> values.put("zone", zone));
        values.put("node_interfaces", String.join(",", target.nodeInterfaceIds()));
        return values;
    }
}
