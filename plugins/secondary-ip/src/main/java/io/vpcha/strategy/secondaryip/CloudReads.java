package io.vpcha.strategy.secondaryip;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.ApiRequest;
import io.vpcha.toolkit.api.RawApi;
import io.vpcha.toolkit.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The VPC API reads and the one create the typed API lacks: VNIs with their MAC address, subnets,
 * subnet reserved IPs with their owner and target kind, reserving an address. Paths carry ids only,
 * checked, so no value of a parameter ever reaches a URL unescaped.
 */
final class CloudReads {
    private static final Pattern ID = Pattern.compile("[0-9a-zA-Z_-]{1,128}");

    private final RawApi raw;

    CloudReads(RawApi raw) {
        this.raw = requireNonNull(raw, "raw is null");
    }

    VniView vni(String vniId) throws StrategyException {
        return VniView.from(raw.call(
                "get virtual network interface " + vniId, ApiRequest.get("/virtual_network_interfaces/" + id(vniId))));
    }

    SubnetView subnet(String subnetId) throws StrategyException {
        return SubnetView.from(raw.call("get subnet " + subnetId, ApiRequest.get("/subnets/" + id(subnetId))));
    }

    List<SubnetView> subnetsOfVpc(String vpcId) throws StrategyException {
        List<SubnetView> subnets = new ArrayList<>();
        for (Map<String, Object> subnet :
                raw.list("list the subnets of VPC " + vpcId, "/subnets", Map.of("vpc.id", vpcId), "subnets")) {
            subnets.add(SubnetView.from(subnet));
        }
        return subnets;
    }

    List<ReservedIpView> reservedIps(String subnetId) throws StrategyException {
        List<ReservedIpView> ips = new ArrayList<>();
        for (Map<String, Object> ip : raw.list(
                "list the reserved IPs of subnet " + subnetId,
                "/subnets/" + id(subnetId) + "/reserved_ips",
                Map.of(),
                "reserved_ips")) {
            ips.add(ReservedIpView.from(ip));
        }
        return ips;
    }

    ReservedIpView reservedIp(String subnetId, String reservedIpId) throws StrategyException {
        return ReservedIpView.from(raw.call(
                "get reserved IP " + reservedIpId,
                ApiRequest.get("/subnets/" + id(subnetId) + "/reserved_ips/" + id(reservedIpId))));
    }

    /** Reserves {@code address} in the subnet, unbound, kept when unbound (auto_delete false, said explicitly). */
    ReservedIpView reserve(String subnetId, String address, String name) throws StrategyException {
        String body = Json.write(Json.object("address", address, "auto_delete", false, "name", name));
        return ReservedIpView.from(raw.call(
                "reserve " + address + " in subnet " + subnetId,
                ApiRequest.post("/subnets/" + id(subnetId) + "/reserved_ips", body)));
    }

    private static String id(String value) throws StrategyException {
        if (!ID.matcher(value).matches()) {
            throw StrategyException.notConfigured("'" + value + "' is not a VPC id");
        }
        return value;
    }
}
