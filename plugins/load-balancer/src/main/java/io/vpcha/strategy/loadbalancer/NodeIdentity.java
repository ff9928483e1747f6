package io.vpcha.strategy.loadbalancer;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.Instance;
import io.vpcha.spi.cloud.InstanceMetadata;
import io.vpcha.spi.cloud.PoolMember;
import io.vpcha.toolkit.node.ThisInstance;
import io.vpcha.toolkit.time.TimeBox;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a node's pool member may be known by: the member's id, its target instance id or its target
 * address. From node_members when set, else this instance's id and addresses from the metadata service.
 *
 * @param names the values that identify the node's member
 * @param source where they come from, for reasons ("node_members entry node-a", "this instance node-a (0717-...)")
 */
record NodeIdentity(Set<String> names, String source) {
    NodeIdentity {
        names = Set.copyOf(requireNonNull(names, "names is null"));
        requireNonNull(source, "source is null");
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a node known by nothing");
        }
    }

    /** This node, as node_members names it or as the metadata service shows it. */
    static NodeIdentity ofThisNode(
            LoadBalancerSettings settings, InstanceMetadata metadata, TimeBox timeBox, String node)
            throws StrategyException {
        if (settings.thisNodeMember().isPresent()) {
            return new NodeIdentity(Set.of(settings.thisNodeMember().get()), "node_members entry of " + node);
        }
        Instance instance = new ThisInstance(metadata, timeBox)
                .read("cannot tell this node's pool member (enable the metadata service, or set node_members)");
        Set<String> names = new LinkedHashSet<>();
        names.add(instance.id());
        instance.networkInterfaces().forEach(nic -> names.add(nic.primaryAddress()));
        instance.networkAttachments().forEach(attachment -> names.add(attachment.primaryAddress()));
        names.remove("");
        String described = instance.name().isEmpty() ? instance.id() : instance.name() + " (" + instance.id() + ")";
        return new NodeIdentity(names, "this instance " + described);
    }

    /** The node's member among {@code members}: the first whose id, target instance or address it is known by. */
    Optional<PoolMember> memberIn(List<PoolMember> members) {
        return members.stream()
                .filter(member -> names.contains(member.id())
                        || member.targetId().filter(names::contains).isPresent()
                        || member.targetAddress().filter(names::contains).isPresent())
                .findFirst();
    }
}
