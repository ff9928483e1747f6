package io.vpcha.strategy.customroute;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.Instance;
import io.vpcha.spi.cloud.NetworkAttachment;
import io.vpcha.spi.cloud.NetworkInterface;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Who this node is for the routes: the address they must point at, its zone (for ingress tables) and
 * the VPC. Each comes from the configuration when set, else from the instance metadata service,
 * asked at most once per action.
 */
final class NodeIdentity {
    private final CustomRouteConfig config;
    private final StrategyContext context;
    private Instance instance;

    NodeIdentity(CustomRouteConfig config, StrategyContext context) {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
    }

    /** next_hop, else this node's node_ips entry, else the ext_ip this node owns, else the primary IP. */
    String nextHop() throws StrategyException {
        if (config.nextHop().isPresent()) {
            return config.nextHop().get();
        }
        String mine = config.nodeIps().get(context.nodeName());
        if (mine != null) {
            return mine;
        }
        if (!config.clusterAddresses().isEmpty() && config.nodeIps().isEmpty()) {
            // ext_ip_1/ext_ip_2: "point to me" means to whichever of them this node owns
            Set<String> own = ownAddresses();
            List<String> matching =
                    config.clusterAddresses().stream().filter(own::contains).toList();
            if (matching.size() == 1) {
                return matching.get(0);
            }
            throw StrategyException.notConfigured((matching.isEmpty() ? "none" : "more than one") + " of the node "
                    + "addresses " + String.join(", ", config.clusterAddresses()) + " belongs to this node ("
                    + context.nodeName() + ")");
        }
        if (!config.nodeIps().isEmpty()) {
            throw StrategyException.notConfigured("node_ips has no entry for this node, " + context.nodeName());
        }
        return instance()
                .primaryAddress()
                .orElseThrow(() -> new StrategyException(
                        ErrorKind.NOT_CONFIGURED,
                        "the metadata service shows no primary IP for this instance; set next_hop"));
    }

    String vpcId() throws StrategyException {
        return config.vpcId().isPresent() ? config.vpcId().get() : instance().vpcId();
    }

    /** This node's zone: its node_zones entry, else from the metadata service. */
    String zone() throws StrategyException {
        String configured = config.nodeZones().get(context.nodeName());
        return configured != null ? configured : instance().zone();
    }

    private Instance instance() throws StrategyException {
        if (instance == null) {
            instance = context.cloud().metadata().instance();
        }
        return instance;
    }

    /** The addresses of this instance: from the metadata service, else of this machine's interfaces. */
    private Set<String> ownAddresses() throws StrategyException {
        List<String> addresses = new ArrayList<>();
        try {
            Instance self = instance();
            self.networkInterfaces().stream()
                    .map(NetworkInterface::primaryAddress)
                    .forEach(addresses::add);
            self.networkAttachments().stream()
                    .map(NetworkAttachment::primaryAddress)
                    .forEach(addresses::add);
            return Set.copyOf(addresses);
        } catch (StrategyException noMetadata) {
            context.logger()
                    .log(
                            System.Logger.Level.DEBUG,
                            () -> "no metadata (" + noMetadata.reason() + "); using this machine's addresses");
        }
        try {
            for (java.net.NetworkInterface nic : Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    addresses.add(address.getHostAddress());
                }
            }
        } catch (SocketException e) {
            throw StrategyException.generic("cannot list this machine's addresses: " + e.getMessage());
        }
        return Set.copyOf(addresses);
    }
}
