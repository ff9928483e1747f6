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
import io.vpcha.simulator.state.FloatingIp;
import io.vpcha.simulator.state.Instance;
import io.vpcha.simulator.state.NetworkAttachment;
import io.vpcha.simulator.state.NetworkInterface;
import io.vpcha.simulator.state.ReservedIp;
import io.vpcha.simulator.state.SimulatorState;
import io.vpcha.simulator.state.VirtualNetworkInterface;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Instances, their network interfaces and attachments, and virtual network interfaces. */
final class InstanceHandlers {
    private final SimulatorState state;
    private final VpcJson json;
    private final Pagination pagination;
    private final Behaviour behaviour;

    InstanceHandlers(SimulatorState state, VpcJson json, Pagination pagination, Behaviour behaviour) {
        this.state = state;
        this.json = json;
        this.pagination = pagination;
        this.behaviour = behaviour;
    }

    void register(Router router) {
        String nics = "/v1/instances/{instance_id}/network_interfaces";
        String vnis = "/v1/virtual_network_interfaces";
        router.add("GET", "/v1/instances", this::listInstances)
                .add("GET", "/v1/instances/{id}", this::getInstance)
                .add("PATCH", "/v1/instances/{id}", this::patchInstance)
                .add("POST", "/v1/instances/{instance_id}/actions", this::createAction)
                .add("GET", nics, this::listNics)
                .add("GET", nics + "/{id}", this::getNic)
                .add("PATCH", nics + "/{id}", this::patchNic)
                .add("GET", nics + "/{network_interface_id}/floating_ips", this::listNicFloatingIps)
                .add("GET", nics + "/{network_interface_id}/floating_ips/{id}", this::getNicFloatingIp)
                .add("PUT", nics + "/{network_interface_id}/floating_ips/{id}", this::addNicFloatingIp)
                .add("DELETE", nics + "/{network_interface_id}/floating_ips/{id}", this::removeNicFloatingIp)
                .add("GET", "/v1/instances/{instance_id}/network_attachments", this::listAttachments)
                .add("GET", "/v1/instances/{instance_id}/network_attachments/{id}", this::getAttachment)
                .add("GET", vnis, this::listVnis)
                .add("GET", vnis + "/{id}", this::getVni)
                .add("PATCH", vnis + "/{id}", this::patchVni)
                .add("GET", vnis + "/{virtual_network_interface_id}/ips", this::listVniIps)
                .add("GET", vnis + "/{virtual_network_interface_id}/ips/{id}", this::getVniIp)
                .add("PUT", vnis + "/{virtual_network_interface_id}/ips/{id}", this::addVniIp)
                .add("DELETE", vnis + "/{virtual_network_interface_id}/ips/{id}", this::removeVniIp)
                .add("GET", vnis + "/{virtual_network_interface_id}/floating_ips", this::listVniFloatingIps)
                .add("GET", vnis + "/{virtual_network_interface_id}/floating_ips/{id}", this::getVniFloatingIp)
                .add("PUT", vnis + "/{virtual_network_interface_id}/floating_ips/{id}", this::addVniFloatingIp)
                .add("DELETE", vnis + "/{virtual_network_interface_id}/floating_ips/{id}", this::removeVniFloatingIp);
    }

    // ---- lookups ----

    private static Instance instance(SimulatorState s, String id) {
        Instance instance = s.instances.get(id);
        if (instance == null) {
            throw ApiException.notFound("Instance", id);
        }
        return instance;
    }

    private static NetworkInterface nic(SimulatorState s, String instanceId, String id) {
        instance(s, instanceId);
        NetworkInterface nic = s.networkInterfaces.get(id);
        if (nic == null || !nic.instanceId.equals(instanceId)) {
            throw ApiException.notFound("Network interface", id);
        }
        return nic;
    }

    private static VirtualNetworkInterface vni(SimulatorState s, String id) {
        VirtualNetworkInterface vni = s.virtualNetworkInterfaces.get(id);
        if (vni == null) {
            throw ApiException.notFound("Virtual network interface", id);
        }
        return vni;
    }

