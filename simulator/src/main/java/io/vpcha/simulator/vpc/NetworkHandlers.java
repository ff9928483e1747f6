package io.vpcha.simulator.vpc;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.vpcha.simulator.http.ApiException;
import io.vpcha.simulator.http.Json;
import io.vpcha.simulator.http.Pagination;
import io.vpcha.simulator.http.Request;
import io.vpcha.simulator.http.Response;
import io.vpcha.simulator.http.Router;
import io.vpcha.simulator.state.Behaviour;
import io.vpcha.simulator.state.Ipv4;
import io.vpcha.simulator.state.ReservedIp;
import io.vpcha.simulator.state.RoutingTable;
import io.vpcha.simulator.state.SimulatorState;
import io.vpcha.simulator.state.Subnet;
import io.vpcha.simulator.state.VirtualNetworkInterface;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** VPCs, regions and zones, subnets and their reserved IPs. */
final class NetworkHandlers {
    private final SimulatorState state;
    private final VpcJson json;
    private final Pagination pagination;

    private final Behaviour behaviour;

    NetworkHandlers(SimulatorState state, VpcJson json, Pagination pagination, Behaviour behaviour) {
        this.state = state;
        this.json = json;
        this.pagination = pagination;
        this.behaviour = behaviour;
    }

    void register(Router router) {
        router.add("GET", "/v1/vpcs", this::listVpcs)
                .add("GET", "/v1/vpcs/{id}", this::getVpc)
                .add("GET", "/v1/regions/{region}", this::getRegion)
                .add("GET", "/v1/regions/{region}/zones", this::listZones)
                .add("GET", "/v1/regions/{region}/zones/{zone}", this::getZone)
                .add("GET", "/v1/subnets", this::listSubnets)
                .add("GET", "/v1/subnets/{id}", this::getSubnet)
                .add("GET", "/v1/subnets/{id}/routing_table", this::getSubnetRoutingTable)
                .add("PUT", "/v1/subnets/{id}/routing_table", this::replaceSubnetRoutingTable)
                .add("GET", "/v1/subnets/{subnet_id}/reserved_ips", this::listReservedIps)
                .add("POST", "/v1/subnets/{subnet_id}/reserved_ips", this::createReservedIp)
                .add("GET", "/v1/subnets/{subnet_id}/reserved_ips/{id}", this::getReservedIp)
                .add("PATCH", "/v1/subnets/{subnet_id}/reserved_ips/{id}", this::patchReservedIp)
                .add("DELETE", "/v1/subnets/{subnet_id}/reserved_ips/{id}", this::deleteReservedIp);
    }

    private Response listVpcs(Request request) {
        return state.read(s -> Response.ok(pagination.page(
                request, json.href("/vpcs"), Map.of(), "vpcs", List.copyOf(s.vpcs.values()), vpc -> json.vpc(s, vpc))));
    }

    private Response getVpc(Request request) {
        return state.read(s -> {
            var vpc = RoutingHandlers.vpc(s, request.pathParameter("id"));
            return Response.ok(json.vpc(s, vpc)).etag(vpc.etag());
        });
    }

    private Response getRegion(Request request) {
        return state.read(s -> {
            String region = requireRegion(s, request.pathParameter("region"));
            return Response.ok(Json.object()
                    .put("endpoint", json.base().replaceAll("/v1$", ""))
                    .put("href", json.href("/regions/" + region))
                    .put("name", region)
                    .put("status", "available"));
        });
    }

    private Response listZones(Request request) {
        return state.read(s -> {
            String region = requireRegion(s, request.pathParameter("region"));
            JsonArray zones = new JsonArray();
            s.zones().forEach(zone -> zones.add(zoneJson(region, zone)));
            return Response.ok(Json.object().put("zones", zones));
        });
    }

    private Response getZone(Request request) {
        return state.read(s -> {
            String region = requireRegion(s, request.pathParameter("region"));
            String zone = request.pathParameter("zone");
            if (!s.zones().contains(zone)) {
                throw ApiException.notFound("Zone", zone);
            }
            return Response.ok(zoneJson(region, zone));
        });
    }

