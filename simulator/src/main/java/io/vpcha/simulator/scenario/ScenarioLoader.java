package io.vpcha.simulator.scenario;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.vpcha.simulator.fault.FaultRule;
import io.vpcha.simulator.fault.Faults;
import io.vpcha.simulator.http.ApiException;
import io.vpcha.simulator.http.Json;
import io.vpcha.simulator.state.Behaviour;
import io.vpcha.simulator.state.FloatingIp;
import io.vpcha.simulator.state.Instance;
import io.vpcha.simulator.state.Ipv4;
import io.vpcha.simulator.state.LoadBalancer;
import io.vpcha.simulator.state.NetworkAttachment;
import io.vpcha.simulator.state.NetworkInterface;
import io.vpcha.simulator.state.Principal;
import io.vpcha.simulator.state.PublicAddressRange;
import io.vpcha.simulator.state.ReservedIp;
import io.vpcha.simulator.state.Route;
import io.vpcha.simulator.state.RoutingTable;
import io.vpcha.simulator.state.SimulatorState;
import io.vpcha.simulator.state.Subnet;
import io.vpcha.simulator.state.VirtualNetworkInterface;
import io.vpcha.simulator.state.Vpc;
import io.vpcha.simulator.vpc.Seeding;
import java.util.ArrayList;
import java.util.List;

/** Seeds a {@link SimulatorState} from a {@link Scenario}; references between objects are by name. */
public final class ScenarioLoader {
    private final SimulatorState state;
    private final Behaviour behaviour;
    private final Faults faults;

    public ScenarioLoader(SimulatorState state, Behaviour behaviour, Faults faults) {
        this.state = state;
        this.behaviour = behaviour;
        this.faults = faults;
    }

    /** Replaces the whole state with the scenario's; throws IllegalArgumentException naming the problem. */
    public void load(Scenario scenario) {
        JsonObject root = scenario.json();
        String idSeed = stringOr(root, "id_seed", scenario.name());
        try {
            // One critical section: a concurrent request sees the old state or the new one, never a mix.
            state.update(s -> {
                s.clear(idSeed);
                seed(s, root);
            });
        } catch (ApiException e) {
            throw new IllegalArgumentException(
                    "scenario " + scenario.name() + ": " + e.getMessage()
                            + (e.targetValue() != null ? " (" + e.targetName() + "=" + e.targetValue() + ")" : ""),
                    e);
        }
        if (root.has("faults")) {
            for (JsonElement fault : root.getAsJsonArray("faults")) {
                faults.add(FaultRule.fromJson(fault.getAsJsonObject()));
            }
        }
    }

    private void seed(SimulatorState s, JsonObject root) {
        s.setRegion(stringOr(root, "region", "us-south"));
        if (root.has("account_id")) {
            s.setAccountId(root.get("account_id").getAsString());
        }
        JsonObject group = Json.objectField(root, "resource_group");
        if (group != null) {
            s.setResourceGroup(stringOr(group, "id", s.resourceGroupId()), stringOr(group, "name", "default"));
        }
        List<String> zones = new ArrayList<>();
        if (root.has("zones")) {
            root.getAsJsonArray("zones").forEach(zone -> zones.add(zone.getAsString()));
        } else {
            for (int i = 1; i <= 3; i++) {
                zones.add(s.region() + "-" + i);
            }
        }
        s.zones().addAll(zones);
        if (root.has("behaviour")) {
            applyBehaviour(root.getAsJsonObject("behaviour"));
        }
        for (JsonElement vpc : array(root, "vpcs")) {
            seedVpc(s, vpc.getAsJsonObject());
        }
        for (JsonElement key : array(root, "api_keys")) {
            seedApiKey(s, key.getAsJsonObject());
        }
        for (JsonElement profile : array(root, "trusted_profiles")) {
            seedProfile(s, profile.getAsJsonObject());
        }
        for (JsonElement instance : array(root, "instances")) {
            seedInstance(s, instance.getAsJsonObject());
        }
        for (JsonElement profile : array(root, "trusted_profiles")) {
            linkProfile(s, profile.getAsJsonObject());
        }
        for (JsonElement ip : array(root, "reserved_ips")) {
            JsonObject json = ip.getAsJsonObject();
            Subnet subnet = subnet(s, required(json, "subnet"));
            Seeding.reserve(
                    s,
                    subnet,
                    Json.string(json, "address"),
                    Json.string(json, "name"),
                    boolOr(json, "auto_delete", false));
        }
        for (JsonElement fip : array(root, "floating_ips")) {
            seedFloatingIp(s, fip.getAsJsonObject());
        }
        for (JsonElement lb : array(root, "load_balancers")) {
            seedLoadBalancer(s, lb.getAsJsonObject());
        }
        for (JsonElement range : array(root, "public_address_ranges")) {
            seedPublicAddressRange(s, range.getAsJsonObject());
        }
    }

