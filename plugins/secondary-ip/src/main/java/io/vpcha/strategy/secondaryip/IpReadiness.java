package io.vpcha.strategy.secondaryip;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.Readiness;
import io.vpcha.spi.ReadinessProblem;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.Instance;
import io.vpcha.spi.cloud.InstanceMetadata;
import io.vpcha.spi.cloud.NetworkAttachment;
import io.vpcha.toolkit.net.LocalAddress;
import io.vpcha.toolkit.node.ThisInstance;
import io.vpcha.toolkit.state.StateStore;
import io.vpcha.toolkit.time.TimeBox;
import java.util.Map;
import java.util.Optional;

/**
 * Whether this node could take the secondary IP over, at one VPC request per check in steady state.
 *
 * <p>The first check (or one after the settings changed, or what was kept is gone) resolves the
 * parameters as a cold start does (this node's VNI, its subnet, the subnet's reserved IPs) and keeps
 * the result as start's {@link ResolvedIp}, so that a promotion reads the reserved IP by id and goes
 * straight to its move. Every later check reads one of the two things a takeover needs, in turn (the
 * turn is the record {@value #RECORD}): the reserved IP (it exists), then this node's VNI (it exists,
 * in the subnet kept). Where the metadata service names this node's VNIs it is asked too, at no VPC
 * cost: a VNI that is no longer attached here is resolved again. The guest interface of the local
 * address must exist. Nothing is changed, and an address not reserved yet is no problem: start
 * reserves it.
 */
final class IpReadiness {
    /** The state record holding whose turn it is. */
    static final String RECORD = "readiness";

    private final StateStore state;
    private final CloudReads reads;
    private final IpResolver resolver;
    private final InstanceMetadata metadata;
    private final TimeBox timeBox;
    private final System.Logger log;

    IpReadiness(
            StateStore state,
            CloudReads reads,
            IpResolver resolver,
            InstanceMetadata metadata,
            TimeBox timeBox,
            System.Logger log) {
        this.state = requireNonNull(state, "state is null");
        this.reads = requireNonNull(reads, "reads is null");
        this.resolver = requireNonNull(resolver, "resolver is null");
        this.metadata = requireNonNull(metadata, "metadata is null");
        this.timeBox = requireNonNull(timeBox, "timeBox is null");
        this.log = requireNonNull(log, "log is null");
    }

    /** @throws StrategyException when the cloud cannot answer (the host says why the node is not ready) */
    Readiness check(SecondaryIpSettings settings) throws StrategyException {
        Optional<Map<String, String>> kept = state.read(ResolvedIp.RECORD);
        Optional<ResolvedIp> known = ResolvedIp.from(kept, settings)
                .filter(resolved -> !resolved.ipId().isEmpty());
        if (settings.vniSelection() instanceof VniSelection.FromMetadata) {
            // this node's VNIs come from the metadata service: asked first, at no VPC cost
            Instance self;
            try {
                self = new ThisInstance(metadata, timeBox)
                        .read("cannot tell this node's virtual network interface (enable the metadata service on "
                                + "the instance, or set target or node_targets)");
            } catch (StrategyException e) {
                return Readiness.notReady(ReadinessProblem.METADATA, e.reason());
            }
            String vniId = known.map(ResolvedIp::vniId).orElse("");
            if (self.networkAttachments().stream()
                    .map(NetworkAttachment::virtualNetworkInterfaceId)
                    .noneMatch(vniId::equals)) {
                // a VNI no longer attached here: this node's VNIs are resolved again
                known = Optional.empty();
            }
        }
        if (known.isEmpty()) {
            return resolve(settings, kept);
        }
        ResolvedIp resolved = known.get();
        int turn = nextTurn();
        state.write(RECORD, Map.of("next", Integer.toString((turn + 1) % 2)));
        if (turn == 0) {
            try {
                reads.reservedIp(resolved.subnetId(), resolved.ipId());
            } catch (CloudException e) {
                if (e.cloudErrorKind() != CloudErrorKind.NOT_FOUND) {
                    throw e;
                }
                // deleted, or reserved again under another id: found again in this same check
                return resolve(settings, kept);
            }
        } else {
            VniView vni;
            try {
                vni = reads.vni(resolved.vniId());
            } catch (CloudException e) {
                if (e.cloudErrorKind() != CloudErrorKind.NOT_FOUND) {
                    throw e;
                }
                state.delete(ResolvedIp.RECORD);
                return Readiness.notReady(
                        ReadinessProblem.TARGET, "this node's " + resolved.describeVni() + " no longer exists");
            }
            if (!vni.subnetId().equals(resolved.subnetId())) {
                return resolve(settings, kept);
            }
        }
        return localInterface(resolved);
    }

    /** The parameters resolved as a cold start resolves them (reserving nothing), and kept. */
    private Readiness resolve(SecondaryIpSettings settings, Optional<Map<String, String>> kept)
            throws StrategyException {
        // wrong input (NOT_CONFIGURED, INVALID_ARGUMENT: a VNI in another subnet, an address the provider
        // keeps) is thrown on: the host makes it the problem CONFIGURATION, with the reason start gives
        ResolvedIp resolved = resolver.resolve(settings, false).resolved();
        if (!resolved.ipId().isEmpty() && !kept.equals(Optional.of(resolved.toRecord()))) {
            state.write(ResolvedIp.RECORD, resolved.toRecord());
            state.write(RECORD, Map.of("next", "0"));
        }
        return localInterface(resolved);
    }

    private Readiness localInterface(ResolvedIp resolved) throws StrategyException {
        if (resolved.interfaceName().isPresent()) {
            LocalAddress local = new LocalAddress(
                    resolved.address(),
                    resolved.prefixLength(),
                    resolved.interfaceName().get(),
                    log);
            if (!local.interfaceExists()) {
                return Readiness.notReady(
                        ReadinessProblem.LOCAL,
                        "interface " + resolved.interfaceName().get() + " does not exist on this node");
            }
        }
        return Readiness.ready();
    }

    private int nextTurn() {
        return "1".equals(state.read(RECORD).map(values -> values.get("next")).orElse("0")) ? 1 : 0;
    }
}
