package io.vpcha.strategy.secondaryip;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.StrategyException;
import io.vpcha.toolkit.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A virtual network interface as the VPC API shows it.
 *
 * @param ipIds every reserved IP bound to it, the primary included
 * @param macAddress absent while it is attached to nothing
 * @param targetType what it is attached to, e.g. {@code instance_network_attachment}
 */
record VniView(
        String id,
        String name,
        String subnetId,
        String vpcId,
        String primaryIpId,
        String primaryAddress,
        List<String> ipIds,
        Optional<String> macAddress,
        Optional<String> targetType) {
    static final String INSTANCE_NETWORK_ATTACHMENT = "instance_network_attachment";

    VniView {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(subnetId, "subnetId is null");
        requireNonNull(vpcId, "vpcId is null");
        requireNonNull(primaryIpId, "primaryIpId is null");
        requireNonNull(primaryAddress, "primaryAddress is null");
        ipIds = List.copyOf(requireNonNull(ipIds, "ipIds is null"));
        requireNonNull(macAddress, "macAddress is null");
        requireNonNull(targetType, "targetType is null");
    }

    static VniView from(Map<String, Object> json) throws StrategyException {
        List<String> ipIds = new ArrayList<>();
        for (Object ip : Json.list(json, "ips")) {
            Json.string(ip, "id").ifPresent(ipIds::add);
        }
        try {
            return new VniView(
                    required(json, "id"),
                    Json.string(json, "name").orElse(""),
                    required(json, "subnet.id"),
                    Json.string(json, "vpc.id").orElse(""),
                    required(json, "primary_ip.id"),
                    required(json, "primary_ip.address"),
                    ipIds,
                    Json.string(json, "mac_address"),
                    Json.string(json, "target.resource_type"));
        } catch (IllegalArgumentException e) {
            throw StrategyException.generic(
                    "the API answered a virtual network interface this strategy cannot read: " + e.getMessage());
        }
    }

    private static String required(Map<String, Object> json, String path) {
        return Json.string(json, path).orElseThrow(() -> new IllegalArgumentException("no " + path));
    }

    String describe() {
        return name.isEmpty()
                ? "virtual network interface " + id
                : "virtual network interface " + name + " (" + id + ")";
    }
}
