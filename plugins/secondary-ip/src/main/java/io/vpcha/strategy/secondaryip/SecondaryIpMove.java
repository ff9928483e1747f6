package io.vpcha.strategy.secondaryip;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.VpcApi;
import io.vpcha.toolkit.time.Settle;
import io.vpcha.toolkit.time.TimeBox;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The move: check that the VIP may be taken from where it is, make sure the reserved IP survives being
 * unbound (auto_delete false, read back), unbind it from the other VNI, bind it to this node's, and read
 * back until it is bound here. Not atomic in the API: a crash after the unbind leaves the reserved IP
 * unbound and kept, and the next start on any node binds it.
 */
final class SecondaryIpMove {
    private static final Duration FIRST_READ_BACK_PAUSE = Duration.ofMillis(200);
    private static final Duration LONGEST_READ_BACK_PAUSE = Duration.ofSeconds(2);

    private final VpcApi vpc;
    private final CloudReads reads;
    private final TimeBox timeBox;
    private final String nodeName;
    private final System.Logger log;

    SecondaryIpMove(VpcApi vpc, CloudReads reads, TimeBox timeBox, String nodeName, System.Logger log) {
        this.vpc = requireNonNull(vpc, "vpc is null");
        this.reads = requireNonNull(reads, "reads is null");
        this.timeBox = requireNonNull(timeBox, "timeBox is null");
        this.nodeName = requireNonNull(nodeName, "nodeName is null");
        this.log = requireNonNull(log, "log is null");
    }

    /**
     * Binds the reserved IP to this node's VNI unless it already is, and returns it once seen bound here.
     *
     * @param clusterVnis the VNIs it may be taken from (node_targets); empty: any instance's VNI
     */
    ReservedIpView moveHere(ReservedIpView ip, ResolvedIp resolved, List<String> clusterVnis) throws StrategyException {
        Optional<String> previous = ip.targetId();
        if (previous.isPresent() && !ip.isBoundTo(resolved.vniId())) {
            checkMayTake(ip, clusterVnis);
        }
        ReservedIpView kept = keep(ip, resolved);
        if (kept.isBoundTo(resolved.vniId())) {
            return kept;
        }
        if (previous.isPresent()) {
            unbind(kept, previous.get());
        }
        try {
            bind(kept, resolved);
        } catch (StrategyException refused) {
            throw previous.isPresent() ? bindBack(kept, previous.get(), resolved, refused) : refused;
        }
        return awaitBoundHere(kept, resolved);
    }

    /**
     * After this node's VNI refused the reserved IP (no room, a permission missing), binds it back to
     * the VNI it was taken from, so that a start that cannot finish leaves the VIP where it served,
     * not unbound. Never when someone else has bound it meanwhile.
     */
    private StrategyException bindBack(
            ReservedIpView ip, String previousVni, ResolvedIp resolved, StrategyException refused) {
        try {
            ReservedIpView now = reads.reservedIp(resolved.subnetId(), ip.id());
            if (now.targetId().isPresent()) {
                return refused;
            }
            timeBox.call(
                    "bind " + ip.describe() + " back to virtual network interface " + previousVni,
                    () -> vpc.bindVirtualNetworkInterfaceIp(previousVni, ip.id()));
            log.log(
                    Level.WARNING,
                    () -> "bound " + ip.describe() + " back to " + ip.binding() + " after this node's refusal");
            return new StrategyException(
                    refused.kind(), refused.reason() + "; it was bound back to " + ip.binding(), refused);
        } catch (StrategyException e) {
            return new StrategyException(
                    refused.kind(),
                    refused.reason() + "; it is unbound (binding it back failed: " + e.reason()
                            + "); the next start on any node binds it",
                    refused);
        }
    }

    /**
     * Refuses to take the VIP from anything but another cluster node's VNI, before anything changes:
     * an address bound to a load balancer, an endpoint gateway, or a VNI that is not a cluster node's is
     * someone else's.
     */
    void checkMayTake(ReservedIpView ip, List<String> clusterVnis) throws StrategyException {
        String holderId = ip.targetId().orElseThrow();
        if (!ip.targetType()
                .orElse(ReservedIpView.VIRTUAL_NETWORK_INTERFACE)
                .equals(ReservedIpView.VIRTUAL_NETWORK_INTERFACE)) {
            throw StrategyException.notConfigured(ip.describe() + " is bound to " + ip.binding()
                    + ", not to a cluster node's virtual network interface; choose an address no other resource uses");
        }
        Optional<VniView> holder;
        try {
            holder = Optional.of(reads.vni(holderId));
        } catch (CloudException e) {
            if (e.cloudErrorKind() != CloudErrorKind.NOT_FOUND) {
                throw e;
            }
            holder = Optional.empty(); // deleted meanwhile: nothing holds it any more
        }
        if (holder.isPresent() && holder.get().primaryIpId().equals(ip.id())) {
            throw StrategyException.notConfigured(
                    ip.describe() + " is the primary IP of " + holder.get().describe()
                            + ", another machine's own address; the VIP must be an address of its own");
        }
        if (!clusterVnis.isEmpty() && !clusterVnis.contains(holderId)) {
            throw StrategyException.notConfigured(ip.describe() + " is bound to " + ip.binding()
                    + ", which is not a cluster node's (node_targets names " + String.join(", ", clusterVnis)
                    + "); it is left there");
        }
        if (clusterVnis.isEmpty()
                && holder.isPresent()
                && !holder.get().targetType().orElse("").equals(VniView.INSTANCE_NETWORK_ATTACHMENT)) {
            throw StrategyException.notConfigured(ip.describe() + " is bound to "
                    + holder.get().describe()
                    + ", which is attached to " + holder.get().targetType().orElse("nothing")
                    + ", not to an instance; it is left there");
        }
    }

