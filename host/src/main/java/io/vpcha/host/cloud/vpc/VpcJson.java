package io.vpcha.host.cloud.vpc;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.vpcha.spi.cloud.FloatingIp;
import io.vpcha.spi.cloud.Instance;
import io.vpcha.spi.cloud.LoadBalancerPool;
import io.vpcha.spi.cloud.NetworkAttachment;
import io.vpcha.spi.cloud.NetworkInterface;
import io.vpcha.spi.cloud.PoolMember;
import io.vpcha.spi.cloud.ReservedIp;
import io.vpcha.spi.cloud.Route;
import io.vpcha.spi.cloud.RoutingTable;
import io.vpcha.spi.cloud.VirtualNetworkInterface;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Reads the VPC API's (and the metadata service's) JSON into the SPI's views, by the field names of
 * IBM's API reference. Tolerant where the API is: a missing optional field is empty, unknown fields
 * are ignored; a missing required field is an error naming it.
 */
public final class VpcJson {
    private VpcJson() {}

    /**
     * The body of a raw API answer as the SPI's JSON tree of JDK types (maps, lists, strings, numbers,
     * booleans, null); empty when there is no body or it is not JSON (the text is still there).
     */
    public static Optional<Object> tree(String body) {
        if (body.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(jdk(JsonParser.parseString(body)));
        } catch (RuntimeException notJson) {
            return Optional.empty();
        }
    }

