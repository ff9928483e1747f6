package io.vpcha.strategy.secondaryip;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.Instance;
import io.vpcha.spi.cloud.InstanceMetadata;
import io.vpcha.spi.cloud.NetworkAttachment;
import io.vpcha.toolkit.net.LocalAddress;
import io.vpcha.toolkit.node.ThisInstance;
import io.vpcha.toolkit.time.TimeBox;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Resolves the parameters on this node: which VNI is this node's, which reserved IP of that VNI's
 * subnet the ip parameter names (reserving an address that has none yet, once), and which guest
 * interface the VNI appears as. Every wrong input is refused here, before anything in the cloud
 * changes, with a reason that names what is wrong.
 */
final class IpResolver {
    private final CloudReads reads;
    private final InstanceMetadata metadata;
    private final TimeBox timeBox;
    private final String resourceName;
    private final System.Logger log;

    IpResolver(CloudReads reads, InstanceMetadata metadata, TimeBox timeBox, String resourceName, System.Logger log) {
        this.reads = requireNonNull(reads, "reads is null");
        this.metadata = requireNonNull(metadata, "metadata is null");
        this.timeBox = requireNonNull(timeBox, "timeBox is null");
        this.resourceName = requireNonNull(resourceName, "resourceName is null");
        this.log = requireNonNull(log, "log is null");
    }

    /** What the parameters resolve to, and the VNI and reserved IP as the API showed them. */
    record Resolution(ResolvedIp resolved, VniView vni, Optional<ReservedIpView> reservedIp) {
        Resolution {
            requireNonNull(resolved, "resolved is null");
            requireNonNull(vni, "vni is null");
            requireNonNull(reservedIp, "reservedIp is null");
        }
    }

    /**
     * @param reserve whether an address without a reserved IP is reserved now (start), or only
     *     reported as to be reserved (validate-all, which changes nothing)
     */
    Resolution resolve(SecondaryIpSettings settings, boolean reserve) throws StrategyException {
        List<String> candidates = candidateVnis(settings);
        List<VniView> seen = new ArrayList<>();
        for (String vniId : candidates) {
            VniView vni = vni(vniId, settings);
            seen.add(vni);
            SubnetView subnet = reads.subnet(vni.subnetId());
            Optional<ReservedIpView> match = match(settings.ip(), reads.reservedIps(subnet.id()));
            if (match.isPresent()) {
                return resolution(settings, vni, subnet, match.get());
            }
            if (settings.ipIsAddress() && subnet.contains(settings.ip())) {
                if (!reserve) {
                    return new Resolution(
                            resolved(settings, vni, subnet, "", settings.ip(), ""), vni, Optional.empty());
                }
                return resolution(settings, vni, subnet, reserve(subnet, settings.ip()));
            }
        }
        throw notInTheSubnetsOf(settings, seen);
    }

    private Resolution resolution(SecondaryIpSettings settings, VniView vni, SubnetView subnet, ReservedIpView ip)
            throws StrategyException {
        if (ip.isProviderOwned()) {
            throw StrategyException.notConfigured(ip.describe() + " is one of the addresses the provider keeps in "
                    + subnet.describe() + " (owner provider); choose another address of the subnet");
        }
        if (ip.id().equals(vni.primaryIpId())) {
            throw StrategyException.notConfigured(ip.describe() + " is the primary IP of this node's " + vni.describe()
                    + "; the VIP must be an address of its own");
        }
        return new Resolution(resolved(settings, vni, subnet, ip.id(), ip.address(), ip.name()), vni, Optional.of(ip));
    }

    private ResolvedIp resolved(
            SecondaryIpSettings settings, VniView vni, SubnetView subnet, String ipId, String address, String ipName)
            throws StrategyException {
        return new ResolvedIp(
                settings.ip(),
                settings.vniSelection().cacheKey(),
                settings.interfaceKey(),
                vni.id(),
                vni.name(),
                subnet.id(),
                subnet.prefixLength(),
                ipId,
                address,
                ipName,
                guestInterface(settings, vni));
    }

