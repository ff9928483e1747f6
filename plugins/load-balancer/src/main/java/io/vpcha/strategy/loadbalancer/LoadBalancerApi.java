package io.vpcha.strategy.loadbalancer;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.ApiRequest;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.VpcApi;
import io.vpcha.toolkit.json.Json;
import io.vpcha.toolkit.time.TimeBox;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The load balancer and pool reads the typed API lacks (their status, algorithm, health monitor), over
 * raw requests, each within the action's time box; and the lookups by id or name.
 */
final class LoadBalancerApi {
    /** The shape of VPC ids: r006-... followed by a UUID. */
    private static final Pattern ID =
            Pattern.compile("[0-9a-z]{4}[-_][0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private static final int PAGE = 100;
    /** Pages followed at most: 5000 load balancers, far beyond any account's quota. */
    private static final int MOST_PAGES = 50;

    private final VpcApi vpc;
    private final TimeBox timeBox;

    LoadBalancerApi(VpcApi vpc, TimeBox timeBox) {
        this.vpc = requireNonNull(vpc, "vpc is null");
        this.timeBox = requireNonNull(timeBox, "timeBox is null");
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
        Optional<String> start = Optional.empty();
        for (int page = 0; page < MOST_PAGES; page++) {
            ApiRequest.Builder request =
                    ApiRequest.builder("GET", "/load_balancers").query("limit", Integer.toString(PAGE));
            start.ifPresent(token -> request.query("start", token));
            ApiRequest built = request.build();
            Map<String, Object> answer =
                    ApiAnswer.object(timeBox.call("list load balancers", () -> vpc.send(built)), "list load balancers");
            for (Object lb : Json.list(answer, "load_balancers")) {
                all.add(LoadBalancerView.of(castObject(lb)));
            }
            start = Json.string(answer, "next.href").flatMap(LoadBalancerApi::startToken);
            if (start.isEmpty()) {
                return all;
            }
        }
        return all;
    }

    private Map<String, Object> get(String path, String what) throws StrategyException {
        return ApiAnswer.object(timeBox.call(what, () -> vpc.send(ApiRequest.get(path))), what);
    }

    /** The {@code start} query parameter of a page's {@code next.href}. */
    static Optional<String> startToken(String href) {
        String query;
        try {
            query = URI.create(href).getRawQuery();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&", -1)) {
            if (pair.startsWith("start=")) {
                return Optional.of(URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
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
