package io.vpcha.simulator.vpc;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.vpcha.simulator.http.ApiException;
import io.vpcha.simulator.http.Json;
import io.vpcha.simulator.http.Pagination;
import io.vpcha.simulator.http.Request;
import io.vpcha.simulator.http.Response;
import io.vpcha.simulator.http.Router;
import io.vpcha.simulator.state.Behaviour;
import io.vpcha.simulator.state.Ipv4;
import io.vpcha.simulator.state.Route;
import io.vpcha.simulator.state.RoutingTable;
import io.vpcha.simulator.state.SimulatorState;
import io.vpcha.simulator.state.Vpc;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Routing tables and their routes under {@code /v1/vpcs/{vpc_id}/routing_tables}. */
final class RoutingHandlers {
    private static final Set<String> ACTIONS = Set.of("deliver", "delegate", "delegate_vpc", "drop");
    private static final Set<String> ROUTE_PATCH_FIELDS = Set.of("name", "next_hop", "priority", "advertise");
    private static final Set<String> ROUTE_CREATE_FIELDS =
            Set.of("action", "advertise", "destination", "name", "next_hop", "priority", "zone");
    private static final Set<String> TABLE_FIELDS = Set.of(
            "name",
            "route_direct_link_ingress",
            "route_internet_ingress",
            "route_transit_gateway_ingress",
            "route_vpc_zone_ingress",
            "accept_routes_from",
            "advertise_routes_to");
    private static final Set<String> ROUTE_SOURCES =
            Set.of("direct_link", "transit_gateway", "vpn_gateway", "vpn_server");

    private final SimulatorState state;
    private final VpcJson json;
    private final Pagination pagination;
    private final Behaviour behaviour;

    RoutingHandlers(SimulatorState state, VpcJson json, Pagination pagination, Behaviour behaviour) {
        this.state = state;
        this.json = json;
        this.pagination = pagination;
        this.behaviour = behaviour;
    }

    void register(Router router) {
        String tables = "/v1/vpcs/{vpc_id}/routing_tables";
        router.add("GET", tables, this::listTables)
                .add("POST", tables, this::createTable)
                .add("GET", tables + "/{id}", this::getTable)
                .add("PATCH", tables + "/{id}", this::patchTable)
                .add("DELETE", tables + "/{id}", this::deleteTable)
                .add("GET", "/v1/vpcs/{vpc_id}/default_routing_table", this::defaultTable)
                .add("GET", tables + "/{routing_table_id}/routes", this::listRoutes)
                .add("POST", tables + "/{routing_table_id}/routes", this::createRoute)
                .add("GET", tables + "/{routing_table_id}/routes/{id}", this::getRoute)
                .add("PATCH", tables + "/{routing_table_id}/routes/{id}", this::patchRoute)
                .add("DELETE", tables + "/{routing_table_id}/routes/{id}", this::deleteRoute);
    }

    // ---- lookups ----

    static Vpc vpc(SimulatorState state, String id) {
        Vpc vpc = state.vpcs.get(id);
        if (vpc == null) {
            throw ApiException.notFound("VPC", id);
        }
        return vpc;
    }

    static RoutingTable table(SimulatorState state, String vpcId, String id) {
        vpc(state, vpcId);
        RoutingTable table = state.routingTables.get(id);
        if (table == null || !table.vpcId.equals(vpcId)) {
            throw ApiException.notFound("Routing table", id);
        }
        return table;
    }

    private static Route route(RoutingTable table, String id) {
        Route route = table.routes.get(id);
        if (route == null) {
            throw ApiException.notFound("Route", id);
        }
        return route;
    }

    // ---- tables ----

    private Response listTables(Request request) {
        String vpcId = request.pathParameter("vpc_id");
        String isDefault = request.query("is_default");
        return state.read(s -> {
            Vpc vpc = vpc(s, vpcId);
            List<RoutingTable> tables = s.routingTables.values().stream()
                    .filter(t -> t.vpcId.equals(vpc.id))
                    .filter(t -> isDefault == null || Boolean.parseBoolean(isDefault) == t.isDefault)
                    .toList();
            Map<String, String> filters = new LinkedHashMap<>();
            if (isDefault != null) {
                filters.put("is_default", isDefault);
            }
            return Response.ok(pagination.page(
                    request,
                    json.href("/vpcs/" + vpc.id + "/routing_tables"),
                    filters,
                    "routing_tables",
                    tables,
                    t -> json.routingTable(s, t)));
        });
    }

