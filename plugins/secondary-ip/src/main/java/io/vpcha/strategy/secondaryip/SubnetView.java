package io.vpcha.strategy.secondaryip;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.Ipv4;
import io.vpcha.spi.StrategyException;
import io.vpcha.toolkit.json.Json;
import java.util.Map;

/** A subnet, as far as a secondary IP needs one: where its addresses lie. */
record SubnetView(String id, String name, String cidr) {
    SubnetView {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(cidr, "cidr is null");
        Ipv4.cidrProblem(cidr).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        if (!cidr.contains("/")) {
            throw new IllegalArgumentException("'" + cidr + "' has no prefix length");
        }
    }

    static SubnetView from(Map<String, Object> json) throws StrategyException {
        try {
            return new SubnetView(
                    Json.string(json, "id").orElseThrow(() -> new IllegalArgumentException("no id")),
                    Json.string(json, "name").orElse(""),
                    Json.string(json, "ipv4_cidr_block")
                            .orElseThrow(() -> new IllegalArgumentException("no ipv4_cidr_block")));
        } catch (IllegalArgumentException e) {
            throw StrategyException.generic("the API answered a subnet this strategy cannot read: " + e.getMessage());
        }
    }

    boolean contains(String address) {
        return Ipv4.inBlock(address, cidr);
    }

    int prefixLength() {
        return Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
    }

    String describe() {
        return (name.isEmpty() ? "subnet " + id : "subnet " + name) + " (" + cidr + ")";
    }
}
