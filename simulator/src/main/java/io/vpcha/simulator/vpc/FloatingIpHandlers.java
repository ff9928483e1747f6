package io.vpcha.simulator.vpc;

import com.google.gson.JsonObject;
import io.vpcha.simulator.http.ApiException;
import io.vpcha.simulator.http.Pagination;
import io.vpcha.simulator.http.Request;
import io.vpcha.simulator.http.Response;
import io.vpcha.simulator.http.Router;
import io.vpcha.simulator.state.Behaviour;
import io.vpcha.simulator.state.FloatingIp;
import io.vpcha.simulator.state.Ipv4;
import io.vpcha.simulator.state.SimulatorState;
import io.vpcha.simulator.state.VirtualNetworkInterface;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code /v1/floating_ips}: a PATCH of {@code target} moves a floating IP in one call. */
final class FloatingIpHandlers {
    private static final String[] TARGET_FILTERS = {
        "target.id", "target.crn", "target.name", "target.resource_type", "resource_group.id", "sort"
    };

    private final SimulatorState state;
    private final VpcJson json;
    private final Pagination pagination;
    private final Behaviour behaviour;

    FloatingIpHandlers(SimulatorState state, VpcJson json, Pagination pagination, Behaviour behaviour) {
        this.state = state;
        this.json = json;
        this.pagination = pagination;
        this.behaviour = behaviour;
    }

    void register(Router router) {
        router.add("GET", "/v1/floating_ips", this::list)
                .add("POST", "/v1/floating_ips", this::create)
                .add("GET", "/v1/floating_ips/{id}", this::get)
                .add("PATCH", "/v1/floating_ips/{id}", this::patch)
                .add("DELETE", "/v1/floating_ips/{id}", this::delete);
    }

    static FloatingIp floatingIp(SimulatorState s, String id) {
        FloatingIp fip = s.floatingIps.get(id);
        if (fip == null) {
            throw ApiException.notFound("Floating IP", id);
        }
        return fip;
    }

    private Response list(Request request) {
        Map<String, String> filters = new LinkedHashMap<>();
        for (String name : TARGET_FILTERS) {
            if (request.query(name) != null) {
                filters.put(name, request.query(name));
            }
        }
        return state.read(s -> {
            List<FloatingIp> fips = s.floatingIps.values().stream()
                    .filter(fip -> matches(s, fip, filters))
                    .toList();
            return Response.ok(pagination.page(
                    request,
                    json.href("/floating_ips"),
                    filters,
                    "floating_ips",
                    fips,
                    fip -> json.floatingIp(s, fip)));
        });
    }

    private boolean matches(SimulatorState s, FloatingIp fip, Map<String, String> filters) {
        if (filters.containsKey("resource_group.id")
                && !filters.get("resource_group.id").equals(s.resourceGroupId())) {
            return false;
        }
        boolean wantsTarget = filters.keySet().stream().anyMatch(key -> key.startsWith("target."));
        if (!wantsTarget) {
            return true;
        }
        if (fip.targetId == null) {
            return false;
        }
        JsonObject target = json.interfaceReference(s, fip.targetId);
        for (String key : List.of("id", "crn", "name", "resource_type")) {
            String wanted = filters.get("target." + key);
            if (wanted != null
                    && !(target.has(key) && target.get(key).getAsString().equals(wanted))) {
                return false;
            }
        }
        return true;
    }

    private Response get(Request request) {
        return state.read(s -> {
            FloatingIp fip = floatingIp(s, request.pathParameter("id"));
            return Response.ok(json.floatingIp(s, fip)).etag(fip.etag());
        });
    }

    private Response create(Request request) {
        JsonObject body = request.jsonBody();
        Checks.onlyFields(body, Set.of("name", "zone", "target", "resource_group"), "a floating IP");
        return state.write(s -> {
            String zone = Checks.identity(body, "zone", "name");
            String targetId = Checks.identity(body, "target", "id");
            if ((zone == null) == (targetId == null)) {
                throw ApiException.badField("zone", "Exactly one of 'zone' and 'target' is required", null);
            }
            if (targetId != null) {
                requireInterface(s, targetId);
                zone = s.zoneOfInterface(targetId).orElseThrow();
            }
            if (!s.zones().contains(zone)) {
                throw ApiException.invalidValue("zone.name", "Unknown zone", zone);
            }
            String name = Checks.name(body, "name");
            if (name != null && s.floatingIps.values().stream().anyMatch(f -> f.name.equals(name))) {
                throw new ApiException(
                        409,
                        "validation_unique_failed",
                        "A floating IP named '" + name + "' already exists",
                        "name",
                        "field",
                        name);
            }
            FloatingIp fip = allocate(s, zone, name);
            if (targetId != null) {
                checkBindable(s, fip, targetId);
                fip.targetId = targetId;
            }
            return Response.created(json.floatingIp(s, fip)).etag(fip.etag());
        });
    }

