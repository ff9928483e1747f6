package io.vpcha.simulator.vpc;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.vpcha.simulator.http.Json;
import io.vpcha.simulator.state.FloatingIp;
import io.vpcha.simulator.state.Instance;
import io.vpcha.simulator.state.LoadBalancer;
import io.vpcha.simulator.state.NetworkAttachment;
import io.vpcha.simulator.state.NetworkInterface;
import io.vpcha.simulator.state.PublicAddressRange;
import io.vpcha.simulator.state.ReservedIp;
import io.vpcha.simulator.state.Route;
import io.vpcha.simulator.state.RoutingTable;
import io.vpcha.simulator.state.SimulatorState;
import io.vpcha.simulator.state.Subnet;
import io.vpcha.simulator.state.VirtualNetworkInterface;
import io.vpcha.simulator.state.Vpc;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Renders model objects as the VPC API does. Call only inside a state read/write. Hrefs are absolute
 * and follow the real shape, rooted at the simulator's own VPC URL so that a client can follow them.
 */
public final class VpcJson {
    private final Supplier<String> vpcBase;

    public VpcJson(Supplier<String> vpcBase) {
        this.vpcBase = vpcBase;
    }

    public String href(String path) {
        return vpcBase.get() + path;
    }

    public String base() {
        return vpcBase.get();
    }

    public JsonObject zone(SimulatorState state, String zone) {
        return Json.object()
                .put("href", href("/regions/" + state.region() + "/zones/" + zone))
                .put("name", zone)
                .build();
    }

    public JsonObject resourceGroup(SimulatorState state) {
        return Json.object()
                .put("href", "https://resource-controller.cloud.ibm.com/v2/resource_groups/" + state.resourceGroupId())
                .put("id", state.resourceGroupId())
                .put("name", state.resourceGroupName())
                .build();
    }

    // ---- VPC ----

    public JsonObject vpcReference(Vpc vpc) {
        return Json.object()
                .put("crn", vpc.crn)
                .put("href", href("/vpcs/" + vpc.id))
                .put("id", vpc.id)
                .put("name", vpc.name)
                .put("resource_type", "vpc")
                .build();
    }

    public JsonObject vpc(SimulatorState state, Vpc vpc) {
        RoutingTable defaultTable = state.routingTables.get(vpc.defaultRoutingTableId);
        return Json.object()
                .put("classic_access", false)
                .put("created_at", vpc.createdAt.toString())
                .put("crn", vpc.crn)
                .put("default_routing_table", defaultTable == null ? null : routingTableReference(defaultTable))
                .put("health_state", "ok")
                .put("href", href("/vpcs/" + vpc.id))
                .put("id", vpc.id)
                .put("name", vpc.name)
                .put("resource_group", resourceGroup(state))
                .put("resource_type", "vpc")
                .put("status", "available")
                .build();
    }

    // ---- routing ----

    public JsonObject routingTableReference(RoutingTable table) {
        return Json.object()
                .put("crn", table.crn)
                .put("href", href("/vpcs/" + table.vpcId + "/routing_tables/" + table.id))
                .put("id", table.id)
                .put("name", table.name)
                .put("resource_type", "routing_table")
                .build();
    }

