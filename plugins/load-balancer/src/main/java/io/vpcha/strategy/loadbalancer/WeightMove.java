package io.vpcha.strategy.loadbalancer;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.PoolMember;
import io.vpcha.spi.cloud.VpcApi;
import io.vpcha.toolkit.time.Settle;
import io.vpcha.toolkit.time.TimeBox;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The failover of pool-member mode: every other member to weight 0 first, then this node's member to
 * its weight (so that no moment sends new connections to two nodes), each change made only once the
 * load balancer is active again (it refuses changes with 409 while update_pending), then the weights
 * read back. Every wait is within the action's time box, by its clock.
 */
final class WeightMove {
    private static final Duration FIRST_PAUSE = Duration.ofMillis(200);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);

    private final VpcApi vpc;
    private final LoadBalancerApi api;
    private final TimeBox timeBox;
    private final String nodeName;
    private final System.Logger log;

    WeightMove(VpcApi vpc, LoadBalancerApi api, TimeBox timeBox, String nodeName, System.Logger log) {
        this.vpc = requireNonNull(vpc, "vpc is null");
        this.api = requireNonNull(api, "api is null");
        this.timeBox = requireNonNull(timeBox, "timeBox is null");
        this.nodeName = requireNonNull(nodeName, "nodeName is null");
        this.log = requireNonNull(log, "log is null");
    }

    /** The members that take new connections besides {@code mine}. */
    static List<PoolMember> othersWeighted(List<PoolMember> members, String mine) {
        return members.stream()
                .filter(member -> !member.id().equals(mine))
                .filter(member -> member.weight().orElse(0) > 0)
                .toList();
    }

    static boolean hasWeight(PoolMember member, int weight) {
        return member.weight().isPresent() && member.weight().getAsInt() == weight;
    }

    /**
     * Makes {@code mine} the only member with a weight, and returns the members once read back so.
     *
     * @return the number of changes made (0 when it already was so)
     */
    int moveHere(String loadBalancerId, String poolId, List<PoolMember> members, PoolMember mine, int weight)
            throws StrategyException {
        List<PoolMember> others = othersWeighted(members, mine.id());
        int changes = 0;
        for (PoolMember other : others) {
            setWeight(loadBalancerId, poolId, other, 0);
            changes++;
        }
        if (!hasWeight(mine, weight)) {
            setWeight(loadBalancerId, poolId, mine, weight);
            changes++;
        }
        if (changes > 0) {
            awaitOnlyMine(loadBalancerId, poolId, mine.id(), weight, others);
        }
        return changes;
    }

    /** Sets one member's weight once the load balancer takes changes. */
    void setWeight(String loadBalancerId, String poolId, PoolMember member, int weight) throws StrategyException {
        awaitActive(loadBalancerId);
        try {
            // the host sends it again on 409 load_balancer_update_conflict (another change came first), within the
            // deadline
            timeBox.call(
                    "set the weight of " + Describe.member(member) + " to " + weight,
                    () -> vpc.updatePoolMemberWeight(loadBalancerId, poolId, member.id(), weight));
        } catch (CloudException e) {
            if (e.isTransient()) {
                throw new StrategyException(
                        ErrorKind.GENERIC,
                        "cannot set the weight of " + Describe.member(member) + " to " + weight + ": " + e.reason(),
                        e);
            }
            throw e;
        }
        log.log(Level.INFO, () -> "set the weight of " + Describe.member(member) + " to " + weight);
    }

    /** Waits until the load balancer takes changes again (it leaves update_pending); a failed one never will. */
    LoadBalancerView awaitActive(String loadBalancerId) throws StrategyException {
        return Settle.within(timeBox)
                .pauses(FIRST_PAUSE, LONGEST_PAUSE)
                .until(
                        "get load balancer " + loadBalancerId,
                        () -> api.loadBalancer(loadBalancerId),
                        seen -> {
                            if (seen.isFailed()) {
                                throw StrategyException.notConfigured(seen.describe()
                                        + " is in provisioning_status failed and takes no change; it needs IBM "
                                        + "support or re-creating");
                            }
                            return seen.isActive();
                        },
                        (lastSeen, lastFailure) -> new StrategyException(
                                ErrorKind.GENERIC,
                                "load balancer " + loadBalancerId + " did not become active in the time this action has"
                                        + lastSeen.map(lb -> " (provisioning_status " + lb.provisioningStatus() + ")")
                                                .orElse("")
                                        + lastFailure
                                                .map(failure -> "; the last read failed: " + failure.reason())
                                                .orElse("")));
    }

    /**
     * Reads the members back until the change is effective. Another weight than this start set was set by
     * someone else (another node starting at the same time): moving it back would start a tug of war, so the
     * start fails and Pacemaker settles where the resource runs.
     */
    private void awaitOnlyMine(String loadBalancerId, String poolId, String mine, int weight, List<PoolMember> zeroed)
            throws StrategyException {
        Settle.within(timeBox)
                .pauses(FIRST_PAUSE, LONGEST_PAUSE)
                .until(
                        "list members of pool " + poolId,
                        () -> vpc.listPoolMembers(loadBalancerId, poolId),
                        seen -> {
                            Optional<PoolMember> me = seen.stream()
                                    .filter(member -> member.id().equals(mine))
                                    .findFirst();
                            if (me.isEmpty()) {
                                throw StrategyException.notConfigured("this node's member " + mine
                                        + " was removed from pool " + poolId + " meanwhile");
                            }
                            // this start's writes were answered before the read-back: any other weight is someone
                            // else's
                            List<PoolMember> others = othersWeighted(seen, mine);
                            if (!others.isEmpty() || !hasWeight(me.get(), weight)) {
                                throw new StrategyException(
                                        ErrorKind.GENERIC,
                                        "while starting on " + nodeName + ", the weights of pool " + poolId
                                                + " were changed by someone else (another node starting it?): "
                                                + String.join(
                                                        ", ",
                                                        seen.stream()
                                                                .map(Describe::member)
                                                                .toList()));
                            }
                            // effective once the load balancer has applied it (the member leaves update_pending)
                            return me.get().provisioningStatus().equals(LoadBalancerView.ACTIVE);
                        },
                        (lastSeen, lastFailure) -> new StrategyException(
                                ErrorKind.GENERIC,
                                "the weights of pool " + poolId + " were not seen with only this node's member "
                                        + mine + " weighted before the start timeout"
                                        + lastSeen.map(members -> "; last seen: "
                                                        + String.join(
                                                                ", ",
                                                                members.stream()
                                                                        .map(Describe::member)
                                                                        .toList()))
                                                .orElse("")
                                        + lastFailure
                                                .map(failure -> "; the last read failed: " + failure.reason())
                                                .orElse("")));
        log.log(
                Level.DEBUG,
                () -> "read back: only member " + mine + " of pool " + poolId + " has a weight; " + zeroed.size()
                        + " set to 0");
    }
}