    /** Allocates a floating IP with the next free public address. */
    static FloatingIp allocate(SimulatorState s, String zone, String name) {
        FloatingIp fip = new FloatingIp();
        fip.id = s.ids().regional("floating_ip");
        fip.crn = s.crn(zone, "floating-ip", fip.id);
        fip.zone = zone;
        int base = Ipv4.parse("169.59.0.10") + s.zoneIndex(zone) * 256;
        int offset = 0;
        while (true) {
            String candidate = Ipv4.format(base + offset);
            if (s.floatingIps.values().stream().noneMatch(f -> f.address.equals(candidate))) {
                fip.address = candidate;
                break;
            }
            offset++;
        }
        fip.name = name != null ? name : "fip-" + fip.address.replace('.', '-');
        s.stamp(fip);
        s.floatingIps.put(fip.id, fip);
        return fip;
    }

    static void requireInterface(SimulatorState s, String interfaceId) {
        if (!s.networkInterfaces.containsKey(interfaceId) && !s.virtualNetworkInterfaces.containsKey(interfaceId)) {
            throw new ApiException(
                    404, "not_found", "Target " + interfaceId + " not found", "target.id", "field", interfaceId);
        }
    }

    /**
     * The zone rule and the one-floating-IP-per-interface rule: the target must be in the floating IP's
     * zone, and an instance NIC (or a VNI with infrastructure NAT) must not hold another floating IP.
     */
    static void checkBindable(SimulatorState s, FloatingIp fip, String interfaceId) {
        requireInterface(s, interfaceId);
        String targetZone = s.zoneOfInterface(interfaceId).orElse(null);
        if (!fip.zone.equals(targetZone)) {
            throw new ApiException(
                    400,
                    "floating_ip_zone_mismatch",
                    "The target is in zone " + targetZone + " but the floating IP is in zone " + fip.zone,
                    "target.id",
                    "field",
                    interfaceId);
        }
        VirtualNetworkInterface vni = s.virtualNetworkInterfaces.get(interfaceId);
        boolean single = vni == null || vni.enableInfrastructureNat;
        Optional<FloatingIp> existing = s.floatingIps.values().stream()
                .filter(other -> !other.id.equals(fip.id) && interfaceId.equals(other.targetId))
                .min(Comparator.comparingLong(other -> other.sequence));
        if (single && existing.isPresent()) {
            throw new ApiException(
                    409,
                    "floating_ip_target_in_use",
                    "The target already has floating IP " + existing.get().address,
                    "target.id",
                    "field",
                    interfaceId);
        }
    }

    private Response patch(Request request) {
        JsonObject body = request.jsonBody();
        Checks.onlyFields(body, Set.of("name", "target"), "a floating IP");
        long delay = Math.max(request.context().applyDelayNanos(), behaviour.floatingIpPatchDelayMillis * 1_000_000L);
        return state.write(s -> {
            FloatingIp fip = floatingIp(s, request.pathParameter("id"));
            String name = fip.name;
            if (body.has("name")) {
                String newName = Checks.name(body, "name");
                if (newName == null) {
                    throw ApiException.invalidValue("name", "The name cannot be null", null);
                }
                if (s.floatingIps.values().stream().anyMatch(f -> !f.id.equals(fip.id) && f.name.equals(newName))) {
                    throw new ApiException(
                            409,
                            "validation_unique_failed",
                            "A floating IP named '" + newName + "' already exists",
                            "name",
                            "field",
                            newName);
                }
                name = newName;
            }
            String target = fip.targetId;
            if (body.has("target")) {
                if (Checks.isNull(body, "target")) {
                    target = null;
                } else {
                    target = Checks.identity(body, "target", "id");
                    checkBindable(s, fip, target);
                }
            }
            String newName = name;
            String newTarget = target;
            Runnable apply = () -> {
                fip.name = newName;
                fip.targetId = newTarget;
                fip.touch();
            };
            FloatingIp shown = copy(fip);
            shown.name = newName;
            shown.targetId = newTarget;
            shown.revision = fip.revision + 1;
            if (delay > 0) {
                s.applyLater(delay, apply);
            } else {
                apply.run();
            }
            return Response.ok(json.floatingIp(s, shown)).etag(shown.etag());
        });
    }

    private static FloatingIp copy(FloatingIp fip) {
        FloatingIp copy = new FloatingIp();
        copy.id = fip.id;
        copy.name = fip.name;
        copy.createdAt = fip.createdAt;
        copy.sequence = fip.sequence;
        copy.revision = fip.revision;
        copy.crn = fip.crn;
        copy.address = fip.address;
        copy.zone = fip.zone;
        copy.status = fip.status;
        copy.targetId = fip.targetId;
        return copy;
    }

    private Response delete(Request request) {
        return state.write(s -> {
            FloatingIp fip = floatingIp(s, request.pathParameter("id"));
            s.floatingIps.remove(fip.id);
            return Response.noContent();
        });
    }
}