    public JsonObject routingTable(SimulatorState state, RoutingTable table) {
        JsonArray routes = new JsonArray();
        table.routes
                .values()
                .forEach(route -> routes.add(Json.object()
                        .put("href", routeHref(table, route))
                        .put("id", route.id)
                        .put("name", route.name)
                        .build()));
        JsonArray subnets = new JsonArray();
        state.subnets.values().stream()
                .filter(subnet -> table.id.equals(subnet.routingTableId))
                .forEach(subnet -> subnets.add(subnetReference(subnet)));
        JsonArray accept = new JsonArray();
        table.acceptRoutesFrom.forEach(
                type -> accept.add(Json.object().put("resource_type", type).build()));
        return Json.object()
                .put("accept_routes_from", accept)
                .put("advertise_routes_to", Json.strings(table.advertiseRoutesTo))
                .put("created_at", table.createdAt.toString())
                .put("crn", table.crn)
                .put("href", href("/vpcs/" + table.vpcId + "/routing_tables/" + table.id))
                .put("id", table.id)
                .put("is_default", table.isDefault)
                .put("lifecycle_state", table.lifecycleState)
                .put("name", table.name)
                .put("resource_group", resourceGroup(state))
                .put("resource_type", "routing_table")
                .put("route_direct_link_ingress", table.routeDirectLinkIngress)
                .put("route_internet_ingress", table.routeInternetIngress)
                .put("route_transit_gateway_ingress", table.routeTransitGatewayIngress)
                .put("route_vpc_zone_ingress", table.routeVpcZoneIngress)
                .put("routes", routes)
                .put("subnets", subnets)
                .build();
    }

    public String routeHref(RoutingTable table, Route route) {
        return href("/vpcs/" + table.vpcId + "/routing_tables/" + table.id + "/routes/" + route.id);
    }

    public JsonObject route(SimulatorState state, RoutingTable table, Route route) {
        String nextHop = route.nextHop == null ? "0.0.0.0" : route.nextHop;
        return Json.object()
                .put("action", route.action)
                .put("advertise", route.advertise)
                .put("created_at", route.createdAt.toString())
                .put(
                        "creator",
                        "service".equals(route.origin) && route.creator != null
                                ? Json.object()
                                        .put("id", route.creator)
                                        .put("resource_type", "vpn_gateway")
                                        .build()
                                : null)
                .put("destination", route.destination.toString())
                .put("href", routeHref(table, route))
                .put("id", route.id)
                .put("lifecycle_state", route.lifecycleState)
                .put("name", route.name)
                .put("next_hop", Json.object().put("address", nextHop).build())
                .put("origin", route.origin)
                .put("priority", route.priority)
                .put("zone", zone(state, route.zone))
                .build();
    }

    // ---- subnets and reserved IPs ----

    public JsonObject subnetReference(Subnet subnet) {
        return Json.object()
                .put("crn", subnet.crn)
                .put("href", href("/subnets/" + subnet.id))
                .put("id", subnet.id)
                .put("name", subnet.name)
                .put("resource_type", "subnet")
                .build();
    }

    public JsonObject subnet(SimulatorState state, Subnet subnet) {
        RoutingTable table = state.routingTables.get(subnet.routingTableId);
        // The provider's five subnet addresses are never available, whether or not they are listed.
        long used = state.reservedIps.values().stream()
                .filter(ip -> ip.subnetId.equals(subnet.id))
                .filter(ip -> !("provider".equals(ip.owner) && ip.name.startsWith("ibm-")))
                .count();
        return Json.object()
                .put("available_ipv4_address_count", Math.max(0, subnet.cidr.size() - 5 - used))
                .put("created_at", subnet.createdAt.toString())
                .put("crn", subnet.crn)
                .put("href", href("/subnets/" + subnet.id))
                .put("id", subnet.id)
                .put("ip_version", "ipv4")
                .put("ipv4_cidr_block", subnet.cidr.toString())
                .put("name", subnet.name)
                .put("resource_group", resourceGroup(state))
                .put("resource_type", "subnet")
                .put("routing_table", table == null ? null : routingTableReference(table))
                .put("status", "available")
                .put("total_ipv4_address_count", subnet.cidr.size())
                .put("vpc", vpcReference(state.vpcs.get(subnet.vpcId)))
                .put("zone", zone(state, subnet.zone))
                .build();
    }

    public JsonObject reservedIpReference(ReservedIp ip) {
        return Json.object()
                .put("address", ip.address)
                .put("href", href("/subnets/" + ip.subnetId + "/reserved_ips/" + ip.id))
                .put("id", ip.id)
                .put("name", ip.name)
                .put("resource_type", "subnet_reserved_ip")
                .build();
    }

