package io.vpcha.strategy.secondaryip;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.CheckLevel;
import io.vpcha.spi.FailoverStrategy;
import io.vpcha.spi.MonitorRequest;
import io.vpcha.spi.MonitorResult;
import io.vpcha.spi.ParameterValues;
import io.vpcha.spi.Readiness;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.toolkit.net.LocalAddress;
import io.vpcha.toolkit.state.StateStore;
import io.vpcha.toolkit.stop.StopPolicy;
import io.vpcha.toolkit.time.MonitorGrace;
import io.vpcha.toolkit.time.TimeBox;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Same-subnet failover of a private VIP that is a real address of the VPC: the active node's VNI holds
 * it as a secondary reserved IP. start makes sure the reserved IP survives being unbound, unbinds it from
 * the other node's VNI and binds it to this node's, reads it back, then adds the address to the guest
 * interface; monitor asks where the reserved IP is bound, one GET in steady state; stop removes the
 * address (and, when asked, unbinds). A promotable clone's passive node checks its readiness with one
 * request per interval ({@link IpReadiness}).
 */
final class SecondaryIpStrategy implements FailoverStrategy {
    private final ParameterValues parameters;
    private final StrategyContext context;
    private final StateStore state;
    private final System.Logger log;

    SecondaryIpStrategy(ParameterValues parameters, StrategyContext context) {
        this.parameters = requireNonNull(parameters, "parameters is null");
        this.context = requireNonNull(context, "context is null");
        this.state = StateStore.of(context);
        this.log = context.logger();
    }

    @Override
    public void start() throws StrategyException {
        SecondaryIpSettings settings = settings();
        TimeBox timeBox = TimeBox.of(context);
        CloudReads reads = reads(timeBox);
        Optional<Map<String, String>> kept = state.read(ResolvedIp.RECORD);
        Optional<ResolvedIp> known = ResolvedIp.from(kept, settings);
        ResolvedIp resolved;
        ReservedIpView ip;
        Optional<ReservedIpView> keptIp = known.isPresent() ? current(reads, known.get()) : Optional.empty();
        if (keptIp.isPresent()) {
            resolved = known.orElseThrow();
            ip = keptIp.get();
        } else {
            // nothing kept, or the reserved IP kept is gone (deleted, or reserved again under another id)
            IpResolver.Resolution resolution = resolver(reads, timeBox).resolve(settings, true);
            resolved = resolution.resolved();
            ip = resolution.reservedIp().orElseThrow();
        }
        // kept even if the move fails: the next attempt needs no lookup
        remember(resolved, kept);
        // the guest interface must exist before the VIP moves here: a start that cannot finish moves nothing
        Optional<LocalAddress> local = localAddress(resolved);
        if (local.isPresent() && !local.get().interfaceExists()) {
            throw StrategyException.notConfigured("interface " + local.get().interfaceName()
                    + " does not exist on this node; set interface to one that does, or manage_local_ip=false");
        }

        Instant began = context.clock().instant();
        String from = ip.binding();
        ReservedIpView verified;
        if (ip.isBoundTo(resolved.vniId()) && !ip.autoDelete()) {
            log.log(
                    Level.INFO,
                    () -> resolved.describeIp() + " is already bound to this node's " + resolved.describeVni()
                            + "; nothing to move");
            verified = ip;
        } else {
            verified = new SecondaryIpMove(context.cloud().vpc(), reads, timeBox, context.nodeName(), log)
                    .moveHere(ip, resolved, settings.clusterVnis());
            Duration took = Duration.between(began, context.clock().instant());
            log.log(
                    Level.INFO,
                    () -> "moved " + verified.describe() + " from " + from + " to this node's " + resolved.describeVni()
                            + " in " + MonitorGrace.seconds(took));
        }
        if (local.isPresent()) {
            local.get().add();
        }
        state.verifiedNow();
        state.markStarted();
    }

    @Override
    public void stop() throws StrategyException {
        // Removed first: whatever happens next, this node no longer claims the VIP.
        state.clearStarted();
        Optional<ResolvedIp> known = ResolvedIp.fromAnySettings(state.read(ResolvedIp.RECORD));
        if (known.isEmpty()) {
            log.log(Level.DEBUG, "stop: this node never resolved the secondary IP; nothing to remove");
            return;
        }
        Optional<LocalAddress> local = localAddress(known.get());
        if (local.isPresent()) {
            // stop-safe: a missing interface or iproute2 holds no address
            local.get().remove();
        }
        StopPolicy policy = StopPolicy.fromParameterValue(parameters.require(SecondaryIpParameters.STOP_POLICY));
        if (policy == StopPolicy.UNBIND) {
            unbindBestEffort(known.get());
        }
    }