    private JsonObject zoneJson(String region, String zone) {
        return Json.object()
                .put("href", json.href("/regions/" + region + "/zones/" + zone))
                .put("name", zone)
                .put(
                        "region",
                        Json.object()
                                .put("href", json.href("/regions/" + region))
                                .put("name", region))
                .put("status", "available")
                .build();
    }

    private static String requireRegion(SimulatorState s, String region) {
        if (!s.region().equals(region)) {
            throw ApiException.notFound("Region", region);
        }
        return region;
    }

    // ---- subnets ----

    static Subnet subnet(SimulatorState s, String id) {
        Subnet subnet = s.subnets.get(id);
        if (subnet == null) {
            throw ApiException.notFound("Subnet", id);
        }
        return subnet;
    }

    private Response listSubnets(Request request) {
        String vpcId = request.query("vpc.id");
        String zone = request.query("zone.name");
        String tableId = request.query("routing_table.id");
        return state.read(s -> {
            List<Subnet> subnets = s.subnets.values().stream()
                    .filter(subnet -> vpcId == null || subnet.vpcId.equals(vpcId))
                    .filter(subnet -> zone == null || subnet.zone.equals(zone))
                    .filter(subnet -> tableId == null || tableId.equals(subnet.routingTableId))
                    .toList();
            Map<String, String> filters = new LinkedHashMap<>();
            if (vpcId != null) {
                filters.put("vpc.id", vpcId);
            }
            if (zone != null) {
                filters.put("zone.name", zone);
            }
            if (tableId != null) {
                filters.put("routing_table.id", tableId);
            }
            return Response.ok(pagination.page(
                    request, json.href("/subnets"), filters, "subnets", subnets, subnet -> json.subnet(s, subnet)));
        });
    }

    private Response getSubnet(Request request) {
        return state.read(s -> {
            Subnet subnet = subnet(s, request.pathParameter("id"));
            return Response.ok(json.subnet(s, subnet)).etag(subnet.etag());
        });
    }

    private Response getSubnetRoutingTable(Request request) {
        return state.read(s -> {
            Subnet subnet = subnet(s, request.pathParameter("id"));
            RoutingTable table = s.routingTables.get(subnet.routingTableId);
            return Response.ok(json.routingTable(s, table)).etag(table.etag());
        });
    }

    private Response replaceSubnetRoutingTable(Request request) {
        JsonObject body = request.jsonBody();
        String tableId = Json.string(body, "id");
        if (tableId == null) {
            throw ApiException.badField("id", "The field 'id' is required", null);
        }
        return state.write(s -> {
            Subnet subnet = subnet(s, request.pathParameter("id"));
            RoutingTable table = s.routingTables.get(tableId);
            if (table == null || !table.vpcId.equals(subnet.vpcId)) {
                throw ApiException.notFound("Routing table", tableId);
            }
            if (table.isIngress()) {
                throw new ApiException(
                        400,
                        "invalid_value",
                        "An ingress routing table cannot be attached to a subnet",
                        "id",
                        "field",
                        tableId);
            }
            subnet.routingTableId = table.id;
            subnet.touch();
            table.touch();
            return Response.created(json.routingTable(s, table)).etag(table.etag());
        });
    }

    // ---- reserved IPs ----

    private static ReservedIp reservedIp(SimulatorState s, Subnet subnet, String id) {
        ReservedIp ip = s.reservedIps.get(id);
        if (ip == null || !ip.subnetId.equals(subnet.id)) {
            throw ApiException.notFound("Reserved IP", id);
        }
        return ip;
    }

    private Response listReservedIps(Request request) {
        return state.read(s -> {
            Subnet subnet = subnet(s, request.pathParameter("subnet_id"));
            List<ReservedIp> ips = s.reservedIps.values().stream()
                    .filter(ip -> ip.subnetId.equals(subnet.id))
                    .toList();
            return Response.ok(pagination.page(
                    request,
                    json.href("/subnets/" + subnet.id + "/reserved_ips"),
                    Map.of(),
                    "reserved_ips",
                    ips,
                    ip -> json.reservedIp(s, ip)));
        });
    }