    private void applyBehaviour(JsonObject json) {
        for (String field : json.keySet()) {
            behaviour.set(field, json.get(field));
        }
    }

    private void seedVpc(SimulatorState s, JsonObject json) {
        Vpc vpc = new Vpc();
        vpc.name = required(json, "name");
        vpc.id = stringOr(json, "id", s.ids().regional("vpc"));
        vpc.crn = s.crn(s.region(), "vpc", vpc.id);
        s.stamp(vpc);
        s.vpcs.put(vpc.id, vpc);

        JsonObject defaultJson = Json.objectField(json, "default_routing_table");
        RoutingTable defaultTable =
                newTable(s, vpc, defaultJson == null ? new JsonObject() : defaultJson, vpc.name + "-default");
        defaultTable.isDefault = true;
        vpc.defaultRoutingTableId = defaultTable.id;
        s.routingTables.put(defaultTable.id, defaultTable);
        List<JsonObject> tableJson = new ArrayList<>();
        List<RoutingTable> tables = new ArrayList<>();
        for (JsonElement element : array(json, "routing_tables")) {
            JsonObject t = element.getAsJsonObject();
            RoutingTable table = newTable(s, vpc, t, null);
            s.routingTables.put(table.id, table);
            tableJson.add(t);
            tables.add(table);
        }
        for (JsonElement element : array(json, "subnets")) {
            JsonObject subnetJson = element.getAsJsonObject();
            Subnet subnet = new Subnet();
            subnet.name = required(subnetJson, "name");
            subnet.vpcId = vpc.id;
            subnet.zone = zone(s, required(subnetJson, "zone"));
            subnet.cidr = Ipv4.Cidr.parse(required(subnetJson, "cidr"));
            subnet.id = stringOr(subnetJson, "id", s.ids().zonal("subnet", s.zoneIndex(subnet.zone)));
            subnet.crn = s.crn(subnet.zone, "subnet", subnet.id);
            String tableName = Json.string(subnetJson, "routing_table");
            subnet.routingTableId = tableName == null ? defaultTable.id : table(s, vpc, tableName).id;
            s.stamp(subnet);
            s.subnets.put(subnet.id, subnet);
            if (behaviour.providerReservedIps) {
                Seeding.reserveProviderAddresses(s, subnet);
            }
        }
        for (RoutingTable table : tables) {
            Seeding.checkIngressFlags(s, table);
        }
        if (defaultJson != null) {
            seedRoutes(s, defaultTable, defaultJson);
        }
        for (int i = 0; i < tables.size(); i++) {
            seedRoutes(s, tables.get(i), tableJson.get(i));
        }
    }

    private RoutingTable newTable(SimulatorState s, Vpc vpc, JsonObject json, String defaultName) {
        RoutingTable table = new RoutingTable();
        table.vpcId = vpc.id;
        table.name = defaultName != null ? stringOr(json, "name", defaultName) : required(json, "name");
        table.id = stringOr(json, "id", s.ids().regional("routing_table"));
        table.crn = s.crn(s.region(), "routing-table", table.id);
        table.routeDirectLinkIngress = boolOr(json, "route_direct_link_ingress", false);
        table.routeInternetIngress = boolOr(json, "route_internet_ingress", false);
        table.routeTransitGatewayIngress = boolOr(json, "route_transit_gateway_ingress", false);
        table.routeVpcZoneIngress = boolOr(json, "route_vpc_zone_ingress", false);
        for (JsonElement source : array(json, "accept_routes_from")) {
            table.acceptRoutesFrom.add(source.getAsString());
        }
        for (JsonElement target : array(json, "advertise_routes_to")) {
            table.advertiseRoutesTo.add(target.getAsString());
        }
        return s.stamp(table);
    }

