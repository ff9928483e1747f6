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
import java.util.Map;
import java.util.Set;

/**
 * Load balancers, pools and pool members. Every change puts the load balancer in
 * {@code update_pending} for {@link Behaviour#loadBalancerUpdateMillis}; a change meanwhile gets 409
 * {@code load_balancer_update_conflict}.
 */
final class LoadBalancerHandlers {
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
        String members = "/v1/load_balancers/{load_balancer_id}/pools/{pool_id}/members";
        router.add("GET", "/v1/load_balancers", this::list)
                .add("GET", "/v1/load_balancers/{id}", this::get)
                .add("PATCH", "/v1/load_balancers/{id}", this::patch)
                .add("GET", "/v1/load_balancers/{load_balancer_id}/pools", this::listPools)
                .add("GET", "/v1/load_balancers/{load_balancer_id}/pools/{id}", this::getPool)
                .add("GET", members, this::listMembers)
                .add("POST", members, this::createMember)
                .add("PUT", members, this::replaceMembers)
                .add("GET", members + "/{id}", this::getMember)
                .add("PATCH", members + "/{id}", this::patchMember)
                .add("DELETE", members + "/{id}", this::deleteMember);
    }

    private static LoadBalancer loadBalancer(SimulatorState s, String id) {
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

    private void beginUpdate(LoadBalancer lb) {
        if (!"active".equals(VpcJson.provisioningStatus(lb))) {
            throw new ApiException(
                    409,
                    "load_balancer_update_conflict",
                    "The load balancer with ID '" + lb.id
                            + "' cannot be updated because its status is 'UPDATE_PENDING'.");
        }
        lb.pendingUntilNanos = behaviour.loadBalancerUpdateMillis > 0
                ? System.nanoTime() + behaviour.loadBalancerUpdateMillis * 1_000_000L
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
            beginUpdate(lb);
            if (name != null) {
                lb.name = name;
            }
            return Response.ok(json.loadBalancer(s, lb)).etag(lb.etag());
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

    private Response createMember(Request request) {
        JsonObject body = request.jsonBody();
        Checks.onlyFields(body, Set.of("port", "target", "weight"), "a pool member");
        return state.write(s -> {
            LoadBalancer lb = loadBalancer(s, request.pathParameter("load_balancer_id"));
            LoadBalancer.Pool pool = pool(lb, request.pathParameter("pool_id"));
            if (!"active".equals(VpcJson.provisioningStatus(lb))) {
                beginUpdate(lb);
            }
            if (pool.members.size() >= behaviour.membersPerPool) {
                throw new ApiException(
                        400, "over_quota", "A pool has at most " + behaviour.membersPerPool + " members");
            }
            LoadBalancer.Member member = newMember(s, body);
            beginUpdate(lb);
            pool.members.put(member.id, member);
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
            if (membersJson.getAsJsonArray().size() > behaviour.membersPerPool) {
                throw new ApiException(
                        400, "over_quota", "A pool has at most " + behaviour.membersPerPool + " members");
            }
            if (!"active".equals(VpcJson.provisioningStatus(lb))) {
                beginUpdate(lb);
            }
            List<LoadBalancer.Member> members = new ArrayList<>();
            for (JsonElement element : membersJson.getAsJsonArray()) {
                members.add(newMember(s, element.getAsJsonObject()));
            }
            beginUpdate(lb);
            pool.members.clear();
            members.forEach(member -> pool.members.put(member.id, member));
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
            beginUpdate(lb);
            member.port = candidate.port;
            member.weight = candidate.weight;
            member.targetInstanceId = candidate.targetInstanceId;
            member.targetAddress = candidate.targetAddress;
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
            beginUpdate(lb);
            pool.members.remove(member.id);
            return Response.of(202, null);
        });
    }
}
