package io.vpcha.strategy.secondaryip;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.Instance;
import io.vpcha.toolkit.net.LocalAddress;
import io.vpcha.toolkit.time.TimeBox;
import java.lang.System.Logger.Level;

/**
 * validate-all at level 10, changing nothing: the credentials work, this instance uses network
 * attachments, this node's VNI exists and is in the subnet of ip, ip is an address the VIP may be (not
 * the provider's, not another machine's primary, not bound to something other than a cluster node's
 * VNI), the VNI has room for one more IP, and the guest interface exists. Each failure names exactly
 * what is wrong.
 */
final class CloudCheck {
    /** IPs a VNI may hold, the primary included (IBM's VNI model; the simulator's default). */
    static final int IPS_PER_VNI = 8;

    private final StrategyContext context;
    private final TimeBox timeBox;
    private final CloudReads reads;
    private final IpResolver resolver;
    private final System.Logger log;

    CloudCheck(StrategyContext context, TimeBox timeBox, CloudReads reads, IpResolver resolver) {
        this.context = requireNonNull(context, "context is null");
        this.timeBox = requireNonNull(timeBox, "timeBox is null");
        this.reads = requireNonNull(reads, "reads is null");
        this.resolver = requireNonNull(resolver, "resolver is null");
        this.log = context.logger();
    }

    void check(SecondaryIpSettings settings) throws StrategyException {
        if (settings.vniSelection() instanceof VniSelection.Explicit) {
            // the resolver asks the metadata service only without target; an instance it can see is checked anyway
            checkNetworkAttachmentsIfVisible();
        }
        IpResolver.Resolution resolution = resolver.resolve(settings, false);
        ResolvedIp resolved = resolution.resolved();
        VniView vni = resolution.vni();
        if (resolution.reservedIp().isEmpty()) {
            log.log(
                    Level.INFO,
                    () -> "validate-all: " + resolved.address() + " has no reserved IP yet; start "
                            + "reserves it in subnet " + resolved.subnetId() + " with auto_delete false");
        } else {
            ReservedIpView ip = resolution.reservedIp().get();
            if (ip.targetId().isPresent() && !ip.isBoundTo(vni.id())) {
                new SecondaryIpMove(context.cloud().vpc(), reads, timeBox, context.nodeName(), log)
                        .checkMayTake(ip, settings.clusterVnis());
            }
        }
        boolean holdsIt =
                resolution.reservedIp().map(ip -> ip.isBoundTo(vni.id())).orElse(false);
        if (!holdsIt && vni.ipIds().size() >= IPS_PER_VNI) {
            // wrong for this node only: the other nodes' VNIs may have room
            throw new StrategyException(
                    ErrorKind.INVALID_ARGUMENT,
                    "this node's " + vni.describe() + " already holds "
                            + vni.ipIds().size() + " IPs, as many as a " + "VNI may (" + IPS_PER_VNI
                            + "); unbind one it does not need");
        }
        if (resolved.interfaceName().isPresent()) {
            LocalAddress local = new LocalAddress(
                    resolved.address(),
                    resolved.prefixLength(),
                    resolved.interfaceName().get(),
                    log);
            if (!local.interfaceExists()) {
                throw StrategyException.notConfigured("interface " + local.interfaceName()
                        + " does not exist on this node; set interface to one that does, or manage_local_ip=false");
            }
        }
        log.log(
                Level.INFO,
                () -> "validate-all: " + resolved.describeIp() + " in subnet " + resolved.subnetId()
                        + "/" + resolved.prefixLength() + ", bound to "
                        + resolution.reservedIp().map(ReservedIpView::binding).orElse("nothing (not reserved yet)")
                        + "; this node's " + vni.describe() + " can hold it"
                        + resolved.interfaceName()
                                .map(name -> ", on interface " + name)
                                .orElse(""));
    }

    private void checkNetworkAttachmentsIfVisible() throws StrategyException {
        Instance instance;
        try {
            instance = timeBox.call(
                    "read this instance from the metadata service",
                    () -> context.cloud().metadata().instance());
        } catch (StrategyException e) {
            log.log(Level.DEBUG, () -> "validate-all: no metadata service: " + e.reason());
            return;
        }
        if (!instance.usesNetworkAttachments()) {
            throw IpResolver.legacyInstance(instance);
        }
    }
}