    private void seedRoutes(SimulatorState s, RoutingTable table, JsonObject json) {
        for (JsonElement element : array(json, "routes")) {
            JsonObject routeJson = element.getAsJsonObject();
            Route route = new Route();
            route.routingTableId = table.id;
            route.name = required(routeJson, "name");
            route.id = stringOr(routeJson, "id", s.ids().regional("route"));
            route.zone = zone(s, required(routeJson, "zone"));
            route.destination = Ipv4.Cidr.parse(required(routeJson, "destination"));
            if (!route.destination.isNetworkAddress()) {
                throw new IllegalArgumentException("route " + route.name + ": destination host bits must be zero");
            }
            route.action = stringOr(routeJson, "action", "deliver");
            route.nextHop = Json.string(routeJson, "next_hop");
            if ("deliver".equals(route.action)
                    && (route.nextHop == null || !Ipv4.isValid(route.nextHop) || route.nextHop.equals("0.0.0.0"))) {
                throw new IllegalArgumentException(
                        "route " + route.name + ": a deliver route needs a next_hop address");
            }
            route.priority =
                    routeJson.has("priority") ? routeJson.get("priority").getAsInt() : 2;
            route.origin = stringOr(routeJson, "origin", "user");
            route.advertise = boolOr(routeJson, "advertise", false);
            route.creator = Json.string(routeJson, "creator");
            if (table.routes.values().stream().anyMatch(r -> r.name.equals(route.name))) {
                throw new IllegalArgumentException("route name " + route.name + " is used twice in " + table.name);
            }
            Seeding.addRoute(s, table, route, behaviour);
        }
    }

    private void seedApiKey(SimulatorState s, JsonObject json) {
        Principal key = new Principal();
        key.kind = Principal.Kind.API_KEY;
        key.name = required(json, "name");
        key.secret = required(json, "key");
        key.id = stringOr(json, "id", "ServiceId-" + s.ids().uuid("apikey"));
        for (JsonElement rule : array(json, "deny")) {
            key.deny.add(rule.getAsString());
        }
        s.principals.put(key.id, key);
    }

    private void seedProfile(SimulatorState s, JsonObject json) {
        Principal profile = new Principal();
        profile.kind = Principal.Kind.TRUSTED_PROFILE;
        profile.name = required(json, "name");
        profile.id = stringOr(json, "id", "Profile-" + s.ids().uuid("profile"));
        profile.crn = stringOr(
                json, "crn", "crn:v1:bluemix:public:iam-identity::a/" + s.accountId() + "::profile:" + profile.id);
        for (JsonElement rule : array(json, "deny")) {
            profile.deny.add(rule.getAsString());
        }
        s.principals.put(profile.id, profile);
    }

    private void linkProfile(SimulatorState s, JsonObject json) {
        Principal profile = s.principals.values().stream()
                .filter(p -> p.kind == Principal.Kind.TRUSTED_PROFILE
                        && p.name.equals(json.get("name").getAsString()))
                .findFirst()
                .orElseThrow();
        for (JsonElement name : array(json, "linked_instances")) {
            Instance instance = instance(s, name.getAsString());
            if (!profile.linkedInstanceIds.contains(instance.id)) {
                profile.linkedInstanceIds.add(instance.id);
            }
        }
    }

