package io.vpcha.strategy.publicaddressrange;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.toolkit.json.Json;
import java.util.Map;
import java.util.Optional;

/**
 * A public address range as the API shows it.
 *
 * @param target the VPC and zone it is bound to; empty when unbound
 * @param lifecycleState {@code stable}, or {@code updating} while a bind, move or unbind takes effect
 * @param etag for an {@code If-Match} on the next PATCH, when the answer had one
 */
record AddressRange(
        String id, String name, String cidr, Optional<Binding> target, String lifecycleState, Optional<String> etag) {
    static final String STABLE = "stable";

    AddressRange {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(cidr, "cidr is null");
        requireNonNull(target, "target is null");
        requireNonNull(lifecycleState, "lifecycleState is null");
        requireNonNull(etag, "etag is null");
        if (id.isEmpty() || cidr.isEmpty()) {
            throw new IllegalArgumentException("a range without id or cidr");
        }
    }

    /** Where a range is bound: a VPC (with its name for messages) and a zone. */
    record Binding(String vpcId, String vpcName, String zone) {
        Binding {
            requireNonNull(vpcId, "vpcId is null");
            requireNonNull(vpcName, "vpcName is null");
            requireNonNull(zone, "zone is null");
        }

        String describe() {
            return "zone " + zone + " of VPC " + (vpcName.isEmpty() ? vpcId : vpcName);
        }
    }

    /**
     * The range in an answer of the API.
     *
     * @throws CloudException when the answer lacks the range's id or CIDR (not a range at all)
     */
    static AddressRange from(Map<String, Object> json, Optional<String> etag) throws CloudException {
        Optional<String> id = Json.string(json, "id");
        Optional<String> cidr = Json.string(json, "cidr");
        if (id.isEmpty() || cidr.isEmpty()) {
            throw new CloudException(
                    CloudErrorKind.TRANSIENT,
                    0,
                    null,
                    "the API answered a public address range without id or cidr",
                    null,
                    null);
        }
        Optional<String> vpcId = Json.string(json, "target.vpc.id");
        Optional<String> zone = Json.string(json, "target.zone.name");
        Optional<Binding> target = vpcId.isPresent() && zone.isPresent()
                ? Optional.of(new Binding(
                        vpcId.get(), Json.string(json, "target.vpc.name").orElse(""), zone.get()))
                : Optional.empty();
        return new AddressRange(
                id.get(),
                Json.string(json, "name").orElse(""),
                cidr.get(),
                target,
                Json.string(json, "lifecycle_state").orElse(""),
                etag);
    }

    boolean isStable() {
        return lifecycleState.equals(STABLE);
    }

    boolean isBoundTo(String vpcId, String zone) {
        return target.map(binding ->
                        binding.vpcId().equals(vpcId) && binding.zone().equals(zone))
                .orElse(false);
    }

    boolean isBoundToAnotherVpcThan(String vpcId) {
        return target.map(binding -> !binding.vpcId().equals(vpcId)).orElse(false);
    }

    /** Where it is bound, in words. */
    String binding() {
        return target.map(Binding::describe).orElse("no VPC (unbound)");
    }

    String describe() {
        return describe(name, cidr);
    }

    static String describe(String name, String cidr) {
        return name.isEmpty() ? "public address range " + cidr : "public address range " + name + " (" + cidr + ")";
    }
}