    /**
     * Makes sure unbinding cannot delete the reserved IP: auto_delete false, as read back. Unbinding one
     * whose auto_delete is true deletes it, and with it the VIP: the classic data loss of this move.
     */
    private ReservedIpView keep(ReservedIpView ip, ResolvedIp resolved) throws StrategyException {
        if (!ip.autoDelete()) {
            return ip;
        }
        timeBox.call(
                "set auto_delete false on " + ip.describe(),
                () -> vpc.setReservedIpAutoDelete(resolved.subnetId(), ip.id(), false));
        log.log(Level.INFO, () -> "set auto_delete false on " + ip.describe() + " so that unbinding keeps it");
        return Settle.within(timeBox)
                .pauses(FIRST_READ_BACK_PAUSE, LONGEST_READ_BACK_PAUSE)
                .until(
                        "get reserved IP " + ip.id(),
                        () -> reads.reservedIp(resolved.subnetId(), ip.id()),
                        seen -> !seen.autoDelete(),
                        (lastSeen, lastFailure) -> StrategyException.generic(ip.describe()
                                + " was not seen with auto_delete false before the start timeout; it was not unbound"
                                + lastFailure
                                        .map(failure -> " (" + failure.reason() + ")")
                                        .orElse("")));
    }

    private void unbind(ReservedIpView ip, String holderId) throws StrategyException {
        // a reserved IP already unbound from there (by the other node's stop, or a race) counts as unbound
        timeBox.call("unbind " + ip.describe() + " from virtual network interface " + holderId, () -> {
            vpc.unbindVirtualNetworkInterfaceIp(holderId, ip.id());
            return null;
        });
        log.log(Level.INFO, () -> "unbound " + ip.describe() + " from " + ip.binding());
    }

    private void bind(ReservedIpView ip, ResolvedIp resolved) throws StrategyException {
        try {
            timeBox.call(
                    "bind " + ip.describe() + " to " + resolved.describeVni(),
                    () -> vpc.bindVirtualNetworkInterfaceIp(resolved.vniId(), ip.id()));
        } catch (CloudException e) {
            switch (e.cloudErrorKind()) {
                case TRANSIENT -> {
                    // it may have been applied all the same (a 5xx after the change, a lost answer): the read-back
                    // tells
                    log.log(Level.WARNING, () -> e.reason() + "; checking whether it took effect");
                }
                case CONFIGURATION, NOT_FOUND -> throw refused(ip, resolved, e);
                case PERMISSION -> throw e;
            }
        }
    }

    /** Why the API refused the bind, as precisely as can be found out. */
    private StrategyException refused(ReservedIpView ip, ResolvedIp resolved, CloudException refusal) {
        try {
            ReservedIpView now = reads.reservedIp(resolved.subnetId(), ip.id());
            if (now.targetId().isPresent() && !now.isBoundTo(resolved.vniId())) {
                return takenMeanwhile(now);
            }
            VniView mine = reads.vni(resolved.vniId());
            if (refusal.code().orElse("").equals("over_quota")) {
                // wrong for this node only: the other nodes' VNIs may have room
                return new StrategyException(
                        ErrorKind.INVALID_ARGUMENT,
                        "this node's " + mine.describe() + " already holds "
                                + mine.ipIds().size() + " IPs, as many as a VNI may; unbind one it does not need: "
                                + refusal.reason());
            }
        } catch (StrategyException e) {
            log.log(Level.DEBUG, () -> "cannot find out more about the refusal: " + e.reason());
        }
        return StrategyException.notConfigured(
                "cannot bind " + ip.describe() + " to this node's " + resolved.describeVni() + ": " + refusal.reason());
    }

    private StrategyException takenMeanwhile(ReservedIpView seen) {
        // Someone else bound it meanwhile: another node starting at the same time. Taking it back would start a
        // tug of war; fail, and let Pacemaker (and the monitors) settle where it runs.
        return StrategyException.generic("while starting on " + nodeName + ", " + seen.describe() + " was bound to "
                + seen.binding() + " by someone else (another node starting it?)");
    }

    /** Reads the reserved IP back until it is bound here: the answer to the PUT proves nothing on its own. */
    private ReservedIpView awaitBoundHere(ReservedIpView before, ResolvedIp resolved) throws StrategyException {
        Optional<String> previous = before.targetId();
        return Settle.within(timeBox)
                .pauses(FIRST_READ_BACK_PAUSE, LONGEST_READ_BACK_PAUSE)
                .until(
                        "get reserved IP " + before.id(),
                        () -> reads.reservedIp(resolved.subnetId(), before.id()),
                        seen -> {
                            if (seen.isBoundTo(resolved.vniId())) {
                                return true;
                            }
                            if (seen.targetId().isPresent() && !seen.targetId().equals(previous)) {
                                throw takenMeanwhile(seen);
                            }
                            return false;
                        },
                        (lastSeen, lastFailure) -> StrategyException.generic(before.describe()
                                + " was not seen bound to this node's " + resolved.describeVni()
                                + " before the start timeout; it was last seen bound to "
                                + lastSeen.orElse(before).binding()
                                + lastFailure
                                        .map(failure -> "; the last read failed: " + failure.reason())
                                        .orElse("")));
    }
}