    // ---- instances ----

    private Response listInstances(Request request) {
        Map<String, String> filters = new LinkedHashMap<>();
        for (String name : List.of("vpc.id", "vpc.name", "name")) {
            if (request.query(name) != null) {
                filters.put(name, request.query(name));
            }
        }
        return state.read(s -> {
            List<Instance> instances = s.instances.values().stream()
                    .filter(i -> !filters.containsKey("vpc.id") || i.vpcId.equals(filters.get("vpc.id")))
                    .filter(i -> !filters.containsKey("vpc.name")
                            || s.vpcs.get(i.vpcId).name.equals(filters.get("vpc.name")))
                    .filter(i -> !filters.containsKey("name") || i.name.equals(filters.get("name")))
                    .toList();
            return Response.ok(pagination.page(
                    request, json.href("/instances"), filters, "instances", instances, i -> json.instance(s, i)));
        });
    }

    private Response getInstance(Request request) {
        return state.read(s -> {
            Instance instance = instance(s, request.pathParameter("id"));
            return Response.ok(json.instance(s, instance)).etag(instance.etag());
        });
    }

    private Response patchInstance(Request request) {
        JsonObject body = request.jsonBody();
        Checks.onlyFields(body, Set.of("name", "metadata_service"), "an instance");
        return state.write(s -> {
            Instance instance = instance(s, request.pathParameter("id"));
            request.checkIfMatch(instance.etag());
            String name = Checks.name(body, "name");
            if (name != null) {
                instance.name = name;
            }
            JsonObject metadata = Json.objectField(body, "metadata_service");
            if (metadata != null) {
                Boolean enabled = Json.bool(metadata, "enabled");
                if (enabled != null) {
                    instance.metadataEnabled = enabled;
                }
                String protocol = Json.string(metadata, "protocol");
                if (protocol != null) {
                    instance.metadataProtocol = protocol;
                }
            }
            instance.touch();
            return Response.ok(json.instance(s, instance)).etag(instance.etag());
        });
    }

    /**
     * {@code POST /instances/{id}/actions} {@code {"type":"start|stop|reboot","force":bool}}: 201 with the
     * action; the instance goes through its transitional status to the final one (see PowerActions).
     */
    private Response createAction(Request request) {
        JsonObject body = request.jsonBody();
        Checks.onlyFields(body, Set.of("type", "force"), "an instance action");
        String type = Json.string(body, "type");
        if (type == null) {
            throw ApiException.badField("type", "The field 'type' is required", null);
        }
        if (!Set.of("start", "stop", "reboot").contains(type)) {
            throw ApiException.invalidValue("type", "The action type must be start, stop or reboot", type);
        }
        Boolean forceValue = Json.bool(body, "force");
        boolean force = forceValue != null && forceValue;
        return state.write(s -> {
            Instance instance = instance(s, request.pathParameter("instance_id"));
            PowerActions.act(s, behaviour, instance, type, force);
            String id = s.ids().zonal("instance_action", s.zoneIndex(instance.zone));
            return Response.created(Json.object()
                    .put("created_at", s.clock().instant().toString())
                    .put("force", force)
                    .put("href", json.href("/instances/" + instance.id + "/actions/" + id))
                    .put("id", id)
                    .put("status", "pending")
                    .put("type", type));
        });
    }

    // ---- network interfaces ----

    private Response listNics(Request request) {
        return state.read(s -> {
            Instance instance = instance(s, request.pathParameter("instance_id"));
            JsonArray nics = new JsonArray();
            instance.networkInterfaceIds.forEach(id -> nics.add(json.networkInterface(s, s.networkInterfaces.get(id))));
            return Response.ok(Json.object().put("network_interfaces", nics));
        });
    }

