package io.vpcha.simulator.admin;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.vpcha.simulator.events.EventLog;
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
import io.vpcha.simulator.lb.HealthChecks;
import io.vpcha.simulator.oracle.Delivery;
import io.vpcha.simulator.oracle.ForwardingOracle;
import io.vpcha.simulator.oracle.TrafficSource;
import io.vpcha.simulator.state.Behaviour;
import io.vpcha.simulator.state.Instance;
import io.vpcha.simulator.state.LoadBalancer;
import io.vpcha.simulator.state.Principal;
import io.vpcha.simulator.state.SimulatorState;
import io.vpcha.simulator.vpc.PowerActions;
import io.vpcha.simulator.vpc.VpcJson;
import io.vpcha.simulator.vpc.VpcService;
import java.time.Duration;
import java.util.List;
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
    private final HealthChecks healthChecks;
    private final Router router = new Router();

    public AdminService(
            SimulatorState state,
            VpcJson json,
            ForwardingOracle oracle,
            RequestJournal journal,
            Faults faults,
            TokenService tokens,
            Behaviour behaviour,
            HealthChecks healthChecks,
            Runnable reset,
            Supplier<JsonObject> urls) {
        this.healthChecks = healthChecks;
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
                .add("GET", "/sim/events", this::events)
                .add("POST", "/sim/instances/{instance}/status", this::setInstanceStatus)
                .add("POST", "/sim/load_balancers/{lb}/health_checks", this::runHealthChecks)
                .add("POST", "/sim/load_balancers/{lb}/pools/{pool}/members/{member}/health", this::setMemberHealth);
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
        String loadBalancer = request.query("load_balancer");
        if (address == null && loadBalancer == null) {
            throw ApiException.invalidQuery(
                    "address", "The address (or load_balancer) query parameter is required", null);
        }
        String zone = request.query("zone");
        String subnet = request.query("subnet");
        String ingress = request.query("ingress");
        TrafficSource source;
        try {
            if (ingress != null) {
                TrafficSource.Ingress kind = TrafficSource.Ingress.parse(ingress);
                if (zone == null && kind != TrafficSource.Ingress.INTERNET) {
                    throw new IllegalArgumentException("an ingress query needs a zone");
                }
                source = zone == null ? TrafficSource.fromInternet() : TrafficSource.ingress(kind, zone);
            } else if (loadBalancer != null && zone == null && subnet == null) {
                source = TrafficSource.fromZone(state.read(s -> s.zones().get(0)));
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
            Delivery delivery = loadBalancer != null
                    ? oracle.deliverToLoadBalancer(loadBalancer, request.query("pool"), source)
                    : oracle.deliver(address, source);
            JsonObject result = delivery.toJson();
            if (address != null) {
                result.addProperty("address", address);
            } else {
                result.addProperty("load_balancer", loadBalancer);
            }
            result.addProperty("source", source.toString());
            return Response.ok(result);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "invalid_value", e.getMessage());
        }
    }

    /**
     * {@code GET /sim/events?since=N&wait=SECONDS&type=T}: the events after sequence N; when there are
     * none yet, waits up to {@code wait} seconds (at most 120) for the next one (a long poll).
     */
    private Response events(Request request) {
        long since = parseLong(request.query("since"), 0);
        long wait = Math.min(120, Math.max(0, parseLong(request.query("wait"), 0)));
        String type = request.query("type");
        EventLog log = state.events();
        // A reader that knew another simulator process (or an older run) starts over.
        long after = since > log.lastSequence() ? 0 : since;
        long deadline = System.nanoTime() + wait * 1_000_000_000L;
        List<EventLog.Event> matching = List.of();
        while (true) {
            List<EventLog.Event> got;
            try {
                got = log.await(after, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException(503, "shutting_down", "The simulator is stopping");
            }
            if (got.isEmpty()) {
                break;
            }
            after = got.get(got.size() - 1).sequence();
            matching = got.stream()
                    .filter(event -> type == null || event.type().equals(type))
                    .toList();
            if (!matching.isEmpty() || System.nanoTime() - deadline >= 0) {
                break;
            }
        }
        return Response.ok(Json.object()
                .put("last_sequence", after)
                .put(
                        "events",
                        Json.array(matching.stream().map(EventLog.Event::toJson).toList())));
    }

    /** Sets an instance's status at once (a node that died: routes still point at it). */
    private Response setInstanceStatus(Request request) {
        String status = Json.string(request.jsonBody(), "status");
        if (status == null || !PowerActions.STATUSES.contains(status)) {
            throw ApiException.invalidValue("status", "one of " + PowerActions.STATUSES, status);
        }
        return state.write(s -> {
            Instance instance = SimulatorState.byIdOrName(s.instances, request.pathParameter("instance"))
                    .orElseThrow(() -> ApiException.notFound("Instance", request.pathParameter("instance")));
            PowerActions.setStatusNow(s, instance, status, "admin API");
            return Response.ok(json.instance(s, instance));
        });
    }

    /** Runs every pool's health checks of a load balancer (or all: {@code *}) now and waits for the results. */
    private Response runHealthChecks(Request request) {
        String name = request.pathParameter("lb");
        state.update(s -> s.loadBalancers.values().stream()
                .filter(lb -> name.equals("*") || lb.id.equals(name) || lb.name.equals(name))
                .forEach(lb -> lb.pools.values().forEach(pool -> pool.nextProbeNanos = 0)));
        healthChecks.runDue(true);
        return state.read(s -> Response.ok(Json.object()
                .put(
                        "load_balancers",
                        Json.array(s.loadBalancers.values().stream()
                                .filter(lb -> name.equals("*") || lb.id.equals(name) || lb.name.equals(name))
                                .map(lb -> (JsonElement) loadBalancerDump(s, lb))
                                .toList()))));
    }

    /** Sets a member's health by hand ({@code {"health":"ok|faulted|unknown"}}), for tests with checks off. */
    private Response setMemberHealth(Request request) {
        String health = Json.string(request.jsonBody(), "health");
        if (!List.of("ok", "faulted", "unknown").contains(String.valueOf(health))) {
            throw ApiException.invalidValue("health", "one of ok, faulted, unknown", health);
        }
        return state.write(s -> {
            LoadBalancer lb = SimulatorState.byIdOrName(s.loadBalancers, request.pathParameter("lb"))
                    .orElseThrow(() -> ApiException.notFound("Load balancer", request.pathParameter("lb")));
            LoadBalancer.Pool pool = lb.pools.values().stream()
                    .filter(p ->
                            p.id.equals(request.pathParameter("pool")) || p.name.equals(request.pathParameter("pool")))
                    .findFirst()
                    .orElseThrow(() -> ApiException.notFound("Pool", request.pathParameter("pool")));
            String key = request.pathParameter("member");
            LoadBalancer.Member member = pool.members.values().stream()
                    .filter(m -> m.id.equals(key)
                            || (m.targetInstanceId != null
                                    && SimulatorState.byIdOrName(s.instances, key)
                                            .map(i -> i.id.equals(m.targetInstanceId))
                                            .orElse(false))
                            || key.equals(m.targetAddress))
                    .findFirst()
                    .orElseThrow(() -> ApiException.notFound("Member", key));
            HealthChecks.setHealth(s, lb, pool, member, health, "admin API");
            return Response.ok(json.member(s, lb, pool, member));
        });
    }

    /** A load balancer with its listeners, pools and members in full. */
    private JsonObject loadBalancerDump(SimulatorState s, LoadBalancer lb) {
        JsonObject lbJson = json.loadBalancer(s, lb);
        JsonArray pools = new JsonArray();
        lb.pools.values().forEach(pool -> {
            JsonObject poolJson = json.pool(s, lb, pool);
            JsonArray members = new JsonArray();
            pool.members.values().forEach(member -> {
                JsonObject memberJson = json.member(s, lb, pool, member);
                Instance instance = HealthChecks.memberInstance(s, member);
                if (instance != null) {
                    memberJson.addProperty("target_instance", instance.name);
                }
                HealthChecks.memberAddress(s, member).ifPresent(a -> memberJson.addProperty("target_address", a));
                members.add(memberJson);
            });
            poolJson.add("members", members);
            pools.add(poolJson);
        });
        lbJson.add("pools", pools);
        JsonArray listeners = new JsonArray();
        lb.listeners.forEach(listener -> listeners.add(json.listener(s, lb, listener)));
        lbJson.add("listeners", listeners);
        return lbJson;
    }

    private JsonObject behaviourJson() {
        JsonObject json = behaviour.toJson();
        json.addProperty("token_lifetime_seconds", tokens.lifetime().toSeconds());
        return json;
    }

    private Response patchBehaviour(Request request) {
        JsonObject body = request.jsonBody();
        for (String field : body.keySet()) {
            JsonElement value = body.get(field);
            try {
                if (field.equals("token_lifetime_seconds")) {
                    tokens.setLifetime(Duration.ofSeconds(value.getAsLong()));
                } else {
                    behaviour.set(field, value);
                }
            } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
                throw ApiException.badField(field, e.getMessage(), value);
            }
        }
        return Response.ok(behaviourJson());
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
                                    .map(lb -> (JsonElement) loadBalancerDump(s, lb))
                                    .toList()))
                    .put(
                            "public_address_ranges",
                            Json.array(s.publicAddressRanges.values().stream()
                                    .map(range -> (JsonElement) json.publicAddressRange(s, range))
                                    .toList()))
                    .put("last_event", s.events().lastSequence())
                    .put("principals", principals)
                    .build();
        });
    }
}
