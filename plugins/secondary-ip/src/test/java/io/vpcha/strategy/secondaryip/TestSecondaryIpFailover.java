package io.vpcha.strategy.secondaryip;

import static io.vpcha.strategy.secondaryip.SecondaryIpCluster.VIP;
import static io.vpcha.strategy.secondaryip.SecondaryIpCluster.parameters;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.SimulatedCluster.Outcome;
import io.vpcha.simulator.state.ReservedIp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Failovers both ways, what each action costs, and what stop leaves behind. */
class TestSecondaryIpFailover extends SecondaryIpClusterFixture {
    @Test
    void failoverToNodeBAndBackMovesTheVipAndKeepsTheReservedIp() {
        Map<String, String> resource = parameters();
        String id = cluster.reservedIp(VIP).orElseThrow().id;
        assertThat(cluster.deliveredFromEveryZone(VIP)).containsOnly("node-a");

        Outcome toB = cluster.start("node-b", resource);

        assertThat(toB.code()).as(toB.toString()).isZero();
        assertThat(cluster.boundTo(VIP)).hasValue("vni-b");
        assertThat(cluster.deliveredFromEveryZone(VIP)).containsOnly("node-b");
        ReservedIp after = cluster.reservedIp(VIP).orElseThrow();
        assertThat(after.id).as("the same reserved IP, never deleted").isEqualTo(id);
        assertThat(after.autoDelete).isFalse();
        // auto_delete false before the unbind: the unbind of an auto_delete=true IP deletes it
        assertThat(toB.vpcWriteRequests())
                .containsExactly(
                        "PATCH /v1/subnets/{subnet_id}/reserved_ips/{id}",
                        "DELETE /v1/virtual_network_interfaces/{virtual_network_interface_id}/ips/{id}",
                        "PUT /v1/virtual_network_interfaces/{virtual_network_interface_id}/ips/{id}");
        assertThat(cluster.monitor("node-b", resource).code()).isZero();
        assertThat(cluster.probe("node-a", resource).code())
                .as("never started on node-a")
                .isEqualTo(7);

        Outcome back = cluster.start("node-a", resource);
        assertThat(back.code()).as(back.toString()).isZero();
        assertThat(back.vpcWriteRequests())
                .as("auto_delete is already false: unbind and bind only")
                .containsExactly(
                        "DELETE /v1/virtual_network_interfaces/{virtual_network_interface_id}/ips/{id}",
                        "PUT /v1/virtual_network_interfaces/{virtual_network_interface_id}/ips/{id}");
        assertThat(cluster.deliveredFromEveryZone(VIP)).containsOnly("node-a");
        Outcome stale = cluster.monitor("node-b", resource);
        assertThat(stale.code()).as(stale.toString()).isEqualTo(7);
        assertThat(stale.reason()).contains("is bound to virtual network interface vni-a");
        assertThat(cluster.reservedIp(VIP).orElseThrow().id).isEqualTo(id);
    }

    @Test
    void aSecondStartWritesNothingAndASteadyMonitorCostsOneRequest() {
        Map<String, String> resource = parameters();
        assertThat(cluster.start("node-b", resource).code()).isZero();

        Outcome again = cluster.start("node-b", resource);
        Outcome first = cluster.monitor("node-b", resource);
        Outcome steady = cluster.monitor("node-b", resource);

        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(again.vpcWrites()).isZero();
        assertThat(first.code()).isZero();
        assertThat(steady.code()).isZero();
        assertThat(steady.result().vpcRequests()).as(steady.toString()).isEqualTo(1);
        assertThat(steady.result().iamRequests()).isZero();
        assertThat(steady.result().metadataRequests()).isZero();
    }

    @Test
    void anAddressWithoutAReservedIpIsReservedOnceKeptWhenUnboundAndNamedAfterTheResource() {
        Map<String, String> resource = parameters("ip", "10.240.0.77", "#instance", "db-vip");

        Outcome onB = cluster.start("node-b", resource);
        Outcome onA = cluster.start("node-a", resource);

        assertThat(onB.code()).as(onB.toString()).isZero();
        assertThat(onB.vpcWriteRequests())
                .containsExactly(
                        "POST /v1/subnets/{subnet_id}/reserved_ips",
                        "PUT /v1/virtual_network_interfaces/{virtual_network_interface_id}/ips/{id}");
        assertThat(onA.code()).as(onA.toString()).isZero();
        assertThat(onA.vpcWriteRequests()).doesNotContain("POST /v1/subnets/{subnet_id}/reserved_ips");
        ReservedIp reserved = cluster.reservedIp("10.240.0.77").orElseThrow();
        assertThat(reserved.name).isEqualTo("vpc-ha-db-vip");
        assertThat(reserved.autoDelete).isFalse();
        assertThat(cluster.boundTo("10.240.0.77")).hasValue("vni-a");
        assertThat(cluster.deliveredFromEveryZone("10.240.0.77")).containsOnly("node-a");
    }