    private void seedInstance(SimulatorState s, JsonObject json) {
        Instance instance = new Instance();
        instance.name = required(json, "name");
        String vpcName = Json.string(json, "vpc");
        Vpc vpc = vpcName == null
                ? s.vpcs.values().stream().findFirst().orElseThrow(() -> new IllegalArgumentException("no VPC"))
                : SimulatorState.byIdOrName(s.vpcs, vpcName)
                        .orElseThrow(() -> new IllegalArgumentException("unknown VPC " + vpcName));
        instance.vpcId = vpc.id;
        instance.zone = zone(s, required(json, "zone"));
        instance.id = stringOr(json, "id", s.ids().instance(s.zoneIndex(instance.zone)));
        instance.crn = s.crn(instance.zone, "instance", instance.id);
        instance.status = stringOr(json, "status", "running");
        instance.profile = stringOr(json, "profile", "bx2-2x8");
        JsonObject metadata = Json.objectField(json, "metadata_service");
        if (metadata != null) {
            instance.metadataEnabled = boolOr(metadata, "enabled", true);
            instance.metadataProtocol = stringOr(metadata, "protocol", "http");
        }
        s.stamp(instance);
        s.instances.put(instance.id, instance);
        String profileName = Json.string(json, "trusted_profile");
        if (profileName != null) {
            Principal profile = s.principals.values().stream()
                    .filter(p -> p.kind == Principal.Kind.TRUSTED_PROFILE
                            && (p.name.equals(profileName) || p.id.equals(profileName)))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown trusted profile " + profileName));
            instance.defaultTrustedProfileId = profile.id;
            profile.linkedInstanceIds.add(instance.id);
        }
        boolean first = true;
        for (JsonElement element : array(json, "network_interfaces")) {
            JsonObject nicJson = element.getAsJsonObject();
            NetworkInterface nic = new NetworkInterface();
            nic.instanceId = instance.id;
            nic.name = stringOr(nicJson, "name", "eth" + instance.networkInterfaceIds.size());
            Subnet subnet = subnet(s, required(nicJson, "subnet"));
            requireZone(instance, subnet);
            nic.subnetId = subnet.id;
            nic.id = stringOr(nicJson, "id", s.ids().zonal("network_interface", s.zoneIndex(subnet.zone)));
            nic.allowIpSpoofing = boolOr(nicJson, "allow_ip_spoofing", false);
            nic.primary = first;
            first = false;
            ReservedIp ip = Seeding.reserve(s, subnet, Json.string(nicJson, "address"), null, true);
            ip.owner = "provider";
            ip.targetId = nic.id;
            nic.primaryIpId = ip.id;
            s.stamp(nic);
            s.networkInterfaces.put(nic.id, nic);
            instance.networkInterfaceIds.add(nic.id);
        }
        first = true;
        for (JsonElement element : array(json, "network_attachments")) {
            JsonObject attachmentJson = element.getAsJsonObject();
            JsonObject vniJson = Json.objectField(attachmentJson, "virtual_network_interface");
            if (vniJson == null) {
                throw new IllegalArgumentException(
                        "network attachment of " + instance.name + " needs a virtual_network_interface");
            }
            Subnet subnet = subnet(s, required(vniJson, "subnet"));
            requireZone(instance, subnet);
            VirtualNetworkInterface vni = new VirtualNetworkInterface();
            vni.name = stringOr(vniJson, "name", instance.name + "-vni" + instance.networkAttachmentIds.size());
            vni.subnetId = subnet.id;
            vni.id = stringOr(vniJson, "id", s.ids().zonal("virtual_network_interface", s.zoneIndex(subnet.zone)));
            vni.crn = s.crn(subnet.zone, "virtual-network-interface", vni.id);
            vni.allowIpSpoofing = boolOr(vniJson, "allow_ip_spoofing", false);
            vni.enableInfrastructureNat = boolOr(vniJson, "enable_infrastructure_nat", true);
            vni.autoDelete = boolOr(vniJson, "auto_delete", true);
            vni.macAddress = stringOr(vniJson, "mac_address", VirtualNetworkInterface.macAddressFor(vni.id));
            ReservedIp primary = Seeding.reserve(s, subnet, Json.string(vniJson, "address"), null, true);
            primary.targetId = vni.id;
            vni.primaryIpId = primary.id;
            for (JsonElement secondary : array(vniJson, "secondary_ips")) {
                JsonObject ipJson =
                        secondary.isJsonObject() ? secondary.getAsJsonObject() : addressOnly(secondary.getAsString());
                ReservedIp ip = Seeding.reserve(
                        s,
                        subnet,
                        Json.string(ipJson, "address"),
                        Json.string(ipJson, "name"),
                        boolOr(ipJson, "auto_delete", false));
                ip.targetId = vni.id;
                vni.secondaryIpIds.add(ip.id);
            }
            NetworkAttachment attachment = new NetworkAttachment();
            attachment.name = stringOr(attachmentJson, "name", "attachment-" + instance.networkAttachmentIds.size());
            attachment.id =
                    stringOr(attachmentJson, "id", s.ids().zonal("network_attachment", s.zoneIndex(subnet.zone)));
            attachment.instanceId = instance.id;
            attachment.virtualNetworkInterfaceId = vni.id;
            attachment.primary = first;
            first = false;
            vni.attachmentId = attachment.id;
            s.stamp(vni);
            s.stamp(attachment);
            s.virtualNetworkInterfaces.put(vni.id, vni);
            s.networkAttachments.put(attachment.id, attachment);
            instance.networkAttachmentIds.add(attachment.id);
        }
        if (!instance.networkInterfaceIds.isEmpty() && !instance.networkAttachmentIds.isEmpty()) {
            throw new IllegalArgumentException(
                    "instance " + instance.name + " has both network interfaces and network attachments");
        }
    }