    /** This node's VNIs to look in: the one named, or this instance's attachments, the primary first. */
    private List<String> candidateVnis(SecondaryIpSettings settings) throws StrategyException {
        if (settings.vniSelection() instanceof VniSelection.Explicit explicit) {
            return List.of(explicit.vniId());
        }
        Instance instance = new ThisInstance(metadata, timeBox)
                .read("cannot tell this node's virtual network interface (enable the metadata service on the "
                        + "instance, or set target or node_targets)");
        if (!instance.usesNetworkAttachments()) {
            throw legacyInstance(instance);
        }
        List<String> vnis = new ArrayList<>();
        String primary = instance.primaryNetworkAttachmentId().orElseThrow();
        instance.networkAttachments().stream()
                .filter(attachment -> attachment.id().equals(primary))
                .map(NetworkAttachment::virtualNetworkInterfaceId)
                .forEach(vnis::add);
        instance.networkAttachments().stream()
                .map(NetworkAttachment::virtualNetworkInterfaceId)
                .filter(vni -> !vnis.contains(vni))
                .forEach(vnis::add);
        if (vnis.isEmpty()) {
            throw StrategyException.generic("the metadata service lists no network attachment of this instance "
                    + describe(instance) + "; set target");
        }
        return vnis;
    }

    /** The reason for an instance with network interfaces, which hold no secondary IPs. */
    static StrategyException legacyInstance(Instance instance) {
        // wrong for this node only: another node may have network attachments
        return new StrategyException(
                ErrorKind.INVALID_ARGUMENT,
                "this instance " + describe(instance) + " uses network interfaces, not network attachments with "
                        + "virtual network interfaces, and only a VNI holds secondary IPs; use strategy custom-route "
                        + "(any zone) or floating-ip (a public address) for it");
    }

    private VniView vni(String vniId, SecondaryIpSettings settings) throws StrategyException {
        try {
            return reads.vni(vniId);
        } catch (CloudException e) {
            if (e.cloudErrorKind() != CloudErrorKind.NOT_FOUND) {
                throw e;
            }
            String parameter =
                    settings.vniSelection() instanceof VniSelection.Explicit explicit ? explicit.parameter() + " " : "";
            throw new StrategyException(
                    ErrorKind.INVALID_ARGUMENT,
                    parameter + vniId + " is not a virtual network interface of this region (an instance with "
                            + "network interfaces holds no secondary IPs: use custom-route or floating-ip for it)");
        }
    }

    private static Optional<ReservedIpView> match(String parameter, List<ReservedIpView> ips) throws StrategyException {
        for (ReservedIpView ip : ips) {
            if (ip.id().equals(parameter) || ip.address().equals(parameter)) {
                return Optional.of(ip);
            }
        }
        List<ReservedIpView> named =
                ips.stream().filter(ip -> ip.name().equals(parameter)).toList();
        if (named.size() > 1) {
            throw StrategyException.notConfigured(
                    named.size() + " reserved IPs are named " + parameter + "; set ip to the address or id of one");
        }
        return named.stream().findFirst();
    }

    /** Reserves the address, named after the resource; a node that reserved it at the same moment wins. */
    private ReservedIpView reserve(SubnetView subnet, String address) throws StrategyException {
        String name = reservedIpName(resourceName);
        try {
            ReservedIpView ip = reads.reserve(subnet.id(), address, name);
            log.log(
                    Level.INFO,
                    () -> "reserved " + address + " in " + subnet.describe() + " as " + ip.describe()
                            + ", auto_delete false");
            return ip;
        } catch (CloudException e) {
            if (e.cloudErrorKind() != CloudErrorKind.CONFIGURATION) {
                throw e;
            }
            // reserved meanwhile (by the other node starting, or by hand): use that one
            Optional<ReservedIpView> now = match(address, reads.reservedIps(subnet.id()));
            if (now.isPresent()) {
                return now.get();
            }
            throw StrategyException.notConfigured(
                    "cannot reserve " + address + " in " + subnet.describe() + " as " + name + ": " + e.reason());
        }
    }