    @Test
    void ipMayNameTheReservedIpByNameOrId() {
        Outcome byName = cluster.start("node-b", parameters("ip", "spare"));
        String id = cluster.reservedIp("10.240.0.60").orElseThrow().id;
        Outcome byId = cluster.start("node-a", parameters("ip", id));

        assertThat(byName.code()).as(byName.toString()).isZero();
        assertThat(byId.code()).as(byId.toString()).isZero();
        assertThat(cluster.boundTo("10.240.0.60")).hasValue("vni-a");
    }

    @Test
    void nodeTargetsNameEachNodesVniWithoutTheMetadataService() {
        Map<String, String> resource =
                parameters("node_targets", "node-a=" + cluster.vniId("vni-a") + ",node-m=" + cluster.vniId("vni-m"));

        Outcome onM = cluster.start("node-m", resource);

        assertThat(onM.code()).as(onM.toString()).isZero();
        assertThat(onM.result().metadataRequests()).isZero();
        assertThat(cluster.boundTo(VIP)).hasValue("vni-m");
        assertThat(cluster.monitor("node-m", resource).code()).isZero();
    }

    @Test
    void stopKeepsTheBindingByDefaultAndUnbindsOnlyWhatIsHereWhenAsked() {
        Map<String, String> keep = parameters();
        Map<String, String> unbind = parameters("stop_policy", "unbind");
        assertThat(cluster.start("node-b", keep).code()).isZero();

        Outcome kept = cluster.stop("node-b", keep);
        assertThat(kept.code()).isZero();
        assertThat(kept.vpcWrites()).isZero();
        assertThat(cluster.boundTo(VIP)).hasValue("vni-b");
        assertThat(cluster.monitor("node-b", keep).code()).as("stopped here").isEqualTo(7);

        assertThat(cluster.start("node-a", unbind).code()).isZero();
        Outcome elsewhere = cluster.stop("node-b", unbind);
        assertThat(elsewhere.code()).isZero();
        assertThat(elsewhere.vpcWrites()).as("it moved to node-a: left there").isZero();
        assertThat(cluster.boundTo(VIP)).hasValue("vni-a");

        Outcome unbound = cluster.stop("node-a", unbind);
        assertThat(unbound.code()).as(unbound.toString()).isZero();
        assertThat(cluster.boundTo(VIP)).isEmpty();
        assertThat(cluster.reservedIp(VIP)).as("kept, for the next start").isPresent();
        assertThat(cluster.deliveredFromEveryZone(VIP)).containsOnly("dropped");
    }

    @Test
    void stopWithUnbindNeverUnbindsAnAutoDeleteIp() {
        Map<String, String> unbind = parameters("stop_policy", "unbind");
        assertThat(cluster.start("node-b", unbind).code()).isZero();
        // someone turns auto_delete back on while it runs here
        cluster.setAutoDelete(VIP, true);

        Outcome stop = cluster.stop("node-b", unbind);

        assertThat(stop.code()).isZero();
        assertThat(stop.vpcWrites()).isZero();
        assertThat(cluster.reservedIp(VIP)).isPresent();
        assertThat(cluster.boundTo(VIP)).hasValue("vni-b");
        assertThat(stop.result().stderr()).contains("auto_delete true");
    }

    @Test
    void aStartWhereTheVipIsBoundWithAutoDeleteTurnsItOffWithoutMovingIt() {
        Map<String, String> resource = parameters();

        Outcome start = cluster.start("node-a", resource);

        assertThat(start.code()).as(start.toString()).isZero();
        assertThat(start.vpcWriteRequests()).containsExactly("PATCH /v1/subnets/{subnet_id}/reserved_ips/{id}");
        assertThat(cluster.reservedIp(VIP).orElseThrow().autoDelete).isFalse();
        assertThat(cluster.boundTo(VIP)).hasValue("vni-a");
    }

    @Test
    void aProbeOnANodeThatNeverRanItCostsNothing() {
        Outcome probe = cluster.probe("node-b", parameters());

        assertThat(probe.code()).isEqualTo(7);
        assertThat(probe.entries()).isEmpty();
    }

    @Test
    void aStopOnANodeThatNeverRanItSucceedsWithoutTheCloud() {
        Outcome stop = cluster.stop("node-b", parameters("stop_policy", "unbind", "api_key", "wrong"));

        assertThat(stop.code()).as(stop.toString()).isZero();
        assertThat(stop.entries()).isEmpty();
    }

    @Test
    void theVipIsReachableFromEverySubnetAndZoneOnceMoved() {
        assertThat(cluster.start("node-b", parameters()).code()).isZero();

        assertThat(cluster.deliveredFromEveryZone(VIP)).isEqualTo(List.of("node-b", "node-b", "node-b"));
    }
}