    private Response getNic(Request request) {
        return state.read(s -> {
            NetworkInterface nic = nic(s, request.pathParameter("instance_id"), request.pathParameter("id"));
            return Response.ok(json.networkInterface(s, nic)).etag(nic.etag());
        });
    }

    private Response patchNic(Request request) {
        JsonObject body = request.jsonBody();
        Checks.onlyFields(body, Set.of("name", "allow_ip_spoofing"), "a network interface");
        return state.write(s -> {
            NetworkInterface nic = nic(s, request.pathParameter("instance_id"), request.pathParameter("id"));
            String name = Checks.name(body, "name");
            if (name != null) {
                nic.name = name;
            }
            Boolean spoofing = Json.bool(body, "allow_ip_spoofing");
            if (spoofing != null) {
                nic.allowIpSpoofing = spoofing;
            }
            nic.touch();
            return Response.ok(json.networkInterface(s, nic)).etag(nic.etag());
        });
    }

    private Response listNicFloatingIps(Request request) {
        return state.read(s -> {
            NetworkInterface nic =
                    nic(s, request.pathParameter("instance_id"), request.pathParameter("network_interface_id"));
            JsonArray fips = new JsonArray();
            VpcJson.floatingIpsOf(s, nic.id).forEach(fip -> fips.add(json.floatingIp(s, fip)));
            return Response.ok(Json.object().put("floating_ips", fips));
        });
    }

    private static FloatingIp boundTo(SimulatorState s, String interfaceId, String fipId) {
        FloatingIp fip = FloatingIpHandlers.floatingIp(s, fipId);
        if (!interfaceId.equals(fip.targetId)) {
            throw ApiException.notFound("Floating IP bound to this interface", fipId);
        }
        return fip;
    }

    private Response getNicFloatingIp(Request request) {
        return state.read(s -> {
            NetworkInterface nic =
                    nic(s, request.pathParameter("instance_id"), request.pathParameter("network_interface_id"));
            FloatingIp fip = boundTo(s, nic.id, request.pathParameter("id"));
            return Response.ok(json.floatingIp(s, fip)).etag(fip.etag());
        });
    }

    private Response addNicFloatingIp(Request request) {
        return state.write(s -> {
            NetworkInterface nic =
                    nic(s, request.pathParameter("instance_id"), request.pathParameter("network_interface_id"));
            FloatingIp fip = bind(s, nic.id, request.pathParameter("id"));
            return Response.created(json.floatingIp(s, fip)).etag(fip.etag());
        });
    }

    private static FloatingIp bind(SimulatorState s, String interfaceId, String fipId) {
        FloatingIp fip = FloatingIpHandlers.floatingIp(s, fipId);
        if (interfaceId.equals(fip.targetId)) {
            return fip;
        }
        if (fip.targetId != null) {
            throw new ApiException(
                    409,
                    "floating_ip_in_use",
                    "The floating IP is bound to another target; unbind it first or PATCH its target",
                    "id",
                    "parameter",
                    fipId);
        }
        FloatingIpHandlers.checkBindable(s, fip, interfaceId);
        fip.targetId = interfaceId;
        fip.touch();
        return fip;
    }

    private Response removeNicFloatingIp(Request request) {
        return state.write(s -> {
            NetworkInterface nic =
                    nic(s, request.pathParameter("instance_id"), request.pathParameter("network_interface_id"));
            FloatingIp fip = boundTo(s, nic.id, request.pathParameter("id"));
            fip.targetId = null;
            fip.touch();
            return Response.noContent();
        });
    }

    // ---- network attachments ----

    private Response listAttachments(Request request) {
        return state.read(s -> {
            Instance instance = instance(s, request.pathParameter("instance_id"));
            JsonArray attachments = new JsonArray();
            instance.networkAttachmentIds.forEach(
                    id -> attachments.add(json.networkAttachment(s, s.networkAttachments.get(id))));
            return Response.ok(Json.object().put("network_attachments", attachments));
        });
    }

