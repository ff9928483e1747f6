package io.vpcha.strategy.secondaryip;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.Ipv4;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the resource's parameters resolve to on this node: its VNI, the reserved IP in that VNI's
 * subnet, and the guest interface for the local address. Kept in the state directory so that later
 * actions need neither the metadata service nor a list; valid only while the parameters are the same.
 *
 * @param parameter the ip parameter it was resolved from
 * @param selectionKey {@link VniSelection#cacheKey()} of the choice of VNI
 * @param interfaceKey {@link SecondaryIpSettings#interfaceKey()} of the choice of guest interface
 * @param interfaceName the guest interface, empty when manage_local_ip is false
 */
record ResolvedIp(
        String parameter,
        String selectionKey,
        String interfaceKey,
        String vniId,
        String vniName,
        String subnetId,
        int prefixLength,
        String ipId,
        String address,
        String ipName,
        Optional<String> interfaceName) {
    /** Its record in the state directory. */
    static final String RECORD = "secondary-ip";

    ResolvedIp {
        requireNonNull(parameter, "parameter is null");
        requireNonNull(selectionKey, "selectionKey is null");
        requireNonNull(interfaceKey, "interfaceKey is null");
        requireNonNull(vniId, "vniId is null");
        requireNonNull(vniName, "vniName is null");
        requireNonNull(subnetId, "subnetId is null");
        requireNonNull(ipId, "ipId is null");
        requireNonNull(address, "address is null");
        requireNonNull(ipName, "ipName is null");
        requireNonNull(interfaceName, "interfaceName is null");
        if (!Ipv4.isAddress(address)) {
            throw new IllegalArgumentException("'" + address + "' is not an IPv4 address");
        }
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is not 0 to 32");
        }
    }

    /** What was kept, if it was resolved from these very settings. */
    static Optional<ResolvedIp> from(Optional<Map<String, String>> kept, SecondaryIpSettings settings) {
        return kept.flatMap(ResolvedIp::parse)
                .filter(known -> known.parameter().equals(settings.ip())
                        && known.selectionKey().equals(settings.vniSelection().cacheKey())
                        && known.interfaceKey().equals(settings.interfaceKey()));
    }

    /** What was kept, whatever it was resolved from (a stop works on what start did, whatever changed since). */
    static Optional<ResolvedIp> fromAnySettings(Optional<Map<String, String>> kept) {
        return kept.flatMap(ResolvedIp::parse);
    }

    private static Optional<ResolvedIp> parse(Map<String, String> values) {
        try {
            return Optional.of(new ResolvedIp(
                    values.get("parameter"),
                    values.get("selection"),
                    values.get("interface_key"),
                    values.get("vni"),
                    values.getOrDefault("vni_name", ""),
                    values.get("subnet"),
                    Integer.parseInt(values.getOrDefault("prefix", "")),
                    values.get("ip"),
                    values.get("address"),
                    values.getOrDefault("ip_name", ""),
                    Optional.ofNullable(values.get("interface")).filter(name -> !name.isEmpty())));
        } catch (NullPointerException | IllegalArgumentException damaged) {
            // a damaged record is no record: the next action resolves again
            return Optional.empty();
        }
    }

    Map<String, String> toRecord() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("parameter", parameter);
        values.put("selection", selectionKey);
        values.put("interface_key", interfaceKey);
        values.put("vni", vniId);
        values.put("vni_name", vniName);
        values.put("subnet", subnetId);
        values.put("prefix", Integer.toString(prefixLength));
        values.put("ip", ipId);
        values.put("address", address);
        values.put("ip_name", ipName);
        values.put("interface", interfaceName.orElse(""));
        return values;
    }

    String describeIp() {
        return ipName.isEmpty() || ipName.equals(address)
                ? "reserved IP " + address
                : "reserved IP " + ipName + " (" + address + ")";
    }

    String describeVni() {
        return vniName.isEmpty()
                ? "virtual network interface " + vniId
                : "virtual network interface " + vniName + " (" + vniId + ")";
    }
}