    private Response getTable(Request request) {
        return state.read(s -> {
            RoutingTable table = table(s, request.pathParameter("vpc_id"), request.pathParameter("id"));
            return Response.ok(json.routingTable(s, table)).etag(table.etag());
        });
    }

    private Response defaultTable(Request request) {
        return state.read(s -> {
            Vpc vpc = vpc(s, request.pathParameter("vpc_id"));
            RoutingTable table = s.routingTables.get(vpc.defaultRoutingTableId);
            return Response.ok(json.routingTable(s, table)).etag(table.etag());
        });
    }

    private Response createTable(Request request) {
        JsonObject body = request.jsonBody();
        Checks.onlyFields(body, union(TABLE_FIELDS, Set.of("routes")), "a routing table");
        return state.write(s -> {
            Vpc vpc = vpc(s, request.pathParameter("vpc_id"));
            long count = s.routingTables.values().stream()
                    .filter(t -> t.vpcId.equals(vpc.id))
                    .count();
            if (count >= behaviour.routingTablesPerVpc) {
                throw new ApiException(400, "over_quota", "The VPC already has " + count + " routing tables");
            }
            RoutingTable table = new RoutingTable();
            table.id = s.ids().regional("routing_table");
            table.crn = s.crn(s.region(), "routing-table", table.id);
            table.vpcId = vpc.id;
            table.name = Checks.name(body, "name");
            table.routes.clear();
            if (table.name == null) {
                table.name = "routing-table-" + (count + 1);
            }
            checkUniqueTableName(s, table, table.name);
            applyTableFields(s, table, body);
            List<Route> routes = new ArrayList<>();
            JsonElement routesJson = body.get("routes");
            s.stamp(table);
            if (routesJson != null && routesJson.isJsonArray()) {
                for (JsonElement element : routesJson.getAsJsonArray()) {
                    routes.add(parseNewRoute(s, table, element.getAsJsonObject()));
                    addRoute(s, table, routes.get(routes.size() - 1), behaviour);
                }
            }
            s.routingTables.put(table.id, table);
            return Response.created(json.routingTable(s, table)).etag(table.etag());
        });
    }

    private Response patchTable(Request request) {
        JsonObject body = request.jsonBody();
        Checks.onlyFields(body, TABLE_FIELDS, "a routing table");
        return state.write(s -> {
            RoutingTable table = table(s, request.pathParameter("vpc_id"), request.pathParameter("id"));
            request.checkIfMatch(table.etag());
            String name = Checks.name(body, "name");
            if (name != null) {
                checkUniqueTableName(s, table, name);
            }
            RoutingTable candidate = new RoutingTable();
            candidate.id = table.id;
            candidate.vpcId = table.vpcId;
            candidate.isDefault = table.isDefault;
            copyFlags(table, candidate);
            applyTableFields(s, candidate, body);
            if (name != null) {
                table.name = name;
            }
            copyFlags(candidate, table);
            table.touch();
            return Response.ok(json.routingTable(s, table)).etag(table.etag());
        });
    }

    private Response deleteTable(Request request) {
        return state.write(s -> {
            RoutingTable table = table(s, request.pathParameter("vpc_id"), request.pathParameter("id"));
            request.checkIfMatch(table.etag());
            if (table.isDefault) {
                throw new ApiException(
                        400, "routing_table_is_default", "The default routing table of a VPC cannot be deleted");
            }
            if (s.subnets.values().stream().anyMatch(subnet -> table.id.equals(subnet.routingTableId))) {
                throw ApiException.conflict("routing_table_in_use", "The routing table is attached to subnets");
            }
            s.routingTables.remove(table.id);
            return Response.noContent();
        });
    }

    private static void copyFlags(RoutingTable from, RoutingTable to) {
        to.routeDirectLinkIngress = from.routeDirectLinkIngress;
        to.routeInternetIngress = from.routeInternetIngress;
        to.routeTransitGatewayIngress = from.routeTransitGatewayIngress;
        to.routeVpcZoneIngress = from.routeVpcZoneIngress;
        to.acceptRoutesFrom = new ArrayList<>(from.acceptRoutesFrom);
        to.advertiseRoutesTo = new ArrayList<>(from.advertiseRoutesTo);
    }

