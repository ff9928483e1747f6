package io.vpcha.strategy.floatingip;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.FloatingIp;
import io.vpcha.spi.cloud.VpcApi;
import io.vpcha.toolkit.time.TimeBox;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the floating IP the resource names by id, name or address. An id (given, or cached from an
 * earlier lookup) costs one GET; a name or an address costs one list, once per node.
 */
final class FloatingIpLookup {
    /** The shape of VPC ids: r006-..., 0717-... followed by a UUID. */
    private static final Pattern ID =
            Pattern.compile("[0-9a-z]{4}[-_][0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final VpcApi vpc;
    private final TimeBox timeBox;

    FloatingIpLookup(VpcApi vpc, TimeBox timeBox) {
        this.vpc = requireNonNull(vpc, "vpc is null");
        this.timeBox = requireNonNull(timeBox, "timeBox is null");
    }

    /**
     * The floating IP as the API shows it now.
     *
     * @param listed every floating IP of the region, when the lookup had to list them (else empty)
     */
    record Found(FloatingIp floatingIp, Optional<List<FloatingIp>> listed) {
        Found {
            requireNonNull(floatingIp, "floatingIp is null");
            requireNonNull(listed, "listed is null");
        }
    }

    /**
     * @param parameter the floating_ip parameter: an id, a name or an address
     * @param cached what an earlier action resolved the same parameter to
     * @param list list the floating IPs even when one GET would do (validate-all wants all of them)
     * @throws StrategyException NOT_CONFIGURED when none matches, or the cloud's failure
     */
    Found find(String parameter, Optional<KnownFloatingIp> cached, boolean list) throws StrategyException {
        if (!list) {
            if (cached.isPresent()) {
                Optional<FloatingIp> byCachedId = get(cached.get().id());
                if (byCachedId.isPresent()) {
                    return new Found(byCachedId.get(), Optional.empty());
                }
                // deleted since, or released and allocated again under the same name: look again
            } else if (ID.matcher(parameter).matches()) {
                Optional<FloatingIp> byId = get(parameter);
                if (byId.isPresent()) {
                    return new Found(byId.get(), Optional.empty());
                }
            }
        }
        List<FloatingIp> all = timeBox.call("list floating IPs", vpc::listFloatingIps);
        return new Found(match(parameter, all), Optional.of(all));
    }

    private Optional<FloatingIp> get(String id) throws StrategyException {
        try {
            return Optional.of(timeBox.call("get floating IP " + id, () -> vpc.getFloatingIp(id)));
        } catch (CloudException e) {
            if (e.cloudErrorKind() == CloudErrorKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static FloatingIp match(String parameter, List<FloatingIp> all) throws StrategyException {
        for (FloatingIp floatingIp : all) {
            if (floatingIp.id().equals(parameter) || floatingIp.address().equals(parameter)) {
                return floatingIp;
            }
        }
        List<FloatingIp> named = all.stream()
                .filter(floatingIp -> floatingIp.name().equals(parameter))
                .toList();
        if (named.size() > 1) {
            throw StrategyException.notConfigured(
                    named.size() + " floating IPs are named " + parameter + "; set floating_ip to the id of one ("
                            + named.get(0).id() + ", " + named.get(1).id() + ")");
        }
        if (named.isEmpty()) {
            throw StrategyException.notConfigured("no floating IP with id, name or address " + parameter
                    + " in this region (" + all.size() + " floating IPs listed)");
        }
        return named.get(0);
    }
}