    @Override
    public MonitorResult monitor(MonitorRequest request) throws StrategyException {
        if (!state.isStarted()) {
            // no API call: a probe on a node that never ran the resource costs nothing
            return MonitorResult.notRunning("not started on this node " + context.nodeName());
        }
        SecondaryIpSettings settings = settings();
        TimeBox timeBox = TimeBox.of(context);
        CloudReads reads = reads(timeBox);
        Optional<Map<String, String>> kept = state.read(ResolvedIp.RECORD);
        Optional<ResolvedIp> known = ResolvedIp.from(kept, settings);
        MonitorGrace grace =
                new MonitorGrace(settings.monitorGrace(), SecondaryIpParameters.MONITOR_GRACE, context.clock(), log);
        String what = known.map(ResolvedIp::describeIp).orElse("secondary IP " + settings.ip());
        ResolvedIp resolved;
        ReservedIpView ip;
        try {
            if (known.isPresent()) {
                resolved = known.get();
                ip = reads.reservedIp(resolved.subnetId(), resolved.ipId());
            } else {
                IpResolver.Resolution resolution = resolver(reads, timeBox).resolve(settings, false);
                resolved = resolution.resolved();
                Optional<ReservedIpView> found = resolution.reservedIp();
                if (found.isEmpty()) {
                    return MonitorResult.notRunning(settings.ip() + " is not reserved in this node's subnet");
                }
                ip = found.get();
            }
        } catch (CloudException e) {
            return grace.unverified(what, "bound here", e, state.lastVerified());
        }
        if (ip.targetId().isEmpty()) {
            return MonitorResult.notRunning(ip.describe() + " is not bound to any interface");
        }
        if (!ip.isBoundTo(resolved.vniId())) {
            return MonitorResult.notRunning(ip.describe() + " is bound to " + ip.binding() + ", not to this node "
                    + context.nodeName() + "'s " + resolved.describeVni());
        }
        Optional<LocalAddress> local = localAddress(resolved);
        if (local.isPresent() && !local.get().isPresent()) {
            return MonitorResult.notRunning(ip.describe() + " is bound here but not on interface "
                    + local.get().interfaceName());
        }
        state.verifiedNowBestEffort(() -> remember(resolved, kept));
        return MonitorResult.running();
    }

    /**
     * The passive node's proof, changing nothing: this node's VNI (named, or from the metadata service)
     * exists in the subnet of the reserved IP, the reserved IP exists (or the address can still be
     * reserved), and the guest interface for the local address is there. One VPC request per check in
     * steady state ({@link IpReadiness}); what it resolves is start's record, so a promotion reads the
     * reserved IP by id and goes straight to its move. Not proven: that the credentials may bind it,
     * which only a write shows.
     */
    @Override
    public Readiness readiness() throws StrategyException {
        TimeBox timeBox = TimeBox.of(context);
        CloudReads reads = reads(timeBox);
        return new IpReadiness(
                        state, reads, resolver(reads, timeBox), context.cloud().metadata(), timeBox, log)
                .check(settings());
    }

    @Override
    public void validate(CheckLevel level) throws StrategyException {
        SecondaryIpSettings settings = settings();
        if (level == CheckLevel.CLOUD) {
            TimeBox timeBox = TimeBox.of(context);
            CloudReads reads = reads(timeBox);
            new CloudCheck(context, timeBox, reads, resolver(reads, timeBox)).check(settings);
        }
    }

    private SecondaryIpSettings settings() throws StrategyException {
        return SecondaryIpSettings.from(parameters, context.nodeName());
    }

    private CloudReads reads(TimeBox timeBox) {
        return new CloudReads(context.cloud(), timeBox);
    }

    private IpResolver resolver(CloudReads reads, TimeBox timeBox) {
        return new IpResolver(reads, context.cloud().metadata(), timeBox, resourceName(), log);
    }

    /** The resource's name without a clone instance number: what a reserved IP is named after. */
    private String resourceName() {
        String instance = context.resourceInstance();
        int colon = instance.indexOf(':');
        return colon < 0 ? instance : instance.substring(0, colon);
    }

    /** The kept reserved IP as the API shows it now; empty when it no longer exists. */
    private static Optional<ReservedIpView> current(CloudReads reads, ResolvedIp known) throws StrategyException {
        try {
            return Optional.of(reads.reservedIp(known.subnetId(), known.ipId()));
        } catch (CloudException e) {
            if (e.cloudErrorKind() == CloudErrorKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private Optional<LocalAddress> localAddress(ResolvedIp resolved) {
        return resolved.interfaceName()
                .map(name -> new LocalAddress(resolved.address(), resolved.prefixLength(), name, log));
    }

    /** Keeps what was resolved, writing only when it changed. */
    private void remember(ResolvedIp resolved, Optional<Map<String, String>> kept) throws StrategyException {
        Map<String, String> record = resolved.toRecord();
        if (!kept.equals(Optional.of(record))) {
            state.write(ResolvedIp.RECORD, record);
        }
    }

    /** Unbinds the reserved IP if it is bound here and kept when unbound; any failure is logged and stop succeeds. */
    private void unbindBestEffort(ResolvedIp known) {
        TimeBox timeBox = TimeBox.of(context);
        try {
            ReservedIpView ip = reads(timeBox).reservedIp(known.subnetId(), known.ipId());
            if (!ip.isBoundTo(known.vniId())) {
                // never take it away from the node it moved to
                log.log(
                        Level.INFO,
                        () -> "stop: " + ip.describe() + " is bound to " + ip.binding() + ", not here; left as it is");
                return;
            }
            if (ip.autoDelete()) {
                // unbinding would delete it
                log.log(
                        Level.WARNING,
                        () -> "stop: " + ip.describe() + " has auto_delete true: unbinding would "
                                + "delete it, so it stays bound (the next start elsewhere moves it)");
                return;
            }
            timeBox.call("unbind " + ip.describe(), () -> {
                context.cloud().vpc().unbindVirtualNetworkInterfaceIp(known.vniId(), ip.id());
                return null;
            });
            log.log(Level.INFO, () -> "stop: unbound " + ip.describe() + " from this node's " + known.describeVni());
        } catch (StrategyException e) {
            log.log(
                    Level.WARNING,
                    "stop: could not unbind " + known.describeIp() + " (stop succeeds anyway; the "
                            + "next start moves it): " + e.reason());
        }
    }
}
