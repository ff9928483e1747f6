package io.vpcha.strategy.publicaddressrange;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.ApiRequest;
import io.vpcha.spi.cloud.ApiResponse;
import io.vpcha.spi.cloud.CloudAccess;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.toolkit.api.IamActions;
import io.vpcha.toolkit.api.RawApi;
import io.vpcha.toolkit.json.Json;
import io.vpcha.toolkit.time.TimeBox;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The public address range calls, through the raw API (the typed API has none): read one, list them,
 * change the target. A refused call names the IAM action it needs ({@link #IAM_ACTIONS}), which the
 * agent puts first in its one-line exit reason.
 */
final class Ranges {
    /**
     * The API's answer to a change of a range that is still updating. IBM does not publish the code;
     * this is the simulator's, and any other 409 is read back and judged by what it shows.
     */
    static final String NOT_STABLE = "public_address_range_not_stable";

    private static final String RANGE = "is.public-address-range.public-address-range";
    /**
     * What binding or moving a range takes in IAM (docs/iam-policy.md): the range's update, and, by
     * inference from IBM's page on binding at creation, operate on the VPC it is bound to.
     */
    private static final String UPDATE = RANGE + ".update and probably is.vpc.vpc.operate";
    /** {@link #UPDATE} as a log line names it. */
    static final String UPDATE_ACTIONS = "IAM action " + UPDATE;

    private static final String PATH = "/public_address_ranges";
    /** Each request's IAM action (docs/iam-policy.md, public-address-range). */
    static final IamActions IAM_ACTIONS = IamActions.builder()
            .needs("GET", PATH, RANGE + ".list")
            .needs("GET", PATH + "/{id}", RANGE + ".read")
            .needs("PATCH", PATH + "/{id}", UPDATE)
            .build();

    private final RawApi api;

    Ranges(CloudAccess cloud, TimeBox timeBox) {
        this.api = new RawApi(requireNonNull(cloud, "cloud is null"), timeBox, Set.of(NOT_STABLE), IAM_ACTIONS);
    }

    /** The range of that id; empty when there is none. */
    Optional<AddressRange> get(String id) throws StrategyException {
        try {
            ApiResponse response = api.exchange("get public address range " + id, ApiRequest.get(PATH + "/" + id));
            return Optional.of(
                    AddressRange.from(RawApi.object("get public address range " + id, response), response.etag()));
        } catch (CloudException e) {
            if (e.cloudErrorKind() == CloudErrorKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Every range of the account in this region. */
    List<AddressRange> list() throws StrategyException {
        List<AddressRange> ranges = new ArrayList<>();
        for (Map<String, Object> item : api.list("list public address ranges", PATH, "public_address_ranges")) {
            ranges.add(AddressRange.from(item, Optional.empty()));
        }
        return ranges;
    }

    /**
     * Binds the range to {@code zone} of {@code vpcId}, moving it when it is bound elsewhere: one PATCH,
     * conditional on the version read when there is one, so that a change by another node in between is
     * refused (412) instead of overwritten.
     */
    AddressRange bind(AddressRange range, String vpcId, String zone) throws StrategyException {
        String body = Json.write(
                Json.object("target", Json.object("vpc", Json.object("id", vpcId), "zone", Json.object("name", zone))));
        return patch(range, body, "bind " + range.describe() + " to zone " + zone);
    }

    private AddressRange patch(AddressRange range, String body, String what) throws StrategyException {
        ApiRequest.Builder request =
                ApiRequest.builder("PATCH", PATH + "/" + range.id()).jsonBody(body);
        range.etag().ifPresent(request::ifMatch);
        ApiResponse response = api.exchange(what, request.build());
        return AddressRange.from(RawApi.object(what, response), response.etag());
    }
}
