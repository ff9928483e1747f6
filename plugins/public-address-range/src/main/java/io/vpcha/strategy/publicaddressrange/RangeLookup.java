package io.vpcha.strategy.publicaddressrange;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.StrategyException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the range the resource names by id, name or CIDR. An id (given, or kept from an earlier
 * lookup) costs one GET; a name or a CIDR costs one list, once per node.
 */
final class RangeLookup {
    /** The shape of VPC ids: r006-..., 0717-... followed by a UUID. */
    private static final Pattern ID =
            Pattern.compile("[0-9a-z]{4}[-_][0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final Ranges ranges;

    RangeLookup(Ranges ranges) {
        this.ranges = requireNonNull(ranges, "ranges is null");
    }

    /**
     * @param parameter public_address_range: an id, a name or a CIDR
     * @param knownId the id an earlier action resolved the same parameter to
     * @throws StrategyException NOT_CONFIGURED when none matches, or the cloud's failure
     */
    AddressRange find(String parameter, Optional<String> knownId) throws StrategyException {
        Optional<String> id = knownId.isPresent()
                ? knownId
                : Optional.of(parameter).filter(value -> ID.matcher(value).matches());
        if (id.isPresent()) {
            Optional<AddressRange> byId = ranges.get(id.get());
            if (byId.isPresent()) {
                return byId.get();
            }
            // deleted since, or released and reserved again under the same name: look again
        }
        AddressRange listed = match(parameter, ranges.list());
        // the list shows no ETag: the GET does, for the PATCH's If-Match
        return ranges.get(listed.id()).orElse(listed);
    }

    private static AddressRange match(String parameter, List<AddressRange> all) throws StrategyException {
        for (AddressRange range : all) {
            if (range.id().equals(parameter) || range.cidr().equals(parameter)) {
                return range;
            }
        }
        List<AddressRange> named =
                all.stream().filter(range -> range.name().equals(parameter)).toList();
        if (named.size() > 1) {
            throw StrategyException.notConfigured(named.size() + " public address ranges are named " + parameter
                    + "; set " + ParParameters.PUBLIC_ADDRESS_RANGE + " to the id of one ("
                    + named.get(0).id() + ", "
                    + named.get(1).id() + ")");
        }
        if (named.isEmpty()) {
            throw StrategyException.notConfigured("no public address range with id, name or CIDR " + parameter
                    + " in this region (" + all.size() + " listed)");
        }
        return named.get(0);
    }
}