    private static JsonObject addressOnly(String address) {
        JsonObject json = new JsonObject();
        json.addProperty("address", address);
        return json;
    }

    private static void requireZone(Instance instance, Subnet subnet) {
        if (!subnet.zone.equals(instance.zone)) {
            throw new IllegalArgumentException("instance " + instance.name + " is in " + instance.zone + " but subnet "
                    + subnet.name + " is in " + subnet.zone);
        }
    }

    private void seedFloatingIp(SimulatorState s, JsonObject json) {
        String target = Json.string(json, "target");
        String interfaceId = target == null ? null : interfaceByReference(s, target);
        String zone = Json.string(json, "zone");
        if (zone == null) {
            if (interfaceId == null) {
                throw new IllegalArgumentException("floating IP " + json + " needs a zone or a target");
            }
            zone = s.zoneOfInterface(interfaceId).orElseThrow();
        }
        FloatingIp fip = Seeding.allocateFloatingIp(s, zone(s, zone), Json.string(json, "name"));
        String address = Json.string(json, "address");
        if (address != null) {
            if (!Ipv4.isValid(address)) {
                throw new IllegalArgumentException("floating IP address " + address + " is not IPv4");
            }
            fip.address = address;
        }
        if (json.has("id")) {
            s.floatingIps.remove(fip.id);
            fip.id = json.get("id").getAsString();
            s.floatingIps.put(fip.id, fip);
        }
        if (interfaceId != null) {
            Seeding.checkBindable(s, fip, interfaceId);
            fip.targetId = interfaceId;
        }
    }

    /** "instance/nic-name", a NIC or VNI name, or an id. */
    private static String interfaceByReference(SimulatorState s, String reference) {
        int slash = reference.indexOf('/');
        if (slash > 0) {
            Instance instance = instance(s, reference.substring(0, slash));
            String nicName = reference.substring(slash + 1);
            for (String id : s.interfaceIdsOf(instance)) {
                NetworkInterface nic = s.networkInterfaces.get(id);
                VirtualNetworkInterface vni = s.virtualNetworkInterfaces.get(id);
                if ((nic != null && nic.name.equals(nicName)) || (vni != null && vni.name.equals(nicName))) {
                    return id;
                }
                if (vni != null
                        && s.networkAttachments.get(vni.attachmentId).name.equals(nicName)) {
                    return id;
                }
            }
            throw new IllegalArgumentException("instance " + instance.name + " has no interface " + nicName);
        }
        return SimulatorState.byIdOrName(s.networkInterfaces, reference)
                .map(nic -> nic.id)
                .or(() -> SimulatorState.byIdOrName(s.virtualNetworkInterfaces, reference)
                        .map(vni -> vni.id))
                .or(() -> SimulatorState.byIdOrName(s.instances, reference)
                        .map(instance -> s.interfaceIdsOf(instance).get(0)))
                .orElseThrow(() -> new IllegalArgumentException("unknown interface " + reference));
    }

