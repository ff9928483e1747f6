package io.vpcha.strategy.secondaryip;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.ApiRequest;
import io.vpcha.spi.cloud.CloudAccess;
import io.vpcha.toolkit.api.IamActions;
import io.vpcha.toolkit.api.RawApi;
import io.vpcha.toolkit.json.Json;
import io.vpcha.toolkit.time.TimeBox;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The VPC API reads and the one create the typed API lacks: VNIs with their MAC address, subnets,
 * subnet reserved IPs with their owner and target kind, reserving an address. Paths carry ids only,
 * checked, so no value of a parameter ever reaches a URL unescaped. A refused request names its IAM
 * action ({@link #IAM_ACTIONS}).
 */
final class CloudReads {
    private static final Pattern ID = Pattern.compile("[0-9a-zA-Z_-]{1,128}");
    /**
     * Each request's IAM action (docs/iam-policy.md, secondary-ip): reserved IPs take their permissions
     * from their subnet (IBM's "About reserved IPs").
     */
    static final IamActions IAM_ACTIONS = IamActions.builder()
            .needs(
                    "GET",
                    "/virtual_network_interfaces/{vni}",
                    "is.virtual-network-interface.virtual-network-interface.read")
            .needs("GET", "/subnets/{subnet}", "is.subnet.subnet.read")
            .needs("GET", "/subnets", "is.subnet.subnet.list")
            .needs("GET", "/subnets/{subnet}/reserved_ips", "is.subnet.subnet.read")
            .needs("GET", "/subnets/{subnet}/reserved_ips/{id}", "is.subnet.subnet.read")
            .needs("POST", "/subnets/{subnet}/reserved_ips", "is.subnet.subnet.update")
            .build();

    private final RawApi raw;

    CloudReads(CloudAccess cloud, TimeBox timeBox) {
        this.raw = new RawApi(requireNonNull(cloud, "cloud is null"), timeBox, Set.of(), IAM_ACTIONS);
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
