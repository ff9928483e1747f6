package io.vpcha.strategy.loadbalancer;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.ApiRequest;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.VpcApi;
import io.vpcha.toolkit.api.IamActions;
import io.vpcha.toolkit.api.RawApi;
import io.vpcha.toolkit.json.Json;
import io.vpcha.toolkit.time.TimeBox;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The load balancer and pool reads the typed API lacks (their status, algorithm, health monitor), over
 * raw requests, each within the action's time box; and the lookups by id or name. A refused request
 * names its IAM action ({@link #IAM_ACTIONS}).
 */
final class LoadBalancerApi {
    /** The shape of VPC ids: r006-... followed by a UUID. */
    private static final Pattern ID =
            Pattern.compile("[0-9a-z]{4}[-_][0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** A change refused while the load balancer is updating: the same request will do later. */
    private static final String UPDATE_CONFLICT = "load_balancer_update_conflict";

    private static final String READ = "is.load-balancer.load-balancer.read";
    /**
     * Each request's IAM action (docs/iam-policy.md, load-balancer). Whether listing load balancers
     * checks list or read is not in the public material.
     */
    static final IamActions IAM_ACTIONS = IamActions.builder()
            .probably("GET", "/load_balancers", "is.load-balancer.load-balancer.list")
            .needs("GET", "/load_balancers/{id}", READ)
            .needs("GET", "/load_balancers/{id}/pools", READ)
            .needs("GET", "/load_balancers/{id}/pools/{pool}", READ)
            .build();

    private final RawApi raw;

    LoadBalancerApi(VpcApi vpc, TimeBox timeBox) {
        this.raw = new RawApi(requireNonNull(vpc, "vpc is null"), timeBox, Set.of(UPDATE_CONFLICT), IAM_ACTIONS);
    }

    LoadBalancerView loadBalancer(String id) throws StrategyException {
        String what = "get load balancer " + id;
        return LoadBalancerView.of(get("/load_balancers/" + segment(id), what));
    }

    PoolView pool(String loadBalancerId, String poolId) throws StrategyException {
        String what = "get pool " + poolId + " of load balancer " + loadBalancerId;
        return PoolView.of(get("/load_balancers/" + segment(loadBalancerId) + "/pools/" + segment(poolId), what));
    }

    /**
     * The load balancer and pool the parameters name: by the kept ids (one GET each), by id, or by name
     * (a list).
     *
     * @throws StrategyException NOT_CONFIGURED when none matches or a name is ambiguous
     */
    Resolved resolve(LoadBalancerSettings settings, Optional<KnownPool> known) throws StrategyException {
        if (known.isPresent()) {
            try {
                LoadBalancerView loadBalancer = loadBalancer(known.get().loadBalancerId());
                PoolView pool = pool(loadBalancer.id(), known.get().poolId());
                return new Resolved(loadBalancer, pool);
            } catch (CloudException e) {
                if (e.cloudErrorKind() != CloudErrorKind.NOT_FOUND) {
                    throw e;
                }
                // deleted and made again under the same names: look again
            }
        }
        LoadBalancerView loadBalancer = findLoadBalancer(settings.loadBalancer());
        return new Resolved(loadBalancer, findPool(loadBalancer, settings.pool()));
    }

    /** A load balancer and its pool, as read now. */
    record Resolved(LoadBalancerView loadBalancer, PoolView pool) {
        Resolved {
            requireNonNull(loadBalancer, "loadBalancer is null");
            requireNonNull(pool, "pool is null");
        }

        KnownPool known(LoadBalancerSettings settings) {
            return new KnownPool(settings.loadBalancer(), settings.pool(), loadBalancer.id(), pool.id());
        }
    }

    private LoadBalancerView findLoadBalancer(String parameter) throws StrategyException {
        if (ID.matcher(parameter).matches()) {
            try {
                return loadBalancer(parameter);
            } catch (CloudException e) {
                if (e.cloudErrorKind() != CloudErrorKind.NOT_FOUND) {
                    throw e;
                }
            }
        }
        List<LoadBalancerView> all = listLoadBalancers();
        List<LoadBalancerView> matching = all.stream()
                .filter(lb -> lb.id().equals(parameter) || lb.name().equals(parameter))
                .toList();
        if (matching.size() > 1) {
            throw StrategyException.notConfigured(matching.size() + " load balancers are named " + parameter
                    + "; set load_balancer to the id of one (" + matching.get(0).id() + ", "
                    + matching.get(1).id()
                    + ")");
        }
        if (matching.isEmpty()) {
            throw StrategyException.notConfigured("no load balancer with id or name " + parameter + " in this region ("
                    + all.size() + " load balancers listed)");
        }
        return matching.get(0);
    }

    private PoolView findPool(LoadBalancerView loadBalancer, String parameter) throws StrategyException {
        String what = "list pools of " + loadBalancer.describe();
        Map<String, Object> answer = get("/load_balancers/" + segment(loadBalancer.id()) + "/pools", what);
        List<PoolView> pools = new ArrayList<>();
        for (Object pool : Json.list(answer, "pools")) {
            pools.add(PoolView.of(castObject(pool)));
        }
        List<PoolView> matching = pools.stream()
                .filter(pool -> pool.id().equals(parameter) || pool.name().equals(parameter))
                .toList();
        if (matching.size() != 1) {
            String names = pools.isEmpty()
                    ? "it has none"
                    : "its pools: "
                            + String.join(
                                    ", ", pools.stream().map(PoolView::name).toList());
            throw StrategyException.notConfigured(
                    (matching.isEmpty() ? "no pool with id or name " : "more than one pool named ") + parameter + " in "
                            + loadBalancer.describe() + " (" + names + ")");
        }
        return matching.get(0);
    }

    private List<LoadBalancerView> listLoadBalancers() throws StrategyException {
        List<LoadBalancerView> all = new ArrayList<>();
        for (Map<String, Object> lb : raw.list("list load balancers", "/load_balancers", "load_balancers")) {
            all.add(LoadBalancerView.of(lb));
        }
        return all;
    }

    private Map<String, Object> get(String path, String what) throws StrategyException {
        return raw.call(what, ApiRequest.get(path));
    }

    @SuppressWarnings("unchecked") // the host's JSON trees have string keys only
    private static Map<String, Object> castObject(Object value) {
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("not a JSON object: " + value);
        }
        return (Map<String, Object>) value;
    }

    /** An id or name as a path segment. */
    private static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
