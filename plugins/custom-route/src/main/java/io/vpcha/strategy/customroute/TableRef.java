package io.vpcha.strategy.customroute;

import static java.util.Objects.requireNonNull;

import io.vpcha.toolkit.route.RouteMover;

/** A routing table to look at: its id, a name for messages, and whether it is an ingress table. */
record TableRef(String id, String name, boolean ingress) {
    TableRef {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
    }

    /** The table as the toolkit's {@link RouteMover} names it. */
    RouteMover.Table forMover() {
        return new RouteMover.Table(id, name);
    }
}