    private Response getAttachment(Request request) {
        return state.read(s -> {
            Instance instance = instance(s, request.pathParameter("instance_id"));
            NetworkAttachment attachment = s.networkAttachments.get(request.pathParameter("id"));
            if (attachment == null || !attachment.instanceId.equals(instance.id)) {
                throw ApiException.notFound("Network attachment", request.pathParameter("id"));
            }
            return Response.ok(json.networkAttachment(s, attachment)).etag(attachment.etag());
        });
    }

    // ---- virtual network interfaces ----

    private Response listVnis(Request request) {
        return state.read(s -> Response.ok(pagination.page(
                request,
                json.href("/virtual_network_interfaces"),
                Map.of(),
                "virtual_network_interfaces",
                List.copyOf(s.virtualNetworkInterfaces.values()),
                v -> json.virtualNetworkInterface(s, v))));
    }

    private Response getVni(Request request) {
        return state.read(s -> {
            VirtualNetworkInterface vni = vni(s, request.pathParameter("id"));
            return Response.ok(json.virtualNetworkInterface(s, vni)).etag(vni.etag());
        });
    }

    private Response patchVni(Request request) {
        JsonObject body = request.jsonBody();
        Checks.onlyFields(
                body,
                Set.of("name", "allow_ip_spoofing", "auto_delete", "enable_infrastructure_nat"),
                "a virtual network interface");
        return state.write(s -> {
            VirtualNetworkInterface vni = vni(s, request.pathParameter("id"));
            request.checkIfMatch(vni.etag());
            String name = Checks.name(body, "name");
            if (name != null) {
                vni.name = name;
            }
            Boolean value;
            if ((value = Json.bool(body, "allow_ip_spoofing")) != null) {
                vni.allowIpSpoofing = value;
            }
            if ((value = Json.bool(body, "auto_delete")) != null) {
                vni.autoDelete = value;
            }
            if ((value = Json.bool(body, "enable_infrastructure_nat")) != null) {
                if (value && VpcJson.floatingIpsOf(s, vni.id).size() > 1) {
                    throw new ApiException(
                            409,
                            "floating_ip_target_in_use",
                            "Infrastructure NAT allows one floating IP; the interface has several");
                }
                vni.enableInfrastructureNat = value;
            }
            vni.touch();
            return Response.ok(json.virtualNetworkInterface(s, vni)).etag(vni.etag());
        });
    }

    private Response listVniIps(Request request) {
        return state.read(s -> {
            VirtualNetworkInterface vni = vni(s, request.pathParameter("virtual_network_interface_id"));
            List<ReservedIp> ips = VpcJson.ipsOf(s, vni);
            return Response.ok(pagination.page(
                    request,
                    json.href("/virtual_network_interfaces/" + vni.id + "/ips"),
                    Map.of(),
                    "ips",
                    ips,
                    json::reservedIpReference));
        });
    }

    private static ReservedIp vniIp(SimulatorState s, VirtualNetworkInterface vni, String id) {
        if (!id.equals(vni.primaryIpId) && !vni.secondaryIpIds.contains(id)) {
            throw ApiException.notFound("Reserved IP bound to this interface", id);
        }
        return s.reservedIps.get(id);
    }

    private Response getVniIp(Request request) {
        return state.read(s -> {
            VirtualNetworkInterface vni = vni(s, request.pathParameter("virtual_network_interface_id"));
            ReservedIp ip = vniIp(s, vni, request.pathParameter("id"));
            return Response.ok(json.reservedIpReference(ip)).etag(ip.etag());
        });
    }

    private Response addVniIp(Request request) {
        return state.write(s -> {
            VirtualNetworkInterface vni = vni(s, request.pathParameter("virtual_network_interface_id"));
            String ipId = request.pathParameter("id");
            ReservedIp ip = s.reservedIps.get(ipId);
            if (ip == null) {
                throw ApiException.notFound("Reserved IP", ipId);
            }
            if (vni.id.equals(ip.targetId)) {
                return Response.ok(json.reservedIpReference(ip)).etag(ip.etag());
            }
            checkBindable(s, behaviour, vni, ip);
            ip.targetId = vni.id;
            ip.touch();
            vni.secondaryIpIds.add(ip.id);
            vni.touch();
            return Response.ok(json.reservedIpReference(ip)).etag(ip.etag());
        });
    }