    public JsonObject reservedIp(SimulatorState state, ReservedIp ip) {
        return Json.object()
                .put("address", ip.address)
                .put("auto_delete", ip.autoDelete)
                .put("created_at", ip.createdAt.toString())
                .put("href", href("/subnets/" + ip.subnetId + "/reserved_ips/" + ip.id))
                .put("id", ip.id)
                .put("lifecycle_state", ip.lifecycleState)
                .put("name", ip.name)
                .put("owner", ip.owner)
                .put("resource_type", "subnet_reserved_ip")
                .put("target", ip.targetId == null ? null : interfaceReference(state, ip.targetId))
                .build();
    }

    // ---- interfaces ----

    /** Reference to a NIC or a VNI, as used by floating IP and reserved IP targets. */
    public JsonObject interfaceReference(SimulatorState state, String interfaceId) {
        NetworkInterface nic = state.networkInterfaces.get(interfaceId);
        if (nic != null) {
            return Json.object()
                    .put("href", href("/instances/" + nic.instanceId + "/network_interfaces/" + nic.id))
                    .put("id", nic.id)
                    .put("name", nic.name)
                    .put("primary_ip", primaryIp(state, nic.primaryIpId))
                    .put("resource_type", "network_interface")
                    .build();
        }
        VirtualNetworkInterface vni = state.virtualNetworkInterfaces.get(interfaceId);
        if (vni != null) {
            return Json.object()
                    .put("crn", vni.crn)
                    .put("href", href("/virtual_network_interfaces/" + vni.id))
                    .put("id", vni.id)
                    .put("name", vni.name)
                    .put("primary_ip", primaryIp(state, vni.primaryIpId))
                    .put("resource_type", "virtual_network_interface")
                    .put("subnet", subnetReference(state.subnets.get(vni.subnetId)))
                    .build();
        }
        LoadBalancer lb = state.loadBalancers.get(interfaceId);
        if (lb != null) {
            return loadBalancerReference(lb);
        }
        return Json.object().put("id", interfaceId).build();
    }

    private JsonObject primaryIp(SimulatorState state, String reservedIpId) {
        ReservedIp ip = state.reservedIps.get(reservedIpId);
        return ip == null ? null : reservedIpReference(ip);
    }

    public JsonObject networkInterfaceReference(SimulatorState state, NetworkInterface nic) {
        return Json.object()
                .put("href", href("/instances/" + nic.instanceId + "/network_interfaces/" + nic.id))
                .put("id", nic.id)
                .put("name", nic.name)
                .put("primary_ip", primaryIp(state, nic.primaryIpId))
                .put("resource_type", "network_interface")
                .put("subnet", subnetReference(state.subnets.get(nic.subnetId)))
                .build();
    }

    public JsonObject networkInterface(SimulatorState state, NetworkInterface nic) {
        JsonArray floatingIps = new JsonArray();
        floatingIpsOf(state, nic.id).forEach(fip -> floatingIps.add(floatingIpReference(fip)));
        return Json.object()
                .put("allow_ip_spoofing", nic.allowIpSpoofing)
                .put("created_at", nic.createdAt.toString())
                .put("floating_ips", floatingIps)
                .put("href", href("/instances/" + nic.instanceId + "/network_interfaces/" + nic.id))
                .put("id", nic.id)
                .put("name", nic.name)
                .put("port_speed", 1000)
                .put("primary_ip", primaryIp(state, nic.primaryIpId))
                .put("resource_type", "network_interface")
                .put("security_groups", new JsonArray())
                .put("status", nic.status)
                .put("subnet", subnetReference(state.subnets.get(nic.subnetId)))
                .put("type", nic.primary ? "primary" : "secondary")
                .build();
    }