    private Response getReservedIp(Request request) {
        return state.read(s -> {
            Subnet subnet = subnet(s, request.pathParameter("subnet_id"));
            ReservedIp ip = reservedIp(s, subnet, request.pathParameter("id"));
            return Response.ok(json.reservedIp(s, ip)).etag(ip.etag());
        });
    }

    private Response createReservedIp(Request request) {
        JsonObject body = request.jsonBody();
        Checks.onlyFields(body, Set.of("address", "auto_delete", "name", "target"), "a reserved IP");
        return state.write(s -> {
            Subnet subnet = subnet(s, request.pathParameter("subnet_id"));
            String address = Json.string(body, "address");
            if (address != null) {
                if (!Ipv4.isValid(address) || !subnet.cidr.contains(address)) {
                    throw ApiException.invalidValue(
                            "address", "The address must lie in the subnet " + subnet.cidr, address);
                }
                if (isReservedBySystem(subnet, address)) {
                    throw ApiException.invalidValue("address", "The address is reserved by the provider", address);
                }
                if (s.reservedIps.values().stream()
                        .anyMatch(ip -> ip.subnetId.equals(subnet.id) && ip.address.equals(address))) {
                    throw ApiException.conflict(
                            "reserved_ip_address_in_use", "The address " + address + " is already reserved");
                }
            }
            String name = Checks.name(body, "name");
            Boolean autoDelete = Json.bool(body, "auto_delete");
            String targetId = Checks.identity(body, "target", "id");
            if (targetId == null && autoDelete != null && autoDelete) {
                // IBM: auto_delete "must be false if the reserved IP is unbound" (error code unpublished)
                throw ApiException.invalidValue(
                        "auto_delete", "auto_delete must be false for a reserved IP created without a target", "true");
            }
            ReservedIp ip = reserve(s, subnet, address, name, autoDelete != null && autoDelete);
            if (targetId != null) {
                VirtualNetworkInterface vni = s.virtualNetworkInterfaces.get(targetId);
                if (vni == null) {
                    s.reservedIps.remove(ip.id);
                    throw ApiException.notFound("Target", targetId);
                }
                try {
                    InstanceHandlers.checkBindable(s, behaviour, vni, ip);
                } catch (ApiException e) {
                    s.reservedIps.remove(ip.id);
                    throw e;
                }
                ip.targetId = vni.id;
                vni.secondaryIpIds.add(ip.id);
                vni.touch();
            }
            return Response.created(json.reservedIp(s, ip)).etag(ip.etag());
        });
    }

    /** Reserves {@code address} (or the lowest free one) in the subnet. */
    static ReservedIp reserve(SimulatorState s, Subnet subnet, String address, String name, boolean autoDelete) {
        String chosen = address;
        if (chosen == null) {
            chosen = firstFree(s, subnet);
        }
        ReservedIp ip = new ReservedIp();
        ip.id = s.ids().zonal("reserved_ip", s.zoneIndex(subnet.zone));
        ip.subnetId = subnet.id;
        ip.address = chosen;
        ip.autoDelete = autoDelete;
        ip.name = name != null ? name : "ip-" + chosen.replace('.', '-');
        s.stamp(ip);
        s.reservedIps.put(ip.id, ip);
        return ip;
    }

    private static String firstFree(SimulatorState s, Subnet subnet) {
        int network = subnet.cidr.network() & subnet.cidr.mask();
        for (int offset = 4; offset < subnet.cidr.size() - 1; offset++) {
            String candidate = Ipv4.format(network + offset);
            boolean used = s.reservedIps.values().stream()
                    .anyMatch(ip -> ip.subnetId.equals(subnet.id) && ip.address.equals(candidate));
            if (!used) {
                return candidate;
            }
        }
        throw new ApiException(400, "subnet_full", "The subnet has no free address");
    }

