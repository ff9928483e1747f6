package io.vpcha.simulator.admin;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.vpcha.simulator.fault.FaultRule;
import io.vpcha.simulator.fault.Faults;
import io.vpcha.simulator.http.ApiException;
import io.vpcha.simulator.http.Json;
import io.vpcha.simulator.http.Request;
import io.vpcha.simulator.http.Response;
import io.vpcha.simulator.http.Router;
import io.vpcha.simulator.http.Service;
import io.vpcha.simulator.iam.TokenService;
import io.vpcha.simulator.journal.JournalEntry;
import io.vpcha.simulator.journal.RequestJournal;
import io.vpcha.simulator.oracle.Delivery;
import io.vpcha.simulator.oracle.ForwardingOracle;
import io.vpcha.simulator.oracle.TrafficSource;
import io.vpcha.simulator.state.Behaviour;
import io.vpcha.simulator.state.Instance;
import io.vpcha.simulator.state.Principal;
import io.vpcha.simulator.state.SimulatorState;
import io.vpcha.simulator.vpc.VpcJson;
import io.vpcha.simulator.vpc.VpcService;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The simulator's own control API under {@code /sim/} (no authentication): journal, counters, reset,
 * state dump, faults, behaviour, oracle queries and instance status changes.
 */
public final class AdminService implements Service {
    private final SimulatorState state;
    private final VpcJson json;
    private final ForwardingOracle oracle;
    private final RequestJournal journal;
    private final Faults faults;
    private final TokenService tokens;
    private final Behaviour behaviour;
    private final Supplier<JsonObject> urls;
    private final Router router = new Router();

    public AdminService(
            SimulatorState state,
            VpcJson json,
            ForwardingOracle oracle,
            RequestJournal journal,
            Faults faults,
            TokenService tokens,
            Behaviour behaviour,
            Runnable reset,
            Supplier<JsonObject> urls) {
        this.state = state;
        this.json = json;
        this.oracle = oracle;
        this.journal = journal;
        this.faults = faults;
        this.tokens = tokens;
        this.behaviour = behaviour;
        this.urls = urls;
        router.add(
                        "GET",
                        "/sim/health",
                        request -> Response.ok(Json.object().put("status", "ok").put("urls", urls.get())))
                .add("GET", "/sim/journal", this::journal)
                .add("DELETE", "/sim/journal", request -> {
                    journal.clear();
                    return Response.noContent();
                })
                .add(
                        "GET",
                        "/sim/counters",
                        request -> Response.ok(journal.countersJson()).pretty())
                .add("POST", "/sim/reset", request -> {
                    reset.run();
                    return Response.ok(Json.object().put("reset", true));
                })
                .add("GET", "/sim/state", request -> Response.ok(dump()).pretty())
                .add(
                        "GET",
                        "/sim/faults",
                        request -> Response.ok(Json.object()
                                .put(
                                        "faults",
                                        Json.array(faults.list().stream()
                                                .map(FaultRule::toJson)
                                                .toList()))))
                .add("POST", "/sim/faults", this::addFault)
                .add("DELETE", "/sim/faults", request -> {
                    faults.clear();
                    return Response.noContent();
                })
                .add("DELETE", "/sim/faults/{id}", request -> {
                    if (!faults.remove(request.pathParameter("id"))) {
                        throw ApiException.notFound("Fault", request.pathParameter("id"));
                    }
                    return Response.noContent();
                })
                .add("GET", "/sim/behaviour", request -> Response.ok(behaviourJson()))
                .add("PATCH", "/sim/behaviour", this::patchBehaviour)
                .add("GET", "/sim/oracle", this::oracle)
                .add("POST", "/sim/instances/{instance}/status", this::setInstanceStatus);
    }

    @Override
    public String name() {
        return "admin";
    }

    @Override
    public boolean handles(String path) {
        return path.equals("/sim") || path.startsWith("/sim/");
    }

    @Override
    public Router router() {
        return router;
    }

    @Override
    public void identify(Request request) {
        // The admin API is unauthenticated.
    }

    @Override
    public void authorize(Request request, String template) {
        // The admin API is unauthenticated.
    }

    @Override
    public JsonElement errorBody(ApiException error, Request request) {
        return VpcService.errorJson(error, request.trace(), true);
    }