    public JsonObject networkAttachmentReference(SimulatorState state, NetworkAttachment attachment) {
        VirtualNetworkInterface vni = state.virtualNetworkInterfaces.get(attachment.virtualNetworkInterfaceId);
        return Json.object()
                .put("href", href("/instances/" + attachment.instanceId + "/network_attachments/" + attachment.id))
                .put("id", attachment.id)
                .put("name", attachment.name)
                .put("primary_ip", vni == null ? null : primaryIp(state, vni.primaryIpId))
                .put("resource_type", "instance_network_attachment")
                .put("subnet", vni == null ? null : subnetReference(state.subnets.get(vni.subnetId)))
                .put("virtual_network_interface", vni == null ? null : virtualNetworkInterfaceReference(vni))
                .build();
    }

    public JsonObject networkAttachment(SimulatorState state, NetworkAttachment attachment) {
        JsonObject json = networkAttachmentReference(state, attachment);
        json.addProperty("created_at", attachment.createdAt.toString());
        json.addProperty("lifecycle_state", attachment.lifecycleState);
        json.addProperty("port_speed", 1000);
        json.addProperty("type", attachment.primary ? "primary" : "secondary");
        return json;
    }

    public JsonObject virtualNetworkInterfaceReference(VirtualNetworkInterface vni) {
        return Json.object()
                .put("crn", vni.crn)
                .put("href", href("/virtual_network_interfaces/" + vni.id))
                .put("id", vni.id)
                .put("name", vni.name)
                .put("resource_type", "virtual_network_interface")
                .build();
    }

    public JsonObject virtualNetworkInterface(SimulatorState state, VirtualNetworkInterface vni) {
        Subnet subnet = state.subnets.get(vni.subnetId);
        JsonArray ips = new JsonArray();
        ipsOf(state, vni).forEach(ip -> ips.add(reservedIpReference(ip)));
        NetworkAttachment attachment = vni.attachmentId == null ? null : state.networkAttachments.get(vni.attachmentId);
        JsonObject target = attachment == null
                ? null
                : Json.object()
                        .put(
                                "href",
                                href("/instances/" + attachment.instanceId + "/network_attachments/" + attachment.id))
                        .put("id", attachment.id)
                        .put("name", attachment.name)
                        .put("resource_type", "instance_network_attachment")
                        .build();
        return Json.object()
                .put("allow_ip_spoofing", vni.allowIpSpoofing)
                .put("auto_delete", vni.autoDelete)
                .put("created_at", vni.createdAt.toString())
                .put("crn", vni.crn)
                .put("enable_infrastructure_nat", vni.enableInfrastructureNat)
                .put("href", href("/virtual_network_interfaces/" + vni.id))
                .put("id", vni.id)
                .put("ips", ips)
                .put("lifecycle_state", vni.lifecycleState)
                .put("mac_address", target == null ? null : vni.macAddress)
                .put("name", vni.name)
                .put("primary_ip", primaryIp(state, vni.primaryIpId))
                .put("resource_group", resourceGroup(state))
                .put("resource_type", "virtual_network_interface")
                .put("security_groups", new JsonArray())
                .put("subnet", subnet == null ? null : subnetReference(subnet))
                .put("target", target)
                .put("vpc", subnet == null ? null : vpcReference(state.vpcs.get(subnet.vpcId)))
                .put("zone", subnet == null ? null : zone(state, subnet.zone))
                .build();
    }

    /** The VNI's IPs: the primary first, then secondaries in binding order. */
    public static List<ReservedIp> ipsOf(SimulatorState state, VirtualNetworkInterface vni) {
        ArrayList<ReservedIp> result = new ArrayList<>();
        ReservedIp primary = state.reservedIps.get(vni.primaryIpId);
        if (primary != null) {
            result.add(primary);
        }
        vni.secondaryIpIds.stream()
                .map(state.reservedIps::get)
                .filter(Objects::nonNull)
                .forEach(result::add);
        return result;
    }

