package io.vpcha.simulator.vpc;

import com.google.gson.JsonObject;
import io.vpcha.simulator.events.EventLog;
import io.vpcha.simulator.http.ApiException;
import io.vpcha.simulator.http.Json;
import io.vpcha.simulator.http.Pagination;
import io.vpcha.simulator.http.Request;
import io.vpcha.simulator.http.Response;
import io.vpcha.simulator.http.Router;
import io.vpcha.simulator.state.Behaviour;
import io.vpcha.simulator.state.PublicAddressRange;
import io.vpcha.simulator.state.SimulatorState;
import io.vpcha.simulator.state.Vpc;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Public address ranges: {@code GET /public_address_ranges[/{id}]} and {@code PATCH} of {@code name} and
 * {@code target}. One PATCH with {@code {"target":{"vpc":{"id"},"zone":{"name"}}}} binds or moves a range
 * (no unbind first); {@code "target": null} unbinds it and keeps it reserved. After each bind, move or
 * unbind the range is {@code updating} for {@link Behaviour#publicAddressRangeUpdateMillis}; a PATCH of
 * its target meanwhile gets 409.
 */
final class PublicAddressRangeHandlers {
    private final SimulatorState state;
    private final VpcJson json;
    private final Pagination pagination;
    private final Behaviour behaviour;

    PublicAddressRangeHandlers(SimulatorState state, VpcJson json, Pagination pagination, Behaviour behaviour) {
        this.state = state;
        this.json = json;
        this.pagination = pagination;
        this.behaviour = behaviour;
    }

    void register(Router router) {
        router.add("GET", "/v1/public_address_ranges", this::list)
                .add("GET", "/v1/public_address_ranges/{id}", this::get)
                .add("PATCH", "/v1/public_address_ranges/{id}", this::patch);
    }

    private static PublicAddressRange range(SimulatorState s, String id) {
        PublicAddressRange range = s.publicAddressRanges.get(id);
        if (range == null) {
            throw ApiException.notFound("Public address range", id);
        }
        return range;
    }

    private Response list(Request request) {
        String group = request.query("resource_group.id");
        return state.read(s -> {
            List<PublicAddressRange> ranges = group != null && !group.equals(s.resourceGroupId())
                    ? List.of()
                    : List.copyOf(s.publicAddressRanges.values());
            Map<String, String> filters = new LinkedHashMap<>();
            if (group != null) {
                filters.put("resource_group.id", group);
            }
            return Response.ok(pagination.page(
                    request,
                    json.href("/public_address_ranges"),
                    filters,
                    "public_address_ranges",
                    ranges,
                    range -> json.publicAddressRange(s, range)));
        });
    }

    private Response get(Request request) {
        return state.read(s -> {
            PublicAddressRange range = range(s, request.pathParameter("id"));
            return Response.ok(json.publicAddressRange(s, range)).etag(range.etag());
        });
    }

    private Response patch(Request request) {
        JsonObject body = request.jsonBody();
        Checks.onlyFields(body, Set.of("name", "target"), "a public address range");
        return state.write(s -> {
            PublicAddressRange range = range(s, request.pathParameter("id"));
            request.checkIfMatch(range.etag());
            String name = Checks.name(body, "name");
            if (name != null
                    && s.publicAddressRanges.values().stream()
                            .anyMatch(other -> other != range && name.equals(other.name))) {
                throw new ApiException(
                        409,
                        "validation_unique_failed",
                        "A public address range named '" + name + "' already exists",
                        "name",
                        "field",
                        name);
            }
            if (body.has("target")) {
                String vpcId = null;
                String zone = null;
                if (!Checks.isNull(body, "target")) {
                    JsonObject target = Json.objectField(body, "target");
                    vpcId = Checks.identity(target, "vpc", "id");
                    zone = Checks.identity(target, "zone", "name");
                    if (vpcId == null || zone == null) {
                        throw ApiException.badField(
                                vpcId == null ? "target.vpc" : "target.zone",
                                "A target needs both a VPC and a zone",
                                null);
                    }
                    Vpc vpc = s.vpcs.get(vpcId);
                    if (vpc == null) {
                        throw new ApiException(404, "not_found", "VPC not found", "target.vpc.id", "field", vpcId);
                    }
                    if (!s.zones().contains(zone)) {
                        throw ApiException.invalidValue(
                                "target.zone.name", "Unknown zone in region " + s.region(), zone);
                    }
                }
                boolean changes = !Objects.equals(vpcId, range.vpcId) || !Objects.equals(zone, range.zone);
                if (changes) {
                    if (!"stable".equals(range.lifecycleState)) {
                        throw new ApiException(
                                409,
                                "public_address_range_not_stable",
                                "The public address range is " + range.lifecycleState
                                        + "; wait until it is stable, then retry");
                    }
                    move(s, behaviour, range, vpcId, zone, "api");
                }
            }
            if (name != null) {
                range.name = name;
            }
            range.touch();
            return Response.ok(json.publicAddressRange(s, range)).etag(range.etag());
        });
    }

    /**
     * Binds, moves or unbinds (both null) a range at once, makes it {@code updating} for the configured
     * time, and publishes both changes. Also used by the admin API.
     */
    static void move(
            SimulatorState s, Behaviour behaviour, PublicAddressRange range, String vpcId, String zone, String cause) {
        range.vpcId = vpcId;
        range.zone = zone;
        long generation = ++range.moveGeneration;
        long delay = behaviour.publicAddressRangeUpdateMillis;
        if (delay <= 0) {
            range.lifecycleState = "stable";
            publish(s, range, cause);
            return;
        }
        range.lifecycleState = "updating";
        publish(s, range, cause);
        s.applyLater(delay * 1_000_000L, () -> {
            if (range.moveGeneration == generation && s.publicAddressRanges.get(range.id) == range) {
                range.lifecycleState = "stable";
                range.touch();
                publish(s, range, cause);
            }
        });
    }

    private static void publish(SimulatorState s, PublicAddressRange range, String cause) {
        Vpc vpc = range.vpcId == null ? null : s.vpcs.get(range.vpcId);
        s.events()
                .publish(
                        EventLog.PUBLIC_ADDRESS_RANGE,
                        Json.object()
                                .put(
                                        "public_address_range",
                                        Json.object()
                                                .put("id", range.id)
                                                .put("name", range.name)
                                                .put("cidr", range.cidr.toString()))
                                .put("vpc", vpc == null ? null : vpc.name)
                                .put("zone", range.zone)
                                .put("lifecycle_state", range.lifecycleState)
                                .put("cause", cause)
                                .build());
    }
}