    private Response journal(Request request) {
        long after = parseLong(request.query("after"), 0);
        long limit = parseLong(request.query("limit"), Long.MAX_VALUE);
        String service = request.query("service");
        List<JournalEntry> entries = journal.entriesAfter(after).stream()
                .filter(entry -> service == null || entry.service().equals(service))
                .toList();
        if (entries.size() > limit) {
            entries = entries.subList(entries.size() - (int) limit, entries.size());
        }
        return Response.ok(Json.object()
                .put("last_sequence", journal.lastSequence())
                .put(
                        "entries",
                        Json.array(entries.stream().map(JournalEntry::toJson).toList())));
    }

    private static long parseLong(String text, long fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.invalidQuery("limit", "not a number", text);
        }
    }

    private Response addFault(Request request) {
        FaultRule rule;
        try {
            rule = FaultRule.fromJson(request.jsonBody());
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            throw new ApiException(400, "invalid_value", "Invalid fault: " + e.getMessage());
        }
        faults.add(rule);
        return Response.created(rule.toJson());
    }

    private Response oracle(Request request) {
        String address = request.query("address");
        if (address == null) {
            throw ApiException.invalidQuery("address", "The address query parameter is required", null);
        }
        String zone = request.query("zone");
        String subnet = request.query("subnet");
        String ingress = request.query("ingress");
        TrafficSource source;
        try {
            if (ingress != null) {
                if (zone == null) {
                    throw new IllegalArgumentException("an ingress query needs a zone");
                }
                source = TrafficSource.ingress(TrafficSource.Ingress.parse(ingress), zone);
            } else if (subnet != null) {
                source = TrafficSource.fromSubnet(subnet);
            } else if (zone != null) {
                source = TrafficSource.fromZone(zone);
            } else {
                throw new IllegalArgumentException("give zone, subnet, or ingress and zone");
            }
            if (request.query("vpc") != null) {
                source = source.inVpc(request.query("vpc"));
            }
            Delivery delivery = oracle.deliver(address, source);
            JsonObject result = delivery.toJson();
            result.addProperty("address", address);
            result.addProperty("source", source.toString());
            return Response.ok(result);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "invalid_value", e.getMessage());
        }
    }

    private Response setInstanceStatus(Request request) {
        String status = Json.string(request.jsonBody(), "status");
        if (status == null
                || !List.of("running", "stopped", "stopping", "starting", "failed", "pending", "restarting")
                        .contains(status)) {
            throw ApiException.invalidValue("status", "unsupported status", status);
        }
        return state.write(s -> {
            Instance instance = SimulatorState.byIdOrName(s.instances, request.pathParameter("instance"))
                    .orElseThrow(() -> ApiException.notFound("Instance", request.pathParameter("instance")));
            instance.status = status;
            instance.touch();
            return Response.ok(json.instance(s, instance));
        });
    }

    private JsonObject behaviourJson() {
        return Json.object()
                .put("token_lifetime_seconds", tokens.lifetime().toSeconds())
                .put("invalid_next_hop_code", behaviour.invalidNextHopCode)
                .put("default_page_limit", behaviour.defaultPageLimit)
                .put("maximum_page_limit", behaviour.maximumPageLimit)
                .put("route_patch_delay_ms", behaviour.routePatchDelayMillis)
                .put("floating_ip_patch_delay_ms", behaviour.floatingIpPatchDelayMillis)
                .put("load_balancer_update_ms", behaviour.loadBalancerUpdateMillis)
                .put("ecmp_limit", behaviour.ecmpLimit)
                .put("next_hop_requires_ip_spoofing", behaviour.nextHopRequiresIpSpoofing)
                .put("metadata_address_field", behaviour.metadataAddressField)
                .build();
    }

    private Response patchBehaviour(Request request) {
        JsonObject body = request.jsonBody();
        for (String field : body.keySet()) {
            JsonElement value = body.get(field);
            try {
                applyBehaviour(field, value);
            } catch (IllegalStateException | UnsupportedOperationException | NumberFormatException e) {
                throw ApiException.badField(field, "wrong type for " + field, value);
            }
        }
        return Response.ok(behaviourJson());
    }

    private void applyBehaviour(String field, JsonElement value) {
        switch (field.toLowerCase(Locale.ROOT)) {
            case "token_lifetime_seconds" -> tokens.setLifetime(Duration.ofSeconds(value.getAsLong()));
            case "invalid_next_hop_code" -> behaviour.invalidNextHopCode = value.getAsString();
            case "default_page_limit" -> behaviour.defaultPageLimit = value.getAsInt();
            case "maximum_page_limit" -> behaviour.maximumPageLimit = value.getAsInt();
            case "route_patch_delay_ms" -> behaviour.routePatchDelayMillis = value.getAsLong();
            case "floating_ip_patch_delay_ms" -> behaviour.floatingIpPatchDelayMillis = value.getAsLong();
            case "load_balancer_update_ms" -> behaviour.loadBalancerUpdateMillis = value.getAsLong();
            case "ecmp_limit" -> behaviour.ecmpLimit = value.getAsInt();
            case "next_hop_requires_ip_spoofing" -> behaviour.nextHopRequiresIpSpoofing = value.getAsBoolean();
            case "metadata_address_field" -> behaviour.metadataAddressField = metadataAddressField(value.getAsString());
            default -> throw ApiException.badField(field, "unknown behaviour setting", value);
        }
    }

    private static String metadataAddressField(String value) {
        if (!List.of("primary_ip", "primary_ipv4_address", "both").contains(value)) {
            throw ApiException.invalidValue(
                    "metadata_address_field", "one of primary_ip, primary_ipv4_address, both", value);
        }
        return value;
    }

    /** The whole state, readable: what a test or a human wants to see after a failover. */
    private JsonObject dump() {
        return state.read(s -> {
            JsonArray vpcs = new JsonArray();
            s.vpcs.values().forEach(vpc -> {
                JsonObject vpcJson = json.vpc(s, vpc);
                JsonArray tables = new JsonArray();
                s.routingTables.values().stream()
                        .filter(t -> t.vpcId.equals(vpc.id))
                        .forEach(table -> {
                            JsonObject tableJson = json.routingTable(s, table);
                            JsonArray routes = new JsonArray();
                            table.routes.values().forEach(route -> routes.add(json.route(s, table, route)));
                            tableJson.add("routes", routes);
                            tables.add(tableJson);
                        });
                vpcJson.add("routing_tables", tables);
                vpcs.add(vpcJson);
            });
            JsonArray instances = new JsonArray();
            s.instances.values().forEach(instance -> {
                JsonObject instanceJson = json.instance(s, instance);
                instanceJson.add("addresses", Json.strings(s.addressesOf(instance)));
                instances.add(instanceJson);
            });
            JsonArray principals = new JsonArray();
            s.principals
                    .values()
                    .forEach(p -> principals.add(Json.object()
                            .put("kind", p.kind == Principal.Kind.API_KEY ? "api_key" : "trusted_profile")
                            .put("id", p.id)
                            .put("name", p.name)
                            .put("deny", Json.strings(p.deny))
                            .put("linked_instances", Json.strings(p.linkedInstanceIds))
                            .build()));
            return Json.object()
                    .put("region", s.region())
                    .put("zones", Json.strings(s.zones()))
                    .put("urls", urls.get())
                    .put("pending_changes", s.pendingChangeCountUnlocked())
                    .put("vpcs", vpcs)
                    .put(
                            "subnets",
                            Json.array(s.subnets.values().stream()
                                    .map(subnet -> (JsonElement) json.subnet(s, subnet))
                                    .toList()))
                    .put("instances", instances)
                    .put(
                            "virtual_network_interfaces",
                            Json.array(s.virtualNetworkInterfaces.values().stream()
                                    .map(vni -> (JsonElement) json.virtualNetworkInterface(s, vni))
                                    .toList()))
                    .put(
                            "floating_ips",
                            Json.array(s.floatingIps.values().stream()
                                    .map(fip -> {
                                        JsonObject fipJson = json.floatingIp(s, fip);
                                        s.instanceOfInterface(fip.targetId == null ? "" : fip.targetId)
                                                .ifPresent(instance ->
                                                        fipJson.addProperty("target_instance", instance.name));
                                        return (JsonElement) fipJson;
                                    })
                                    .toList()))
                    .put(
                            "load_balancers",
                            Json.array(s.loadBalancers.values().stream()
                                    .map(lb -> (JsonElement) json.loadBalancer(s, lb))
                                    .toList()))
                    .put("principals", principals)
                    .build();
        });
    }
}