    public static List<FloatingIp> floatingIpsOf(SimulatorState state, String interfaceId) {
        return state.floatingIps.values().stream()
                .filter(fip -> interfaceId.equals(fip.targetId))
                .sorted(Comparator.comparingLong(fip -> fip.sequence))
                .toList();
    }

    // ---- instances ----

    public JsonObject instanceReference(Instance instance) {
        return Json.object()
                .put("crn", instance.crn)
                .put("href", href("/instances/" + instance.id))
                .put("id", instance.id)
                .put("name", instance.name)
                .build();
    }

    public JsonObject instance(SimulatorState state, Instance instance) {
        Json.Obj json = Json.object()
                .put("created_at", instance.createdAt.toString())
                .put("crn", instance.crn)
                .put("href", href("/instances/" + instance.id))
                .put("id", instance.id)
                .put("lifecycle_state", instance.lifecycleState)
                .put(
                        "metadata_service",
                        Json.object()
                                .put("enabled", instance.metadataEnabled)
                                .put("protocol", instance.metadataProtocol)
                                .put("response_hop_limit", instance.metadataHopLimit))
                .put("name", instance.name)
                .put(
                        "profile",
                        Json.object()
                                .put("href", href("/instance/profiles/" + instance.profile))
                                .put("name", instance.profile))
                .put("resource_group", resourceGroup(state))
                .put("resource_type", "instance")
                .put("status", instance.status)
                .put("vpc", vpcReference(state.vpcs.get(instance.vpcId)))
                .put("zone", zone(state, instance.zone));
        JsonArray nics = new JsonArray();
        for (String nicId : instance.networkInterfaceIds) {
            nics.add(networkInterfaceReference(state, state.networkInterfaces.get(nicId)));
        }
        json.put("network_interfaces", nics);
        if (!instance.networkInterfaceIds.isEmpty()) {
            json.put(
                    "primary_network_interface",
                    networkInterfaceReference(state, state.networkInterfaces.get(instance.networkInterfaceIds.get(0))));
        }
        JsonArray attachments = new JsonArray();
        for (String attachmentId : instance.networkAttachmentIds) {
            attachments.add(networkAttachmentReference(state, state.networkAttachments.get(attachmentId)));
        }
        json.put("network_attachments", attachments);
        if (!instance.networkAttachmentIds.isEmpty()) {
            json.put(
                    "primary_network_attachment",
                    networkAttachmentReference(
                            state, state.networkAttachments.get(instance.networkAttachmentIds.get(0))));
        }
        return json.build();
    }

    // ---- floating IPs ----

    public JsonObject floatingIpReference(FloatingIp fip) {
        return Json.object()
                .put("address", fip.address)
                .put("crn", fip.crn)
                .put("href", href("/floating_ips/" + fip.id))
                .put("id", fip.id)
                .put("name", fip.name)
                .build();
    }

    public JsonObject floatingIp(SimulatorState state, FloatingIp fip) {
        return Json.object()
                .put("address", fip.address)
                .put("created_at", fip.createdAt.toString())
                .put("crn", fip.crn)
                .put("href", href("/floating_ips/" + fip.id))
                .put("id", fip.id)
                .put("name", fip.name)
                .put("resource_group", resourceGroup(state))
                .put("status", fip.status)
                .put("target", fip.targetId == null ? null : interfaceReference(state, fip.targetId))
                .put("zone", zone(state, fip.zone))
                .build();
    }

    // ---- load balancers ----

    public JsonObject loadBalancerReference(LoadBalancer lb) {
        return Json.object()
                .put("crn", lb.crn)
                .put("href", href("/load_balancers/" + lb.id))
                .put("id", lb.id)
                .put("name", lb.name)
                .put("resource_type", "load_balancer")
                .build();
    }