    /** The network address, the next three and the broadcast address are the provider's. */
    private static boolean isReservedBySystem(Subnet subnet, String address) {
        int offset = Ipv4.parse(address) - (subnet.cidr.network() & subnet.cidr.mask());
        return offset < 4 || offset == subnet.cidr.size() - 1;
    }

    /** The names IBM gives the addresses it keeps in every subnet, by offset (-1 = the last address). */
    private static final List<Map.Entry<Integer, String>> PROVIDER_ADDRESSES = List.of(
            Map.entry(0, "ibm-network-address"),
            Map.entry(1, "ibm-default-gateway"),
            Map.entry(2, "ibm-dns-address"),
            Map.entry(3, "ibm-reserved-address"),
            Map.entry(-1, "ibm-broadcast-address"));

    /**
     * Lists the provider's addresses of a new subnet as reserved IPs with {@code owner: provider}
     * (network, gateway, DNS, reserved, broadcast). They cannot be bound, changed or deleted.
     */
    static void reserveProviderAddresses(SimulatorState s, Subnet subnet) {
        int network = subnet.cidr.network() & subnet.cidr.mask();
        for (Map.Entry<Integer, String> entry : PROVIDER_ADDRESSES) {
            int offset = entry.getKey() >= 0 ? entry.getKey() : subnet.cidr.size() - 1;
            ReservedIp ip = new ReservedIp();
            ip.id = s.ids().derived("reserved_ip", s.zoneIndex(subnet.zone), subnet.id + "/" + entry.getValue());
            ip.subnetId = subnet.id;
            ip.address = Ipv4.format(network + offset);
            ip.name = entry.getValue();
            ip.owner = "provider";
            ip.autoDelete = false;
            s.stamp(ip);
            s.reservedIps.put(ip.id, ip);
        }
    }

    /** Refuses to change a reserved IP the provider owns. */
    static void requireUserOwned(ReservedIp ip) {
        if ("provider".equals(ip.owner)) {
            throw new ApiException(
                    400,
                    "reserved_ip_owner_provider",
                    "The reserved IP " + ip.address + " (" + ip.name + ") is owned by the provider",
                    "id",
                    "parameter",
                    ip.id);
        }
    }

    private Response patchReservedIp(Request request) {
        JsonObject body = request.jsonBody();
        Checks.onlyFields(body, Set.of("name", "auto_delete"), "a reserved IP");
        return state.write(s -> {
            Subnet subnet = subnet(s, request.pathParameter("subnet_id"));
            ReservedIp ip = reservedIp(s, subnet, request.pathParameter("id"));
            requireUserOwned(ip);
            String name = Checks.name(body, "name");
            if (name != null) {
                ip.name = name;
            }
            Boolean autoDelete = Json.bool(body, "auto_delete");
            if (autoDelete != null) {
                ip.autoDelete = autoDelete;
            }
            ip.touch();
            return Response.ok(json.reservedIp(s, ip)).etag(ip.etag());
        });
    }

    private Response deleteReservedIp(Request request) {
        return state.write(s -> {
            Subnet subnet = subnet(s, request.pathParameter("subnet_id"));
            ReservedIp ip = reservedIp(s, subnet, request.pathParameter("id"));
            requireUserOwned(ip);
            if (ip.targetId != null) {
                boolean primary = s.networkInterfaces.values().stream().anyMatch(nic -> ip.id.equals(nic.primaryIpId))
                        || s.virtualNetworkInterfaces.values().stream().anyMatch(vni -> ip.id.equals(vni.primaryIpId));
                if (primary) {
                    throw ApiException.conflict(
                            "reserved_ip_in_use", "The reserved IP is the primary IP of an interface");
                }
                VirtualNetworkInterface vni = s.virtualNetworkInterfaces.get(ip.targetId);
                if (vni != null) {
                    vni.secondaryIpIds.remove(ip.id);
                    vni.touch();
                }
            }
            s.reservedIps.remove(ip.id);
            return Response.noContent();
        });
    }
}