    /**
     * Whether {@code ip} may become a secondary IP of {@code vni}: the provider does not own it, it lies
     * in the interface's primary subnet, no other interface or resource holds it (IBM refuses rather than
     * moves it), and the interface has room (at most {@link Behaviour#ipsPerVirtualNetworkInterface} IPs,
     * the primary included).
     */
    static void checkBindable(SimulatorState s, Behaviour behaviour, VirtualNetworkInterface vni, ReservedIp ip) {
        NetworkHandlers.requireUserOwned(ip);
        if (!ip.subnetId.equals(vni.subnetId)) {
            throw new ApiException(
                    400,
                    "invalid_value",
                    "The reserved IP must be in the interface's primary subnet",
                    "id",
                    "parameter",
                    ip.id);
        }
        if (ip.targetId != null && !ip.targetId.equals(vni.id)) {
            throw new ApiException(
                    409,
                    "reserved_ip_in_use",
                    "The reserved IP " + ip.address + " is bound to another target; unbind it first",
                    "id",
                    "parameter",
                    ip.id);
        }
        if (vni.secondaryIpIds.size() + 1 >= behaviour.ipsPerVirtualNetworkInterface) {
            throw new ApiException(
                    400,
                    "over_quota",
                    "A virtual network interface has at most " + behaviour.ipsPerVirtualNetworkInterface
                            + " IPs, its primary IP included");
        }
    }

    private Response removeVniIp(Request request) {
        return state.write(s -> {
            VirtualNetworkInterface vni = vni(s, request.pathParameter("virtual_network_interface_id"));
            ReservedIp ip = vniIp(s, vni, request.pathParameter("id"));
            if (ip.id.equals(vni.primaryIpId)) {
                throw new ApiException(
                        400, "invalid_value", "The primary IP cannot be unbound", "id", "parameter", ip.id);
            }
            vni.secondaryIpIds.remove(ip.id);
            vni.touch();
            ip.targetId = null;
            ip.touch();
            if (ip.autoDelete) {
                s.reservedIps.remove(ip.id);
            }
            return Response.noContent();
        });
    }

    private Response listVniFloatingIps(Request request) {
        return state.read(s -> {
            VirtualNetworkInterface vni = vni(s, request.pathParameter("virtual_network_interface_id"));
            return Response.ok(pagination.page(
                    request,
                    json.href("/virtual_network_interfaces/" + vni.id + "/floating_ips"),
                    Map.of(),
                    "floating_ips",
                    VpcJson.floatingIpsOf(s, vni.id),
                    json::floatingIpReference));
        });
    }

    private Response getVniFloatingIp(Request request) {
        return state.read(s -> {
            VirtualNetworkInterface vni = vni(s, request.pathParameter("virtual_network_interface_id"));
            FloatingIp fip = boundTo(s, vni.id, request.pathParameter("id"));
            return Response.ok(json.floatingIpReference(fip)).etag(fip.etag());
        });
    }

    private Response addVniFloatingIp(Request request) {
        return state.write(s -> {
            VirtualNetworkInterface vni = vni(s, request.pathParameter("virtual_network_interface_id"));
            FloatingIp fip = bind(s, vni.id, request.pathParameter("id"));
            return Response.ok(json.floatingIpReference(fip)).etag(fip.etag());
        });
    }

    private Response removeVniFloatingIp(Request request) {
        return state.write(s -> {
            VirtualNetworkInterface vni = vni(s, request.pathParameter("virtual_network_interface_id"));
            FloatingIp fip = boundTo(s, vni.id, request.pathParameter("id"));
            fip.targetId = null;
            fip.touch();
            return Response.noContent();
        });
    }
}