    /** Every property IBM's model requires of a load balancer (and {@code vpc}, which it may carry). */
    public JsonObject loadBalancer(SimulatorState state, LoadBalancer lb) {
        JsonArray pools = new JsonArray();
        lb.pools.values().forEach(pool -> pools.add(poolReference(lb, pool)));
        JsonArray listeners = new JsonArray();
        lb.listeners.forEach(listener -> listeners.add(Json.object()
                .put("href", href("/load_balancers/" + lb.id + "/listeners/" + listener.id))
                .put("id", listener.id)
                .build()));
        JsonArray privateIps = new JsonArray();
        lb.privateIpIds.stream()
                .map(state.reservedIps::get)
                .filter(Objects::nonNull)
                .forEach(ip -> privateIps.add(reservedIpReference(ip)));
        JsonArray publicIps = new JsonArray();
        lb.publicAddresses.forEach(
                address -> publicIps.add(Json.object().put("address", address).build()));
        JsonArray subnets = new JsonArray();
        lb.subnetIds.stream()
                .map(state.subnets::get)
                .filter(Objects::nonNull)
                .forEach(subnet -> subnets.add(subnetReference(subnet)));
        boolean network = lb.family().equals("network");
        return Json.object()
                .put("access_mode", lb.isPublic ? "public" : "private")
                .put("availability", lb.profile.equals("network-fixed") ? "subnet" : "region")
                .put("created_at", lb.createdAt.toString())
                .put("crn", lb.crn)
                .put("failsafe_policy_actions", Json.strings(List.of("fail", "forward")))
                .put("hostname", lb.hostname)
                .put("href", href("/load_balancers/" + lb.id))
                .put("id", lb.id)
                .put("instance_groups_supported", !lb.profile.equals("network-fixed"))
                .put("is_private_path", false)
                .put("is_public", lb.isPublic)
                .put("listeners", listeners)
                .put(
                        "logging",
                        Json.object()
                                .put(
                                        "datapath",
                                        Json.object().put("active", false).build())
                                .build())
                .put("name", lb.name)
                .put("operating_status", operatingStatus(lb))
                .put("pools", pools)
                .put("private_ips", privateIps)
                .put(
                        "profile",
                        Json.object()
                                .put("family", lb.family())
                                .put("href", href("/load_balancers/profiles/" + lb.profile))
                                .put("name", lb.profile))
                .put("provisioning_status", provisioningStatus(state, lb))
                .put("public_ips", publicIps)
                .put("resource_group", resourceGroup(state))
                .put("resource_type", "load_balancer")
                .put("route_mode", false)
                .put("security_groups", new JsonArray())
                .put("security_groups_supported", true)
                .put("source_ip_session_persistence_supported", network)
                .put("subnets", subnets)
                .put("udp_supported", network)
                .put("vpc", lb.vpcId == null ? null : vpcReference(state.vpcs.get(lb.vpcId)))
                .build();
    }

    public static String operatingStatus(LoadBalancer lb) {
        return lb.failed ? "offline" : lb.operatingStatus;
    }

    /** {@code failed}, {@code update_pending} (for a while after each change) or {@code active}. */
    public static String provisioningStatus(SimulatorState state, LoadBalancer lb) {
        if (lb.failed) {
            return "failed";
        }
        return lb.pendingUntilNanos != 0 && lb.pendingUntilNanos - state.clock().nanoTime() > 0
                ? "update_pending"
                : "active";
    }

    public JsonObject poolReference(LoadBalancer lb, LoadBalancer.Pool pool) {
        return Json.object()
                .put("href", href("/load_balancers/" + lb.id + "/pools/" + pool.id))
                .put("id", pool.id)
                .put("name", pool.name)
                .build();
    }

