package io.vpcha.strategy.secondaryip;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.StrategyException;
import io.vpcha.toolkit.json.Json;
import java.util.Map;
import java.util.Optional;

/**
 * A subnet reserved IP as the API shows it now.
 *
 * @param owner {@code user}, or {@code provider} for the addresses the cloud keeps (network, gateway,
 *     DNS, broadcast) which can be neither bound nor changed
 * @param targetId what it is bound to, if anything (a VNI, or another resource such as an endpoint gateway)
 * @param targetType the {@code resource_type} of the target, e.g. {@code virtual_network_interface}
 */
record ReservedIpView(
        String id,
        String name,
        String address,
        boolean autoDelete,
        String owner,
        Optional<String> targetId,
        Optional<String> targetType,
        Optional<String> targetName) {
    static final String VIRTUAL_NETWORK_INTERFACE = "virtual_network_interface";

    ReservedIpView {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(address, "address is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(targetId, "targetId is null");
        requireNonNull(targetType, "targetType is null");
        requireNonNull(targetName, "targetName is null");
    }

    static ReservedIpView from(Map<String, Object> json) throws StrategyException {
        Optional<String> id = Json.string(json, "id");
        Optional<String> address = Json.string(json, "address");
        if (id.isEmpty() || address.isEmpty()) {
            throw StrategyException.generic("the API answered a reserved IP without id or address");
        }
        return new ReservedIpView(
                id.get(),
                Json.string(json, "name").orElse(""),
                address.get(),
                Json.bool(json, "auto_delete").orElse(false),
                Json.string(json, "owner").orElse("user"),
                Json.string(json, "target.id"),
                Json.string(json, "target.resource_type"),
                Json.string(json, "target.name"));
    }

    boolean isProviderOwned() {
        return owner.equals("provider");
    }

    boolean isBoundTo(String vniId) {
        return targetId.equals(Optional.of(vniId));
    }

    String describe() {
        return name.isEmpty() || name.equals(address)
                ? "reserved IP " + address
                : "reserved IP " + name + " (" + address + ")";
    }

    /** What it is bound to, in words: "no interface", "virtual network interface vni-a (0717-...)". */
    String binding() {
        if (targetId.isEmpty()) {
            return "no interface";
        }
        String kind = targetType.map(type -> type.replace('_', ' ')).orElse("target");
        return kind + targetName.map(name -> " " + name).orElse("") + " (" + targetId.get() + ")";
    }
}