    /** A reserved IP's name: lower case letters, digits and dashes, starting with a letter, at most 63. */
    static String reservedIpName(String resource) {
        String name = ("vpc-ha-" + resource.toLowerCase(Locale.ROOT))
                .replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("-{2,}", "-")
                .replaceAll("-$", "");
        return name.length() <= 63 ? name : name.substring(0, 63).replaceAll("-$", "");
    }

    /** Why no subnet of this node's VNIs holds the ip: another subnet of the VPC, or none at all. */
    private StrategyException notInTheSubnetsOf(SecondaryIpSettings settings, List<VniView> vnis)
            throws StrategyException {
        String mine =
                vnis.size() == 1 ? "this node's " + vnis.get(0).describe() : "this node's virtual network interfaces";
        String vpcId = vnis.get(0).vpcId();
        List<SubnetView> subnets = vpcId.isEmpty() ? List.of() : reads.subnetsOfVpc(vpcId);
        List<String> mySubnets = vnis.stream().map(VniView::subnetId).toList();
        for (SubnetView subnet : subnets) {
            if (mySubnets.contains(subnet.id())) {
                continue;
            }
            boolean there = settings.ipIsAddress()
                    ? subnet.contains(settings.ip())
                    : match(settings.ip(), reads.reservedIps(subnet.id())).isPresent();
            if (there) {
                // wrong for this node only: the other nodes' VNIs may be in that subnet
                return new StrategyException(
                        ErrorKind.INVALID_ARGUMENT,
                        "ip " + settings.ip() + " is in " + subnet.describe() + ", but " + mine + " is in another "
                                + "subnet; a secondary IP binds only to a VNI of its own subnet, so every node's VNI "
                                + "must be in " + subnet.describe());
            }
        }
        if (settings.ipIsAddress()) {
            return StrategyException.notConfigured("ip " + settings.ip() + " is outside every subnet of this VPC ("
                    + subnets.stream().map(SubnetView::cidr).toList() + "); the VIP must be an address of the "
                    + "subnet of the nodes' VNIs");
        }
        return StrategyException.notConfigured("no reserved IP with id or name " + settings.ip()
                + " in the subnets of this VPC; set ip to an address of the subnet of the nodes' VNIs");
    }

    /** The guest interface for the local address: named, or the one with the VNI's MAC address. */
    private static Optional<String> guestInterface(SecondaryIpSettings settings, VniView vni) throws StrategyException {
        if (!settings.manageLocalIp()) {
            return Optional.empty();
        }
        if (settings.interfaceName().isPresent()) {
            return settings.interfaceName();
        }
        if (vni.macAddress().isEmpty()) {
            throw StrategyException.notConfigured("the API shows no MAC address for this node's " + vni.describe()
                    + " (not attached?), so its guest interface is unknown; set interface, or manage_local_ip=false");
        }
        String mac = vni.macAddress().get();
        Optional<String> found;
        try {
            found = LocalAddress.interfaceWithMac(mac);
        } catch (IllegalArgumentException e) {
            throw StrategyException.generic(
                    "the API shows MAC address '" + mac + "' for " + vni.describe() + "; set interface");
        }
        return Optional.of(found.orElseThrow(
                () -> StrategyException.notConfigured("no interface of this node has " + "the MAC address " + mac
                        + " of its " + vni.describe() + "; set interface, or manage_local_ip=false")));
    }

    private static String describe(Instance instance) {
        return instance.name().isEmpty() ? instance.id() : instance.name() + " (" + instance.id() + ")";
    }
}
