package io.vpcha.simulator.vpc;

import com.google.gson.JsonArray;
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
import io.vpcha.simulator.state.LoadBalancer;
import io.vpcha.simulator.state.SimulatorState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Load balancers, listeners, pools and pool members. Every change puts the load balancer in
 * {@code update_pending} for {@link Behaviour#loadBalancerUpdateMillis} (on the simulator's clock); a
 * change meanwhile, or to a {@code failed} load balancer, gets 409 {@code load_balancer_update_conflict}.
 */
final class LoadBalancerHandlers {
    private static final Set<String> ALGORITHMS = Set.of("least_connections", "round_robin", "weighted_round_robin");
    private static final Set<String> MONITOR_TYPES = Set.of("http", "https", "tcp");

    private final SimulatorState state;
    private final VpcJson json;
    private final Pagination pagination;
    private final Behaviour behaviour;

    LoadBalancerHandlers(SimulatorState state, VpcJson json, Pagination pagination, Behaviour behaviour) {
        this.state = state;
        this.json = json;
        this.pagination = pagination;
        this.behaviour = behaviour;
    }

    void register(Router router) {
        String lb = "/v1/load_balancers/{load_balancer_id}";
        String members = lb + "/pools/{pool_id}/members";
        router.add("GET", "/v1/load_balancers", this::list)
                .add("GET", "/v1/load_balancers/{id}", this::get)
                .add("PATCH", "/v1/load_balancers/{id}", this::patch)
                .add("GET", lb + "/listeners", this::listListeners)
                .add("GET", lb + "/listeners/{id}", this::getListener)
                .add("GET", lb + "/pools", this::listPools)
                .add("GET", lb + "/pools/{id}", this::getPool)
                .add("PATCH", lb + "/pools/{id}", this::patchPool)
                .add("GET", members, this::listMembers)
                .add("POST", members, this::createMember)
                .add("PUT", members, this::replaceMembers)
                .add("GET", members + "/{id}", this::getMember)
                .add("PATCH", members + "/{id}", this::patchMember)
                .add("DELETE", members + "/{id}", this::deleteMember);
    }

    static LoadBalancer loadBalancer(SimulatorState s, String id) {
        LoadBalancer lb = s.loadBalancers.get(id);
        if (lb == null) {
            throw ApiException.notFound("Load balancer", id);
        }
        return lb;
    }

    private static LoadBalancer.Pool pool(LoadBalancer lb, String id) {
        LoadBalancer.Pool pool = lb.pools.get(id);
        if (pool == null) {
            throw ApiException.notFound("Pool", id);
        }
        return pool;
    }

    private static LoadBalancer.Member member(LoadBalancer.Pool pool, String id) {
        LoadBalancer.Member member = pool.members.get(id);
        if (member == null) {
            throw ApiException.notFound("Member", id);
        }
        return member;
    }

    /** Refuses a change unless the load balancer is active, then makes it update_pending for a while. */
    private void beginUpdate(SimulatorState s, LoadBalancer lb) {
        String status = VpcJson.provisioningStatus(s, lb);
        if (!"active".equals(status)) {
            throw new ApiException(
                    409,
                    "load_balancer_update_conflict",
                    "The load balancer with ID '" + lb.id + "' cannot be updated because its status is '"
                            + status.toUpperCase(Locale.ROOT) + "'.");
        }
        lb.pendingUntilNanos = behaviour.loadBalancerUpdateMillis > 0
                ? s.clock().nanoTime() + behaviour.loadBalancerUpdateMillis * 1_000_000L
                : 0;
        lb.touch();
    }

    private Response list(Request request) {
        return state.read(s -> Response.ok(pagination.page(
                request,
                json.href("/load_balancers"),
                Map.of(),
                "load_balancers",
                List.copyOf(s.loadBalancers.values()),
                lb -> json.loadBalancer(s, lb))));
    }

    private Response get(Request request) {
        return state.read(s -> {
            LoadBalancer lb = loadBalancer(s, request.pathParameter("id"));
            return Response.ok(json.loadBalancer(s, lb)).etag(lb.etag());
        });
    }

    private Response patch(Request request) {
        JsonObject body = request.jsonBody();
        Checks.onlyFields(body, Set.of("name"), "a load balancer");
        return state.write(s -> {
            LoadBalancer lb = loadBalancer(s, request.pathParameter("id"));
            request.checkIfMatch(lb.etag());
            String name = Checks.name(body, "name");
            beginUpdate(s, lb);
            if (name != null) {
                lb.name = name;
            }
            return Response.ok(json.loadBalancer(s, lb)).etag(lb.etag());
        });
    }

    private Response listListeners(Request request) {
        return state.read(s -> {
            LoadBalancer lb = loadBalancer(s, request.pathParameter("load_balancer_id"));
            JsonArray listeners = new JsonArray();
            lb.listeners.forEach(listener -> listeners.add(json.listener(s, lb, listener)));
            return Response.ok(Json.object().put("listeners", listeners));
        });
    }

    private Response getListener(Request request) {
        return state.read(s -> {
            LoadBalancer lb = loadBalancer(s, request.pathParameter("load_balancer_id"));
            LoadBalancer.Listener listener = lb.listeners.stream()
                    .filter(l -> l.id.equals(request.pathParameter("id")))
                    .findFirst()
                    .orElseThrow(() -> ApiException.notFound("Listener", request.pathParameter("id")));
            return Response.ok(json.listener(s, lb, listener)).etag(listener.etag());
        });
    }

    private Response listPools(Request request) {
        return state.read(s -> {
            LoadBalancer lb = loadBalancer(s, request.pathParameter("load_balancer_id"));
            JsonArray pools = new JsonArray();
            lb.pools.values().forEach(pool -> pools.add(json.pool(s, lb, pool)));
            return Response.ok(Json.object().put("pools", pools));
        });
    }

    private Response getPool(Request request) {
        return state.read(s -> {
            LoadBalancer lb = loadBalancer(s, request.pathParameter("load_balancer_id"));
            LoadBalancer.Pool pool = pool(lb, request.pathParameter("id"));
            return Response.ok(json.pool(s, lb, pool)).etag(pool.etag());
        });
    }

    /** PATCH of a pool: {@code name}, {@code algorithm}, {@code health_monitor} (merged), {@code proxy_protocol}. */
    private Response patchPool(Request request) {
        JsonObject body = request.jsonBody();
        Checks.onlyFields(body, Set.of("name", "algorithm", "health_monitor", "proxy_protocol"), "a pool");
        return state.write(s -> {
            LoadBalancer lb = loadBalancer(s, request.pathParameter("load_balancer_id"));
            LoadBalancer.Pool pool = pool(lb, request.pathParameter("id"));
            String name = Checks.name(body, "name");
            String algorithm = Json.string(body, "algorithm");
            if (algorithm != null && !ALGORITHMS.contains(algorithm)) {
                throw ApiException.invalidValue("algorithm", "The algorithm must be one of " + ALGORITHMS, algorithm);
            }
            String proxy = Json.string(body, "proxy_protocol");
            if (proxy != null && !Set.of("disabled", "v1", "v2").contains(proxy)) {
                throw ApiException.invalidValue("proxy_protocol", "disabled, v1 or v2", proxy);
            }
            LoadBalancer.HealthMonitor monitor = new LoadBalancer.HealthMonitor();
            copy(pool.healthMonitor, monitor);
            JsonObject monitorJson = Json.objectField(body, "health_monitor");
            if (monitorJson != null) {
                applyHealthMonitor(monitorJson, monitor);
            }
            beginUpdate(s, lb);
            if (name != null) {
                pool.name = name;
            }
            if (algorithm != null) {
                pool.algorithm = algorithm;
            }
            if (proxy != null) {
                pool.proxyProtocol = proxy;
            }
            copy(monitor, pool.healthMonitor);
            pool.nextProbeNanos = 0;
            pool.touch();
            return Response.ok(json.pool(s, lb, pool)).etag(pool.etag());
        });
    }

    private static void copy(LoadBalancer.HealthMonitor from, LoadBalancer.HealthMonitor to) {
        to.delay = from.delay;
        to.maxRetries = from.maxRetries;
        to.timeout = from.timeout;
        to.type = from.type;
        to.port = from.port;
        to.urlPath = from.urlPath;
    }

    /**
     * Merges a health monitor object into {@code monitor} and checks the result: type http, https or tcp;
     * delay 2-60 s; timeout 1-59 s and below the delay; max_retries 1-10; port 1-65535 (null: the member's).
     * Used for API bodies and for scenarios.
     */
    static void applyHealthMonitor(JsonObject json, LoadBalancer.HealthMonitor monitor) {
        Checks.onlyFields(
                json, Set.of("delay", "max_retries", "port", "timeout", "type", "url_path"), "a health monitor");
        String type = Json.string(json, "type");
        if (type != null) {
            if (!MONITOR_TYPES.contains(type)) {
                throw ApiException.invalidValue("health_monitor.type", "The type must be http, https or tcp", type);
            }
            monitor.type = type;
        }
        Integer value;
        if ((value = Json.integer(json, "delay")) != null) {
            monitor.delay = range("health_monitor.delay", value, 2, 60);
        }
        if ((value = Json.integer(json, "max_retries")) != null) {
            monitor.maxRetries = range("health_monitor.max_retries", value, 1, 10);
        }
        if ((value = Json.integer(json, "timeout")) != null) {
            monitor.timeout = range("health_monitor.timeout", value, 1, 59);
        }
        if (json.has("port")) {
            value = Json.integer(json, "port");
            monitor.port = value == null ? null : range("health_monitor.port", value, 1, 65535);
        }
        if (json.has("url_path")) {
            String path = Json.string(json, "url_path");
            if (path != null && !path.startsWith("/")) {
                throw ApiException.invalidValue("health_monitor.url_path", "The path must start with /", path);
            }
            monitor.urlPath = path;
        }
        if (monitor.timeout >= monitor.delay) {
            throw ApiException.invalidValue(
                    "health_monitor.timeout", "The timeout must be less than the delay", monitor.timeout);
        }
    }

    private static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw ApiException.invalidValue(field, "Must be between " + min + " and " + max, value);
        }
        return value;
    }

    private Response listMembers(Request request) {
        return state.read(s -> {
            LoadBalancer lb = loadBalancer(s, request.pathParameter("load_balancer_id"));
            LoadBalancer.Pool pool = pool(lb, request.pathParameter("pool_id"));
            JsonArray members = new JsonArray();
            pool.members.values().forEach(member -> members.add(json.member(s, lb, pool, member)));
            return Response.ok(Json.object().put("members", members));
        });
    }

    private Response getMember(Request request) {
        return state.read(s -> {
            LoadBalancer lb = loadBalancer(s, request.pathParameter("load_balancer_id"));
            LoadBalancer.Pool pool = pool(lb, request.pathParameter("pool_id"));
            LoadBalancer.Member member = member(pool, request.pathParameter("id"));
            return Response.ok(json.member(s, lb, pool, member)).etag(member.etag());
        });
    }

    private LoadBalancer.Member parseMember(SimulatorState s, JsonObject body, LoadBalancer.Member member) {
        Integer port = Json.integer(body, "port");
        if (port != null) {
            if (port < 1 || port > 65535) {
                throw ApiException.invalidValue("port", "The port must be between 1 and 65535", port);
            }
            member.port = port;
        }
        Integer weight = Json.integer(body, "weight");
        if (weight != null) {
            if (weight < 0 || weight > 100) {
                throw ApiException.invalidValue("weight", "The weight must be between 0 and 100", weight);
            }
            member.weight = weight;
        }
        JsonObject target = Json.objectField(body, "target");
        if (target != null) {
            String id = Json.string(target, "id");
            String address = Json.string(target, "address");
            if (id != null) {
                if (!s.instances.containsKey(id)) {
                    throw new ApiException(404, "not_found", "Target instance not found", "target.id", "field", id);
                }
                member.targetInstanceId = id;
                member.targetAddress = null;
            } else if (address != null && Ipv4.isValid(address)) {
                member.targetAddress = address;
                member.targetInstanceId = null;
            } else {
                throw ApiException.badField("target", "The target needs an instance id or an IPv4 address", target);
            }
        }
        return member;
    }

    private LoadBalancer.Member newMember(SimulatorState s, JsonObject body) {
        Checks.onlyFields(body, Set.of("port", "target", "weight"), "a pool member");
        if (!body.has("port") || !body.has("target")) {
            throw ApiException.badField(
                    body.has("port") ? "target" : "port", "The fields 'port' and 'target' are required", null);
        }
        LoadBalancer.Member member = new LoadBalancer.Member();
        member.id = s.ids().regional("member");
        member.provisioningStatus = "create_pending";
        parseMember(s, body, member);
        return s.stamp(member);
    }

    private void checkPoolSize(int size) {
        if (size > behaviour.membersPerPool) {
            throw new ApiException(400, "over_quota", "A pool has at most " + behaviour.membersPerPool + " members");
        }
    }

    private Response createMember(Request request) {
        JsonObject body = request.jsonBody();
        return state.write(s -> {
            LoadBalancer lb = loadBalancer(s, request.pathParameter("load_balancer_id"));
            LoadBalancer.Pool pool = pool(lb, request.pathParameter("pool_id"));
            checkPoolSize(pool.members.size() + 1);
            LoadBalancer.Member member = newMember(s, body);
            beginUpdate(s, lb);
            pool.members.put(member.id, member);
            pool.nextProbeNanos = 0;
            return Response.created(json.member(s, lb, pool, member)).etag(member.etag());
        });
    }

    private Response replaceMembers(Request request) {
        JsonObject body = request.jsonBody();
        JsonElement membersJson = body.get("members");
        if (membersJson == null || !membersJson.isJsonArray()) {
            throw ApiException.badField("members", "The field 'members' is required", null);
        }
        return state.write(s -> {
            LoadBalancer lb = loadBalancer(s, request.pathParameter("load_balancer_id"));
            LoadBalancer.Pool pool = pool(lb, request.pathParameter("pool_id"));
            checkPoolSize(membersJson.getAsJsonArray().size());
            List<LoadBalancer.Member> members = new ArrayList<>();
            for (JsonElement element : membersJson.getAsJsonArray()) {
                if (!element.isJsonObject()) {
                    throw ApiException.badField("members", "Each member must be an object", element);
                }
                members.add(newMember(s, element.getAsJsonObject()));
            }
            beginUpdate(s, lb);
            pool.members.clear();
            members.forEach(member -> pool.members.put(member.id, member));
            pool.nextProbeNanos = 0;
            JsonArray rendered = new JsonArray();
            members.forEach(member -> rendered.add(json.member(s, lb, pool, member)));
            return Response.of(202, Json.object().put("members", rendered).build());
        });
    }

    private Response patchMember(Request request) {
        JsonObject body = request.jsonBody();
        Checks.onlyFields(body, Set.of("port", "target", "weight"), "a pool member");
        return state.write(s -> {
            LoadBalancer lb = loadBalancer(s, request.pathParameter("load_balancer_id"));
            LoadBalancer.Pool pool = pool(lb, request.pathParameter("pool_id"));
            LoadBalancer.Member member = member(pool, request.pathParameter("id"));
            LoadBalancer.Member candidate = new LoadBalancer.Member();
            candidate.port = member.port;
            candidate.weight = member.weight;
            candidate.targetInstanceId = member.targetInstanceId;
            candidate.targetAddress = member.targetAddress;
            parseMember(s, body, candidate);
            beginUpdate(s, lb);
            boolean moved = candidate.port != member.port
                    || !Objects.equals(candidate.targetInstanceId, member.targetInstanceId)
                    || !Objects.equals(candidate.targetAddress, member.targetAddress);
            member.port = candidate.port;
            member.weight = candidate.weight;
            member.targetInstanceId = candidate.targetInstanceId;
            member.targetAddress = candidate.targetAddress;
            if (moved) {
                member.health = "unknown";
                member.probeStreak = 0;
                pool.nextProbeNanos = 0;
            }
            member.provisioningStatus = "update_pending";
            member.touch();
            return Response.ok(json.member(s, lb, pool, member)).etag(member.etag());
        });
    }

    private Response deleteMember(Request request) {
        return state.write(s -> {
            LoadBalancer lb = loadBalancer(s, request.pathParameter("load_balancer_id"));
            LoadBalancer.Pool pool = pool(lb, request.pathParameter("pool_id"));
            LoadBalancer.Member member = member(pool, request.pathParameter("id"));
            beginUpdate(s, lb);
            pool.members.remove(member.id);
            return Response.of(202, null);
        });
    }
}
