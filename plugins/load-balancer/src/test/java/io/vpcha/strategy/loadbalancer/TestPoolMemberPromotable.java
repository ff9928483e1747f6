package io.vpcha.strategy.loadbalancer;

import static io.vpcha.strategy.loadbalancer.LoadBalancerCluster.poolMember;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.AgentHarness;
import io.vpcha.host.testing.AgentHarness.Result;
import io.vpcha.host.testing.RecordedPacemakerTools;
import io.vpcha.simulator.VpcSimulator;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mode=pool-member as a promotable clone: the passive node's readiness, and a promotion it made warm. */
class TestPoolMemberPromotable {
    private static VpcSimulator simulator;

    @TempDir
    Path work;

    private LoadBalancerCluster cluster;
    private RecordedPacemakerTools tools;

    @BeforeAll
    static void startSimulator() {
        simulator =
                LoadBalancerCluster.poolMemberSimulator(LoadBalancerCluster.freePort(), LoadBalancerCluster.freePort());
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    @BeforeEach
    void reset() {
        simulator.reset();
        simulator.behaviour().loadBalancerHealthChecks = "off";
        simulator.behaviour().loadBalancerUpdateMillis = 300;
        cluster = new LoadBalancerCluster(simulator, work, 0);
        tools = RecordedPacemakerTools.in(work.resolve("sbin"));
    }

    @Test
    void theReadyPassiveNodeCostsOneRequestPerCheckAndIsPromotedWithoutLookups() {
        AgentHarness.Node nodeA = node("node-a");
        AgentHarness.Node nodeB = node("node-b");
        assertThat(nodeA.run("start", promotable()).code()).isZero();
        assertThat(nodeA.run("promote", promotable()).code()).isZero();
        assertThat(nodeB.run("start", promotable()).code()).isZero();
        for (int check = 0; check < 2; check++) {
            Result readiness = nodeB.monitor(promotable());
            assertThat(readiness.code()).as("%s", readiness).isZero();
            assertThat(readiness.vpcRequests())
                    .as("the list of the pool's members")
                    .isEqualTo(1);
            assertThat(readiness.iamRequests()).isZero();
        }
        assertThat(tools.takeCalls()).contains("crm_attribute -N node-b -n vpc-ha-readiness-vip -l reboot -v ready");
        assertThat(nodeA.run("demote", promotable()).code()).isZero();
        long before = simulator.journal().lastSequence();

        Result promote = nodeB.run("promote", promotable());

        assertThat(promote.code()).as("%s", promote).isZero();
        assertThat(cluster.weights("wrr-pool")).containsEntry("node-a", 0).containsEntry("node-b", 100);
        assertThat(promote.iamRequests()).isZero();
        assertThat(simulator.journal().entriesAfter(before))
                .as("the load balancer and pool read by their remembered ids, never looked up by name")
                .noneMatch(entry -> entry.method().equals("GET")
                        && (entry.endpoint().endsWith("/load_balancers")
                                || entry.endpoint().endsWith("/pools")));
    }

    @Test
    void aNodeThatIsNoMemberOfThePoolIsNotReadyAndNotFailed() {
        Result start = node("node-c").run("start", promotable());

        assertThat(start.code()).as("%s", start).isZero();
        assertThat(tools.takeCalls())
                .contains("crm_attribute --promotion -v 1")
                .anySatisfy(call -> assertThat(call)
                        .startsWith("crm_attribute -N node-c -n vpc-ha-readiness-vip -l reboot -v not ready: this "
                                + "node is no member of pool"));
    }

    private AgentHarness.Node node(String name) {
        return cluster.harness.node(name).with("HA_SBIN_DIR", tools.directory());
    }

    private static Map<String, String> promotable() {
        return poolMember("CRM_meta_promotable", "true");
    }
}