    private static void applyTableFields(SimulatorState s, RoutingTable table, JsonObject body) {
        Boolean flag;
        if ((flag = Json.bool(body, "route_direct_link_ingress")) != null) {
            table.routeDirectLinkIngress = flag;
        }
        if ((flag = Json.bool(body, "route_internet_ingress")) != null) {
            table.routeInternetIngress = flag;
        }
        if ((flag = Json.bool(body, "route_transit_gateway_ingress")) != null) {
            table.routeTransitGatewayIngress = flag;
        }
        if ((flag = Json.bool(body, "route_vpc_zone_ingress")) != null) {
            table.routeVpcZoneIngress = flag;
        }
        JsonElement accept = body.get("accept_routes_from");
        if (accept != null && accept.isJsonArray()) {
            List<String> sources = new ArrayList<>();
            for (JsonElement element : accept.getAsJsonArray()) {
                String type = element.isJsonObject() ? Json.string(element.getAsJsonObject(), "resource_type") : null;
                if (type == null || !ROUTE_SOURCES.contains(type)) {
                    throw ApiException.invalidValue("accept_routes_from", "Unsupported route source", element);
                }
                sources.add(type);
            }
            table.acceptRoutesFrom = sources;
        }
        JsonElement advertise = body.get("advertise_routes_to");
        if (advertise != null && advertise.isJsonArray()) {
            List<String> targets = new ArrayList<>();
            for (JsonElement element : advertise.getAsJsonArray()) {
                String target = element.getAsString();
                if (!target.equals("direct_link") && !target.equals("transit_gateway")) {
                    throw ApiException.invalidValue("advertise_routes_to", "Unsupported advertisement target", target);
                }
                targets.add(target);
            }
            table.advertiseRoutesTo = targets;
        }
        checkIngressFlags(s, table);
    }

    /** Each ingress flag is true on at most one table per VPC; the default table and tables with subnets are never ingress. */
    static void checkIngressFlags(SimulatorState s, RoutingTable table) {
        if (!table.isIngress()) {
            return;
        }
        if (table.isDefault) {
            throw new ApiException(
                    400, "invalid_value", "The default routing table cannot be an ingress routing table");
        }
        if (table.id != null
                && s.subnets.values().stream().anyMatch(subnet -> table.id.equals(subnet.routingTableId))) {
            throw ApiException.conflict(
                    "routing_table_in_use", "A routing table attached to subnets cannot be an ingress routing table");
        }
        for (RoutingTable other : s.routingTables.values()) {
            if (other.id.equals(table.id) || !other.vpcId.equals(table.vpcId)) {
                continue;
            }
            String clash = table.routeDirectLinkIngress && other.routeDirectLinkIngress
                    ? "route_direct_link_ingress"
                    : table.routeInternetIngress && other.routeInternetIngress
                            ? "route_internet_ingress"
                            : table.routeTransitGatewayIngress && other.routeTransitGatewayIngress
                                    ? "route_transit_gateway_ingress"
                                    : table.routeVpcZoneIngress && other.routeVpcZoneIngress
                                            ? "route_vpc_zone_ingress"
                                            : null;
            if (clash != null) {
                throw new ApiException(
                        409,
                        "routing_table_ingress_conflict",
                        "Routing table " + other.name + " already has " + clash + " set; only one table per VPC may",
                        clash,
                        "field",
                        "true");
            }
        }
    }

    private static void checkUniqueTableName(SimulatorState s, RoutingTable table, String name) {
        boolean clash = s.routingTables.values().stream()
                .anyMatch(other ->
                        other.vpcId.equals(table.vpcId) && !other.id.equals(table.id) && other.name.equals(name));
        if (clash) {
            throw new ApiException(
                    409,
                    "validation_unique_failed",
                    "A routing table named '" + name + "' already exists in the VPC",
                    "name",
                    "field",
                    name);
        }
    }

    // ---- routes ----

    private Response listRoutes(Request request) {
        return state.read(s -> {
            RoutingTable table = table(s, request.pathParameter("vpc_id"), request.pathParameter("routing_table_id"));
            return Response.ok(pagination.page(
                    request,
                    json.href("/vpcs/" + table.vpcId + "/routing_tables/" + table.id + "/routes"),
                    Map.of(),
                    "routes",
                    List.copyOf(table.routes.values()),
                    r -> json.route(s, table, r)));
        });
    }

    private Response getRoute(Request request) {
        return state.read(s -> {
            RoutingTable table = table(s, request.pathParameter("vpc_id"), request.pathParameter("routing_table_id"));
            Route route = route(table, request.pathParameter("id"));
            return Response.ok(json.route(s, table, route)).etag(route.etag());
        });
    }

