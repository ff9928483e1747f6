package io.vpcha.strategy.loadbalancer;

import io.vpcha.spi.cloud.PoolMember;

/** Wording shared by reasons and log lines. */
final class Describe {
    private Describe() {}

    /** "pool app-pool (r006-...)", or "pool r006-..." without a name. */
    static String named(String kind, String name, String id) {
        return name.isEmpty() || name.equals(id) ? kind + " " + id : kind + " " + name + " (" + id + ")";
    }

    /** "member r006-... (instance 0717-..., port 80, weight 100, health ok)". */
    static String member(PoolMember member) {
        String target = member.targetId()
                .map(id -> "instance " + id)
                .or(() -> member.targetAddress().map(address -> "address " + address))
                .orElse("no target");
        String weight =
                member.weight().isPresent() ? ", weight " + member.weight().getAsInt() : "";
        return "member " + member.id() + " (" + target + ", port " + member.port() + weight + ", health "
                + member.health() + ")";
    }
}
