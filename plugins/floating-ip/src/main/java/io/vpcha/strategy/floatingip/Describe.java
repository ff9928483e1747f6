package io.vpcha.strategy.floatingip;

import io.vpcha.spi.cloud.FloatingIp;

/** Wording shared by reasons and log lines. */
final class Describe {
    private Describe() {}

    static String floatingIp(FloatingIp floatingIp) {
        return floatingIp(floatingIp.name(), floatingIp.address());
    }

    static String floatingIp(String name, String address) {
        return name.isEmpty() || name.equals(address)
                ? "floating IP " + address
                : "floating IP " + name + " (" + address + ")";
    }

    /** Where a floating IP is bound, in words: "unbound" or "network_interface eth0 (0717-...)". */
    static String binding(FloatingIp floatingIp) {
        return floatingIp
                .target()
                .map(target -> {
                    String kind = target.resourceType().isEmpty()
                            ? "target"
                            : target.resourceType().replace('_', ' ');
                    String name = target.name().isEmpty() ? "" : " " + target.name();
                    return kind + name + " (" + target.id() + ")";
                })
                .orElse("no interface");
    }
}