    private Response createRoute(Request request) {
        JsonObject body = request.jsonBody();
        return state.write(s -> {
            RoutingTable table = table(s, request.pathParameter("vpc_id"), request.pathParameter("routing_table_id"));
            Route route = parseNewRoute(s, table, body);
            addRoute(s, table, route, behaviour);
            return Response.created(json.route(s, table, route)).etag(route.etag());
        });
    }

    /** Parses and validates a route creation body (also used for routes seeded by a scenario). */
    Route parseNewRoute(SimulatorState s, RoutingTable table, JsonObject body) {
        Checks.onlyFields(body, ROUTE_CREATE_FIELDS, "a route");
        String destinationText = Json.string(body, "destination");
        if (destinationText == null) {
            throw ApiException.badField("destination", "The field 'destination' is required", null);
        }
        Ipv4.Cidr destination;
        try {
            destination = Ipv4.Cidr.parse(destinationText);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidValue(
                    "destination", "The destination must be an IPv4 CIDR block", destinationText);
        }
        if (!destination.isNetworkAddress()) {
            throw ApiException.invalidValue("destination", "The destination's host bits must be zero", destinationText);
        }
        String zone = Checks.identity(body, "zone", "name");
        if (zone == null) {
            throw ApiException.badField("zone", "The field 'zone' is required", null);
        }
        if (!s.zones().contains(zone)) {
            throw ApiException.invalidValue("zone.name", "Unknown zone in region " + s.region(), zone);
        }
        Route route = new Route();
        route.routingTableId = table.id;
        route.zone = zone;
        route.destination = destination;
        String action = Json.string(body, "action");
        if (action != null) {
            if (!ACTIONS.contains(action)) {
                throw ApiException.invalidValue("action", "The action must be one of " + ACTIONS, action);
            }
            route.action = action;
        }
        route.nextHop = nextHop(body);
        checkNextHop(route);
        Integer priority = Json.integer(body, "priority");
        if (priority != null) {
            route.priority = checkPriority(priority);
        }
        Boolean advertise = Json.bool(body, "advertise");
        if (advertise != null) {
            route.advertise = advertise;
        }
        String name = Checks.name(body, "name");
        route.id = s.ids().regional("route");
        route.name = name != null ? name : "route-" + route.id.substring(5, 13);
        checkRouteName(table, route, route.name);
        return route;
    }

    /** Adds a validated route, enforcing the per-table quotas and the ECMP limit. */
    static void addRoute(SimulatorState s, RoutingTable table, Route route, Behaviour behaviour) {
        if (table.routes.size() >= behaviour.routesPerTable) {
            throw new ApiException(
                    400, "over_quota", "The routing table already has " + table.routes.size() + " routes");
        }
        long prefixLengths = table.routes.values().stream()
                .map(r -> r.destination.prefixLength())
                .distinct()
                .count();
        boolean newLength = table.routes.values().stream()
                .noneMatch(r -> r.destination.prefixLength() == route.destination.prefixLength());
        if (newLength && prefixLengths >= behaviour.prefixLengthsPerTable) {
            throw new ApiException(
                    400, "over_quota", "The routing table already uses " + prefixLengths + " distinct prefix lengths");
        }
        checkEcmp(table, route, behaviour);
        s.stamp(route);
        table.routes.put(route.id, route);
        table.touch();
    }

    private static void checkEcmp(RoutingTable table, Route route, Behaviour behaviour) {
        if (!"deliver".equals(route.action)) {
            return;
        }
        long equal = table.routes.values().stream()
                .filter(r -> !r.id.equals(route.id)
                        && "deliver".equals(r.action)
                        && r.zone.equals(route.zone)
                        && r.destination.equals(route.destination)
                        && r.priority == route.priority)
                .count();
        if (equal >= behaviour.ecmpLimit) {
            throw new ApiException(
                    400,
                    "route_ecmp_limit_exceeded",
                    "At most " + behaviour.ecmpLimit + " deliver routes may share destination " + route.destination
                            + ", zone " + route.zone + " and priority " + route.priority,
                    "priority",
                    "field",
                    String.valueOf(route.priority));
        }
    }

    private String nextHop(JsonObject body) {
        if (!body.has("next_hop") || body.get("next_hop").isJsonNull()) {
            return null;
        }
        JsonObject nextHop = Json.objectField(body, "next_hop");
        if (nextHop.has("id") && !nextHop.has("address")) {
            // A VPN connection reference: keep it as opaque id.
            return "vpn:" + Json.string(nextHop, "id");
        }
        String address = Json.string(nextHop, "address");
        if (address == null || !Ipv4.isValid(address)) {
            throw new ApiException(
                    400,
                    behaviour.invalidNextHopCode,
                    "The next hop must be an IPv4 address",
                    "next_hop.address",
                    "field",
                    address);
        }
        return address;
    }