    private void seedLoadBalancer(SimulatorState s, JsonObject json) {
        LoadBalancer lb = new LoadBalancer();
        lb.name = required(json, "name");
        lb.id = stringOr(json, "id", s.ids().regional("load_balancer"));
        lb.crn = s.crn(s.region(), "load-balancer", lb.id);
        String vpcName = Json.string(json, "vpc");
        Vpc vpc = vpcName == null
                ? s.vpcs.values().stream().findFirst().orElse(null)
                : SimulatorState.byIdOrName(s.vpcs, vpcName)
                        .orElseThrow(() -> new IllegalArgumentException("unknown VPC " + vpcName));
        lb.vpcId = vpc == null ? null : vpc.id;
        lb.isPublic = boolOr(json, "is_public", false);
        lb.profile = stringOr(json, "profile", "network-fixed");
        if (!List.of("network-fixed", "dynamic").contains(lb.profile)) {
            throw new IllegalArgumentException(
                    "load balancer " + lb.name + ": profile must be network-fixed or dynamic, not " + lb.profile);
        }
        lb.hostname = lb.id.substring(5, 13) + "-" + s.region() + ".lb.appdomain.cloud";
        lb.failed = "failed".equals(Json.string(json, "provisioning_status"));
        if ("update_pending".equals(Json.string(json, "provisioning_status"))) {
            lb.pendingUntilNanos = s.clock().nanoTime() + Math.max(1, behaviour.loadBalancerUpdateMillis) * 1_000_000L;
        }
        s.stamp(lb);
        seedLoadBalancerAddresses(s, lb, vpc, json);
        for (JsonElement element : array(json, "pools")) {
            JsonObject poolJson = element.getAsJsonObject();
            LoadBalancer.Pool pool = new LoadBalancer.Pool();
            pool.name = required(poolJson, "name");
            pool.id = stringOr(poolJson, "id", s.ids().regional("pool"));
            pool.algorithm = stringOr(poolJson, "algorithm", "round_robin");
            pool.protocol = stringOr(poolJson, "protocol", "tcp");
            pool.proxyProtocol = stringOr(poolJson, "proxy_protocol", "disabled");
            pool.failsafeAction = stringOr(poolJson, "failsafe_policy", "fail");
            JsonObject monitor = Json.objectField(poolJson, "health_monitor");
            if (monitor != null) {
                Seeding.applyHealthMonitor(monitor, pool.healthMonitor);
            }
            s.stamp(pool);
            for (JsonElement memberElement : array(poolJson, "members")) {
                JsonObject memberJson = memberElement.getAsJsonObject();
                LoadBalancer.Member member = new LoadBalancer.Member();
                member.id = s.ids().regional("member");
                member.port = memberJson.get("port").getAsInt();
                member.weight =
                        memberJson.has("weight") ? memberJson.get("weight").getAsInt() : 50;
                member.health = stringOr(memberJson, "health", "ok");
                String target = required(memberJson, "target");
                if (Ipv4.isValid(target)) {
                    member.targetAddress = target;
                } else {
                    member.targetInstanceId = instance(s, target).id;
                }
                s.stamp(member);
                pool.members.put(member.id, member);
            }
            lb.pools.put(pool.id, pool);
        }
        for (JsonElement element : array(json, "listeners")) {
            JsonObject listenerJson = element.getAsJsonObject();
            LoadBalancer.Listener listener = new LoadBalancer.Listener();
            listener.id = s.ids().regional("listener");
            listener.port = listenerJson.get("port").getAsInt();
            listener.protocol = stringOr(listenerJson, "protocol", "tcp");
            String poolName = Json.string(listenerJson, "default_pool");
            if (poolName != null) {
                listener.defaultPoolId = lb.pools.values().stream()
                        .filter(pool -> pool.name.equals(poolName) || pool.id.equals(poolName))
                        .findFirst()
                        .orElseThrow(() ->
                                new IllegalArgumentException("listener of " + lb.name + ": unknown pool " + poolName))
                        .id;
            }
            lb.listeners.add(s.stamp(listener));
        }
        s.loadBalancers.put(lb.id, lb);
    }

    /** Subnets (default: the VPC's first), one private IP in each (given or chosen), public IPs if public. */
    private static void seedLoadBalancerAddresses(SimulatorState s, LoadBalancer lb, Vpc vpc, JsonObject json) {
        List<Subnet> subnets = new ArrayList<>();
        for (JsonElement name : array(json, "subnets")) {
            subnets.add(subnet(s, name.getAsString()));
        }
        if (subnets.isEmpty() && vpc != null) {
            s.subnets.values().stream()
                    .filter(subnet -> subnet.vpcId.equals(vpc.id))
                    .findFirst()
                    .ifPresent(subnets::add);
        }
        JsonArray addresses = array(json, "private_ips");
        for (int i = 0; i < subnets.size(); i++) {
            Subnet subnet = subnets.get(i);
            lb.subnetIds.add(subnet.id);
            String address = i < addresses.size() ? addresses.get(i).getAsString() : null;
            ReservedIp ip = Seeding.reserve(s, subnet, address, lb.name + "-" + (i + 1), false);
            ip.owner = "provider";
            ip.targetId = lb.id;
            lb.privateIpIds.add(ip.id);
        }
        for (JsonElement address : array(json, "public_ips")) {
            lb.publicAddresses.add(address.getAsString());
        }
    }

