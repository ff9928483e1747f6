package io.vpcha.strategy.secondaryip;

import static io.vpcha.strategy.secondaryip.SecondaryIpCluster.VIP;
import static io.vpcha.strategy.secondaryip.SecondaryIpCluster.parameters;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.SimulatedCluster.Outcome;
import io.vpcha.simulator.fault.FaultRule;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A start that ends between unbind and bind (the node crashes, the bind fails for good, the action
 * times out): the reserved IP is left unbound but kept, because auto_delete was made false first, and
 * the next start on any node binds it.
 */
class TestSecondaryIpCrash extends SecondaryIpClusterFixture {
    private static final String BIND = "/v1/virtual_network_interfaces/*/ips/*";

    @Test
    void aBindThatNeverSucceedsLeavesTheIpUnboundAndKeptAndTheOtherNodeRepairsIt() {
        Map<String, String> resource = parameters();
        String id = cluster.reservedIp(VIP).orElseThrow().id;
        simulator.faults().add(FaultRule.status(503).method("PUT").path(BIND));

        Outcome failed = cluster.run("node-b", "start", resource, Duration.ZERO, Duration.ofSeconds(4), Map.of());

        assertThat(failed.code()).as(failed.toString()).isEqualTo(1);
        assertThat(cluster.boundTo(VIP))
                .as("unbound from node-a, never bound to node-b")
                .isEmpty();
        assertThat(cluster.reservedIp(VIP).orElseThrow().id)
                .as("not deleted by the unbind")
                .isEqualTo(id);
        assertThat(cluster.reservedIp(VIP).orElseThrow().autoDelete).isFalse();
        assertThat(cluster.deliveredFromEveryZone(VIP)).containsOnly("dropped");
        assertThat(cluster.monitor("node-b", resource).code())
                .as("node-b's start failed")
                .isEqualTo(7);

        simulator.faults().clear();
        Outcome repair = cluster.start("node-a", resource);

        assertThat(repair.code()).as(repair.toString()).isZero();
        assertThat(repair.vpcWriteRequests())
                .as("nothing to unbind: only the bind")
                .containsExactly("PUT /v1/virtual_network_interfaces/{virtual_network_interface_id}/ips/{id}");
        assertThat(cluster.deliveredFromEveryZone(VIP)).containsOnly("node-a");
    }

    @Test
    void theSameNodeRepairsItOnItsNextStart() {
        Map<String, String> resource = parameters();
        simulator.faults().add(FaultRule.status(503).method("PUT").path(BIND).count(1_000));
        assertThat(cluster.run("node-b", "start", resource, Duration.ZERO, Duration.ofSeconds(4), Map.of())
                        .code())
                .isEqualTo(1);
        simulator.faults().clear();

        Outcome retry = cluster.start("node-b", resource);

        assertThat(retry.code()).as(retry.toString()).isZero();
        assertThat(cluster.deliveredFromEveryZone(VIP)).containsOnly("node-b");
    }

    @Test
    void aBindWhoseAnswerIsLostIsFoundDoneByTheReadBack() {
        // one attempt per call, given up after 1 s of the action's 10: the PUT is never sent again, and the
        // read-back has the time to find it done
        Map<String, String> resource = parameters("request_timeout", "1", "max_attempts", "1");
        // the change is made, the answer never arrives in time: the host gives up on the call
        simulator
                .faults()
                .add(FaultRule.hang(30_000)
                        .hangAfterProcessing(true)
                        .method("PUT")
                        .path(BIND)
                        .count(1));

        Outcome start = cluster.run("node-b", "start", resource, Duration.ZERO, Duration.ofSeconds(10), Map.of());

        assertThat(start.code()).as(start.toString()).isZero();
        assertThat(start.result().stderr()).contains("checking whether it took effect");
        // the simulator journals the hung PUT once its answer goes out, 30 s later: a PUT sent again would show
        assertThat(start.vpcWriteRequests())
                .as("auto_delete and unbind; the bind not sent again")
                .containsExactly(
                        "PATCH /v1/subnets/{subnet_id}/reserved_ips/{id}",
                        "DELETE /v1/virtual_network_interfaces/{virtual_network_interface_id}/ips/{id}");
        assertThat(cluster.boundTo(VIP)).hasValue("vni-b");
        assertThat(cluster.monitor("node-b", resource).code()).isZero();
    }
}