    private void checkNextHop(Route route) {
        boolean none = route.nextHop == null || route.nextHop.equals("0.0.0.0");
        if ("deliver".equals(route.action) && none) {
            throw new ApiException(
                    400,
                    behaviour.invalidNextHopCode,
                    "A deliver route needs a next hop other than 0.0.0.0",
                    "next_hop.address",
                    "field",
                    route.nextHop);
        }
        if (!"deliver".equals(route.action) && !none) {
            throw new ApiException(
                    400,
                    behaviour.invalidNextHopCode,
                    "Only deliver routes may have a next hop",
                    "next_hop.address",
                    "field",
                    route.nextHop);
        }
        if (none) {
            route.nextHop = null;
        }
    }

    private static int checkPriority(int priority) {
        if (priority < 0 || priority > 4) {
            throw ApiException.invalidValue("priority", "The priority must be between 0 and 4", priority);
        }
        return priority;
    }

    private static void checkRouteName(RoutingTable table, Route route, String name) {
        if (name.startsWith("ibm-")) {
            throw ApiException.invalidValue("name", "Route names starting with 'ibm-' are reserved", name);
        }
        boolean clash = table.routes.values().stream().anyMatch(r -> !r.id.equals(route.id) && r.name.equals(name));
        if (clash) {
            throw new ApiException(
                    409,
                    "validation_unique_failed",
                    "A route named '" + name + "' already exists in the routing table",
                    "name",
                    "field",
                    name);
        }
    }

    private static void requireUserOrigin(Route route, String verb) {
        if (!"user".equals(route.origin)) {
            throw new ApiException(
                    400,
                    "invalid_value",
                    "Routes with origin '" + route.origin + "' cannot be " + verb,
                    "origin",
                    "field",
                    route.origin);
        }
    }

    private Response patchRoute(Request request) {
        JsonObject body = request.jsonBody();
        for (String field : body.keySet()) {
            if (!ROUTE_PATCH_FIELDS.contains(field)) {
                throw ApiException.badField(
                        field, "The field '" + field + "' of a route cannot be updated", body.get(field));
            }
        }
        long delay = Math.max(request.context().applyDelayNanos(), behaviour.routePatchDelayMillis * 1_000_000L);
        return state.write(s -> {
            RoutingTable table = table(s, request.pathParameter("vpc_id"), request.pathParameter("routing_table_id"));
            Route route = route(table, request.pathParameter("id"));
            requireUserOrigin(route, "updated");
            Route updated = route.copy();
            if (body.has("name")) {
                String name = Checks.name(body, "name");
                if (name == null) {
                    throw ApiException.invalidValue("name", "The name cannot be null", null);
                }
                checkRouteName(table, route, name);
                updated.name = name;
            }
            if (body.has("next_hop")) {
                updated.nextHop = nextHop(body);
                checkNextHop(updated);
            }
            if (body.has("priority")) {
                Integer priority = Json.integer(body, "priority");
                if (priority == null) {
                    throw ApiException.invalidValue("priority", "The priority cannot be null", null);
                }
                updated.priority = checkPriority(priority);
                checkEcmp(table, updated, behaviour);
            }
            if (body.has("advertise")) {
                Boolean advertise = Json.bool(body, "advertise");
                updated.advertise = advertise != null && advertise;
            }
            updated.revision = route.revision + 1;
            Runnable apply = () -> {
                route.name = updated.name;
                route.nextHop = updated.nextHop;
                route.priority = updated.priority;
                route.advertise = updated.advertise;
                route.touch();
            };
            if (delay > 0) {
                s.applyLater(delay, apply);
            } else {
                apply.run();
            }
            return Response.ok(json.route(s, table, updated)).etag(updated.etag());
        });
    }

    private Response deleteRoute(Request request) {
        return state.write(s -> {
            RoutingTable table = table(s, request.pathParameter("vpc_id"), request.pathParameter("routing_table_id"));
            Route route = route(table, request.pathParameter("id"));
            requireUserOrigin(route, "deleted");
            table.routes.remove(route.id);
            table.touch();
            return Response.noContent();
        });
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        HashSet<String> result = new HashSet<>(a);
        result.addAll(b);
        return result;
    }
}