    public JsonObject listener(SimulatorState state, LoadBalancer lb, LoadBalancer.Listener listener) {
        LoadBalancer.Pool pool = listener.defaultPoolId == null ? null : lb.pools.get(listener.defaultPoolId);
        return Json.object()
                .put("created_at", listener.createdAt.toString())
                .put("default_pool", pool == null ? null : poolReference(lb, pool))
                .put("href", href("/load_balancers/" + lb.id + "/listeners/" + listener.id))
                .put("id", listener.id)
                .put("port", listener.port)
                .put("protocol", listener.protocol)
                .put("provisioning_status", provisioningStatus(state, lb))
                .build();
    }

    /** Every property IBM's model requires of a pool, with its health monitor. */
    public JsonObject pool(SimulatorState state, LoadBalancer lb, LoadBalancer.Pool pool) {
        JsonArray members = new JsonArray();
        pool.members
                .values()
                .forEach(member -> members.add(Json.object()
                        .put("href", memberHref(lb, pool, member))
                        .put("id", member.id)
                        .build()));
        LoadBalancer.HealthMonitor monitor = pool.healthMonitor;
        return Json.object()
                .put("algorithm", pool.algorithm)
                .put("created_at", pool.createdAt.toString())
                .put(
                        "failsafe_policy",
                        Json.object().put("action", pool.failsafeAction).put("healthy_member_threshold_count", 0))
                .put(
                        "health_monitor",
                        Json.object()
                                .put("delay", monitor.delay)
                                .put("max_retries", monitor.maxRetries)
                                .put("port", monitor.port)
                                .put("timeout", monitor.timeout)
                                .put("type", monitor.type)
                                .put("url_path", "tcp".equals(monitor.type) ? null : monitor.urlPath))
                .put("href", href("/load_balancers/" + lb.id + "/pools/" + pool.id))
                .put("id", pool.id)
                .put("members", members)
                .put("name", pool.name)
                .put("protocol", pool.protocol)
                .put("provisioning_status", provisioningStatus(state, lb))
                .put("proxy_protocol", pool.proxyProtocol)
                .build();
    }

    private String memberHref(LoadBalancer lb, LoadBalancer.Pool pool, LoadBalancer.Member member) {
        return href("/load_balancers/" + lb.id + "/pools/" + pool.id + "/members/" + member.id);
    }

    public JsonObject member(
            SimulatorState state, LoadBalancer lb, LoadBalancer.Pool pool, LoadBalancer.Member member) {
        JsonObject target;
        Instance instance = member.targetInstanceId == null ? null : state.instances.get(member.targetInstanceId);
        if (instance != null) {
            target = instanceReference(instance);
        } else {
            target = Json.object().put("address", member.targetAddress).build();
        }
        String status = "active".equals(provisioningStatus(state, lb)) ? "active" : member.provisioningStatus;
        return Json.object()
                .put("created_at", member.createdAt.toString())
                .put("health", member.health)
                .put("href", memberHref(lb, pool, member))
                .put("id", member.id)
                .put("port", member.port)
                .put("provisioning_status", status)
                .put("target", target)
                .put("weight", member.weight)
                .build();
    }

    // ---- public address ranges ----

    /** A public address range, with {@code target} only when bound. */
    public JsonObject publicAddressRange(SimulatorState state, PublicAddressRange range) {
        Vpc vpc = range.vpcId == null ? null : state.vpcs.get(range.vpcId);
        JsonObject target = vpc == null
                ? null
                : Json.object()
                        .put("vpc", vpcReference(vpc))
                        .put("zone", zone(state, range.zone))
                        .build();
        return Json.object()
                .put("cidr", range.cidr.toString())
                .put("created_at", range.createdAt.toString())
                .put("crn", range.crn)
                .put("href", href("/public_address_ranges/" + range.id))
                .put("id", range.id)
                .put("ipv4_address_count", range.cidr.size())
                .put("lifecycle_state", range.lifecycleState)
                .put("name", range.name)
                .put("resource_group", resourceGroup(state))
                .put("resource_type", "public_address_range")
                .put("target", target)
                .build();
    }
}
