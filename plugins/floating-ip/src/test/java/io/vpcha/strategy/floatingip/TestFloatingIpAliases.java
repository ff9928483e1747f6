package io.vpcha.strategy.floatingip;

import static io.vpcha.strategy.floatingip.FloatingIpCluster.API_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.SimulatedCluster.Outcome;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A resource migrated from ClusterLabs' ibm-cloud-vpc-move-fip keeps its parameter names. */
class TestFloatingIpAliases extends FloatingIpClusterFixture {
    /** The parameters of an ibm-cloud-vpc-move-fip resource, with strategy added (vpc_url comes from the harness). */
    private Map<String, String> movedFipResource() {
        return Map.of(
                "strategy",
                "floating-ip",
                "api_key",
                API_KEY,
                "fip_id",
                cluster.floatingIpId("vip-fip"),
                "vni_id_1",
                cluster.interfaceId("node-a"),
                "vni_id_2",
                cluster.interfaceId("node-b"));
    }

    @Test
    void theOldNamesMoveTheFloatingIpToWhicheverCandidateIsThisNodes() {
        Map<String, String> resource = movedFipResource();

        Outcome toB = cluster.start("node-b", resource);

        assertThat(toB.code()).as(toB.toString()).isZero();
        assertThat(toB.result().stderr())
                .contains("WARNING: parameter fip_id is deprecated; use floating_ip")
                .contains("WARNING: vni_id_1/vni_id_2 are deprecated; use node_targets");
        assertThat(cluster.vipDeliveredTo()).hasValue("node-b");
        assertThat(toB.vpcWrites()).isEqualTo(1);
        Outcome monitor = cluster.monitor("node-b", resource);
        assertThat(monitor.code()).isZero();
        assertThat(monitor.result().vpcRequests()).isEqualTo(1);

        Outcome toA = cluster.start("node-a", resource);

        assertThat(toA.code()).as(toA.toString()).isZero();
        assertThat(cluster.vipDeliveredTo()).hasValue("node-a");
        assertThat(cluster.monitor("node-b", resource).code()).isEqualTo(7);
    }

    @Test
    void aNodeOwningNeitherCandidateIsAnArgumentErrorForThatNode() {
        Outcome start = cluster.start("node-f", movedFipResource());

        assertThat(start.code()).isEqualTo(2);
        assertThat(start.reason())
                .startsWith("neither of vni_id_1/vni_id_2 (" + cluster.interfaceId("node-a") + ", "
                        + cluster.interfaceId("node-b") + ") is an interface of this instance node-f");
        assertThat(start.vpcWrites()).isZero();
        assertThat(cluster.vipDeliveredTo()).hasValue("node-a");
    }

    @Test
    void withoutTheMetadataServiceTheCandidatesCannotBeToldApartAndTheReasonSaysWhatToSet() {
        Outcome start = cluster.start("node-m", movedFipResource());

        assertThat(start.code()).isNotZero();
        assertThat(start.reason())
                .startsWith("cannot tell this node's interface (vni_id_1/vni_id_2 need it to tell "
                        + "which is this node's; or set node_targets): ");
        assertThat(start.vpcWrites()).isZero();
    }

    @Test
    void aSingleCandidateIsEnoughForTheNodeItBelongsTo() {
        Map<String, String> resource = Map.of(
                "strategy",
                "floating-ip",
                "api_key",
                API_KEY,
                "fip_id",
                "vip-fip",
                "vni_id_2",
                cluster.interfaceId("node-b"));

        assertThat(cluster.start("node-b", resource).code()).isZero();
        assertThat(cluster.vipDeliveredTo()).hasValue("node-b");
    }

    @Test
    void anAliasAndItsParameterTogetherAreRefusedBeforeAnyRequest() {
        Outcome start = cluster.start("node-b", FloatingIpCluster.parameters("fip_id", "vip-fip"));

        assertThat(start.code()).isEqualTo(6);
        assertThat(start.reason()).contains("fip_id").contains("floating_ip");
        assertThat(start.entries()).isEmpty();
    }

    @Test
    void theOldNamesCannotBeMixedWithTheNewTargets() {
        Map<String, String> resource = FloatingIpCluster.parameters(
                "vni_id_1", cluster.interfaceId("node-a"), "target", cluster.interfaceId("node-b"));

        Outcome start = cluster.start("node-b", resource);

        assertThat(start.code()).isEqualTo(6);
        assertThat(start.reason())
                .isEqualTo("the deprecated vni_id_1/vni_id_2 cannot be combined with target or "
                        + "node_targets; keep only target");
        assertThat(start.entries()).isEmpty();
    }
}
