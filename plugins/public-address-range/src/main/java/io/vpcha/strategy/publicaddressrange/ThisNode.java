package io.vpcha.strategy.publicaddressrange;

import static io.vpcha.strategy.publicaddressrange.ParParameters.NEXT_HOP;
import static io.vpcha.strategy.publicaddressrange.ParParameters.NODE_IPS;
import static io.vpcha.strategy.publicaddressrange.ParParameters.NODE_ZONES;
import static java.util.Objects.requireNonNull;

import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.Instance;
import io.vpcha.spi.cloud.InstanceMetadata;
import io.vpcha.toolkit.node.ThisInstance;
import io.vpcha.toolkit.time.TimeBox;

/**
 * Where this node is for the range: its VPC, its zone (where the range is bound and the ingress route
 * lives) and its next-hop address. Each comes from the configuration when set, else from the instance
 * metadata service, asked at most once per action.
 */
final class ThisNode {
    private final ParSettings settings;
    private final String nodeName;
    private final ThisInstance instance;

    ThisNode(ParSettings settings, String nodeName, InstanceMetadata metadata, TimeBox timeBox) {
        this.settings = requireNonNull(settings, "settings is null");
        this.nodeName = requireNonNull(nodeName, "nodeName is null");
        this.instance = new ThisInstance(metadata, timeBox);
    }

    String name() {
        return nodeName;
    }

    /** next_hop, else this node's node_ips entry, else the instance's primary IP. */
    String nextHop() throws StrategyException {
        if (settings.nextHop().isPresent()) {
            return settings.nextHop().get();
        }
        String configured = settings.nodeIps().get(nodeName);
        if (configured != null) {
            return configured;
        }
        if (!settings.nodeIps().isEmpty()) {
            throw StrategyException.notConfigured(NODE_IPS + " has no entry for this node, " + nodeName + "; add "
                    + nodeName + "=ADDRESS or set " + NEXT_HOP);
        }
        return instance("its primary IP, the next hop; or set " + NEXT_HOP + " or " + NODE_IPS)
                .primaryAddress()
                .orElseThrow(() -> StrategyException.notConfigured(
                        "the metadata service shows no primary IP for this instance; set " + NEXT_HOP));
    }

    /** This node's node_zones entry, else the instance's zone. */
    String zone() throws StrategyException {
        String configured = settings.nodeZones().get(nodeName);
        if (configured != null) {
            return configured;
        }
        if (!settings.nodeZones().isEmpty()) {
            throw StrategyException.notConfigured(
                    NODE_ZONES + " has no entry for this node, " + nodeName + "; add " + nodeName + "=ZONE");
        }
        return instance("its zone; or set " + NODE_ZONES).zone();
    }

    /** vpc_id, else the instance's VPC. */
    String vpcId() throws StrategyException {
        return settings.vpcId().isPresent()
                ? settings.vpcId().get()
                : instance("its VPC; or set " + ParParameters.VPC_ID).vpcId();
    }

    private Instance instance(String needed) throws StrategyException {
        return instance.read("the metadata service does not answer, and it is needed for this node's " + needed);
    }
}