    private static Object jdk(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return null;
        }
        if (element.isJsonObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            element.getAsJsonObject().entrySet().forEach(entry -> map.put(entry.getKey(), jdk(entry.getValue())));
            return map;
        }
        if (element.isJsonArray()) {
            List<Object> list = new ArrayList<>();
            element.getAsJsonArray().forEach(item -> list.add(jdk(item)));
            return list;
        }
        JsonPrimitive primitive = element.getAsJsonPrimitive();
        if (primitive.isBoolean()) {
            return primitive.getAsBoolean();
        }
        if (primitive.isNumber()) {
            // the SPI turns integral values into Long and keeps the others exact
            return new BigDecimal(primitive.getAsString());
        }
        return primitive.getAsString();
    }

    public static RoutingTable routingTable(JsonObject json) {
        return new RoutingTable(
                required(json, "id"),
                required(json, "name"),
                bool(json, "is_default"),
                bool(json, "route_direct_link_ingress"),
                bool(json, "route_internet_ingress"),
                bool(json, "route_transit_gateway_ingress"),
                bool(json, "route_vpc_zone_ingress"),
                text(json, "lifecycle_state").orElse("stable"));
    }

    public static Route route(JsonObject json) {
        return new Route(
                required(json, "id"),
                text(json, "name").orElse(""),
                required(json, "destination"),
                required(json, "zone.name"),
                text(json, "action").orElse("deliver"),
                text(json, "next_hop.address"),
                integer(json, "priority").orElse(2),
                text(json, "origin").orElse("user"),
                bool(json, "advertise"),
                text(json, "lifecycle_state").orElse("stable"));
    }

    public static FloatingIp floatingIp(JsonObject json) {
        Optional<FloatingIp.FloatingIpTarget> target = object(json, "target")
                .map(t -> new FloatingIp.FloatingIpTarget(
                        required(t, "id"),
                        text(t, "name").orElse(""),
                        text(t, "resource_type").orElse(""),
                        text(t, "primary_ip.address").or(() -> text(t, "primary_ipv4_address"))));
        return new FloatingIp(
                required(json, "id"),
                text(json, "name").orElse(""),
                required(json, "address"),
                text(json, "status").orElse("available"),
                required(json, "zone.name"),
                target);
    }

    public static Instance instance(JsonObject json) {
        return new Instance(
                required(json, "id"),
                text(json, "crn").orElse(""),
                text(json, "name").orElse(""),
                text(json, "status").orElse("running"),
                required(json, "zone.name"),
                required(json, "vpc.id"),
                text(json, "primary_network_interface.id"),
                list(json, "network_interfaces", VpcJson::networkInterface),
                text(json, "primary_network_attachment.id"),
                list(json, "network_attachments", VpcJson::networkAttachment));
    }

    public static NetworkInterface networkInterface(JsonObject json) {
        return new NetworkInterface(
                required(json, "id"),
                text(json, "name").orElse(""),
                address(json),
                text(json, "subnet.id").orElse(""),
                optionalBool(json, "allow_ip_spoofing"),
                list(json, "floating_ips", ip -> required(ip, "id")));
    }

    public static NetworkAttachment networkAttachment(JsonObject json) {
        return new NetworkAttachment(
                required(json, "id"),
                text(json, "name").orElse(""),
                address(json),
                text(json, "subnet.id").orElse(""),
                required(json, "virtual_network_interface.id"));
    }

    public static VirtualNetworkInterface virtualNetworkInterface(JsonObject json) {
        return new VirtualNetworkInterface(
                required(json, "id"),
                text(json, "name").orElse(""),
                bool(json, "allow_ip_spoofing"),
                bool(json, "enable_infrastructure_nat"),
                address(json),
                text(json, "subnet.id").orElse(""),
                text(json, "zone.name").orElse(""),
                list(json, "ips", VpcJson::reservedIp));
    }

    public static ReservedIp reservedIp(JsonObject json) {
        return new ReservedIp(
                required(json, "id"),
                text(json, "name").orElse(""),
                required(json, "address"),
                bool(json, "auto_delete"),
                text(json, "target.id"));
    }

    public static LoadBalancerPool loadBalancerPool(JsonObject json) {
        return new LoadBalancerPool(
                required(json, "id"),
                text(json, "name").orElse(""),
                text(json, "algorithm").orElse(""),
                text(json, "protocol").orElse(""),
                text(json, "provisioning_status").orElse("active"));
    }

    public static PoolMember poolMember(JsonObject json) {
        return new PoolMember(
                required(json, "id"),
                integer(json, "port").orElse(0),
                integer(json, "weight").map(OptionalInt::of).orElse(OptionalInt.empty()),
                text(json, "health").orElse("unknown"),
                text(json, "provisioning_status").orElse("active"),
                text(json, "target.id"),
                text(json, "target.address"));
    }

    /** A NIC's or attachment's address: {@code primary_ip.address}, or the older {@code primary_ipv4_address}. */
    private static String address(JsonObject json) {
        return text(json, "primary_ip.address")
                .or(() -> text(json, "primary_ipv4_address"))
                .orElseThrow(() -> new IllegalArgumentException("no primary_ip.address in " + describe(json)));
    }

    public static <T> List<T> list(JsonObject json, String field, Function<JsonObject, T> reader) {
        JsonElement element = json.get(field);
        if (element == null || !element.isJsonArray()) {
            return List.of();
        }
        JsonArray array = element.getAsJsonArray();
        List<T> items = new ArrayList<>(array.size());
        for (JsonElement item : array) {
            items.add(reader.apply(item.getAsJsonObject()));
        }
        return items;
    }

    /** The string at a dotted path, e.g. {@code zone.name}. */
    public static Optional<String> text(JsonObject json, String path) {
        return element(json, path).filter(JsonElement::isJsonPrimitive).map(JsonElement::getAsString);
    }

    public static String required(JsonObject json, String path) {
        return text(json, path).orElseThrow(() -> new IllegalArgumentException("no " + path + " in " + describe(json)));
    }

    private static Optional<JsonObject> object(JsonObject json, String path) {
        return element(json, path).filter(JsonElement::isJsonObject).map(JsonElement::getAsJsonObject);
    }

    private static boolean bool(JsonObject json, String path) {
        return optionalBool(json, path).orElse(false);
    }

    private static Optional<Boolean> optionalBool(JsonObject json, String path) {
        return element(json, path).filter(JsonElement::isJsonPrimitive).map(JsonElement::getAsBoolean);
    }

    private static Optional<Integer> integer(JsonObject json, String path) {
        return element(json, path).filter(JsonElement::isJsonPrimitive).map(JsonElement::getAsInt);
    }

    private static Optional<JsonElement> element(JsonObject json, String path) {
        JsonElement current = json;
        for (String part : path.split("\\.", -1)) {
            if (current == null || !current.isJsonObject()) {
                return Optional.empty();
            }
            current = current.getAsJsonObject().get(part);
        }
        return current == null || current.isJsonNull() ? Optional.empty() : Optional.of(current);
    }

    private static String describe(JsonObject json) {
        return text(json, "resource_type").orElse("object")
                + text(json, "id").map(id -> " " + id).orElse("");
    }
}