    private void seedPublicAddressRange(SimulatorState s, JsonObject json) {
        PublicAddressRange range = new PublicAddressRange();
        range.name = required(json, "name");
        range.id = stringOr(json, "id", s.ids().regional("public_address_range"));
        range.crn = s.crn(s.region(), "public-address-range", range.id);
        String cidr = Json.string(json, "cidr");
        if (cidr != null) {
            range.cidr = Ipv4.Cidr.parse(cidr);
        } else {
            int count = json.has("ipv4_address_count")
                    ? json.get("ipv4_address_count").getAsInt()
                    : 1;
            range.cidr = nextPublicBlock(s, count);
        }
        if (range.cidr.prefixLength() < 28 || !range.cidr.isNetworkAddress()) {
            throw new IllegalArgumentException("public address range " + range.name
                    + ": a range holds 1, 2, 4, 8 or 16 addresses (/32 to /28) and starts at its network address");
        }
        boolean overlaps = s.publicAddressRanges.values().stream()
                .anyMatch(other ->
                        other.cidr.contains(range.cidr.network()) || range.cidr.contains(other.cidr.network()));
        if (overlaps) {
            throw new IllegalArgumentException("public address range " + range.name + " overlaps another");
        }
        JsonObject target = Json.objectField(json, "target");
        if (target != null) {
            String vpcName = required(target, "vpc");
            range.vpcId = SimulatorState.byIdOrName(s.vpcs, vpcName)
                    .orElseThrow(() -> new IllegalArgumentException("unknown VPC " + vpcName))
                    .id;
            range.zone = zone(s, required(target, "zone"));
        }
        range.lifecycleState = stringOr(json, "lifecycle_state", "stable");
        s.stamp(range);
        s.publicAddressRanges.put(range.id, range);
    }

    /** The next free aligned block of {@code count} addresses in the simulator's public pool 150.240.0.0/16. */
    private static Ipv4.Cidr nextPublicBlock(SimulatorState s, int count) {
        if (Integer.bitCount(count) != 1 || count > 16) {
            throw new IllegalArgumentException("ipv4_address_count must be 1, 2, 4, 8 or 16: " + count);
        }
        int prefix = 32 - Integer.numberOfTrailingZeros(count);
        int base = Ipv4.parse("150.240.0.0");
        for (int candidate = base; candidate < base + 65536; candidate += count) {
            int start = candidate;
            boolean taken = s.publicAddressRanges.values().stream()
                    .anyMatch(other ->
                            other.cidr.contains(start) || new Ipv4.Cidr(start, prefix).contains(other.cidr.network()));
            if (!taken) {
                return new Ipv4.Cidr(start, prefix);
            }
        }
        throw new IllegalArgumentException("no free public address block");
    }

    // ---- helpers ----

    private static String zone(SimulatorState s, String zone) {
        if (!s.zones().contains(zone)) {
            throw new IllegalArgumentException("unknown zone " + zone + "; the scenario's zones are " + s.zones());
        }
        return zone;
    }

    private static RoutingTable table(SimulatorState s, Vpc vpc, String name) {
        return s.routingTables.values().stream()
                .filter(t -> t.vpcId.equals(vpc.id) && (t.name.equals(name) || t.id.equals(name)))
                .findFirst()
                .orElseThrow(
                        () -> new IllegalArgumentException("unknown routing table " + name + " in VPC " + vpc.name));
    }

    private static Subnet subnet(SimulatorState s, String name) {
        return SimulatorState.byIdOrName(s.subnets, name)
                .orElseThrow(() -> new IllegalArgumentException("unknown subnet " + name));
    }

    private static Instance instance(SimulatorState s, String name) {
        return SimulatorState.byIdOrName(s.instances, name)
                .orElseThrow(() -> new IllegalArgumentException("unknown instance " + name));
    }

    private static JsonArray array(JsonObject json, String field) {
        JsonElement element = json.get(field);
        return element != null && element.isJsonArray() ? element.getAsJsonArray() : new JsonArray();
    }

    private static String required(JsonObject json, String field) {
        JsonElement element = json.get(field);
        if (element == null || element.isJsonNull()) {
            throw new IllegalArgumentException("missing '" + field + "' in " + json);
        }
        return element.getAsString();
    }

    private static String stringOr(JsonObject json, String field, String fallback) {
        JsonElement element = json.get(field);
        return element == null || element.isJsonNull() ? fallback : element.getAsString();
    }

    private static boolean boolOr(JsonObject json, String field, boolean fallback) {
        JsonElement element = json.get(field);
        return (element == null || element.isJsonNull()) ? fallback : element.getAsBoolean();
    }
}
