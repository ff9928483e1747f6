package io.vpcha.strategy.loadbalancer;

import static io.vpcha.strategy.loadbalancer.LoadBalancerCluster.poolMember;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.IamPolicyDoc;
import io.vpcha.host.testing.SimulatedCluster.Outcome;
import io.vpcha.simulator.VpcSimulator;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad input: the right exit code and a one-line reason, before any cloud call; a stop still succeeds. */
class TestLoadBalancerInputs {
    private static VpcSimulator simulator;

    @TempDir
    Path work;

    private LoadBalancerCluster cluster;

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
        cluster = new LoadBalancerCluster(simulator, work, 8080);
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of(new String[] {"load_balancer", null}, 6, "load_balancer: required but not set"),
                Arguments.of(new String[] {"pool", "  "}, 6, "pool is empty"),
                Arguments.of(new String[] {"mode", "sideways"}, 6, "mode"),
                Arguments.of(new String[] {"mode", "health-check"}, 6, "mode=health-check needs health_port"),
                Arguments.of(new String[] {"mode", "health-check", "health_port", "0"}, 6, "health_port"),
                Arguments.of(new String[] {"mode", "health-check", "health_port", "65536"}, 6, "health_port"),
                Arguments.of(new String[] {"mode", "health-check", "health_port", "http"}, 6, "health_port"),
                Arguments.of(
                        new String[] {"mode", "health-check", "health_port", "8080", "health_address", "10.0.0.300"},
                        6,
                        "health_address"),
                Arguments.of(
                        new String[] {"mode", "health-check", "health_port", "8080", "weight", "50"},
                        6,
                        "weight belongs to mode=pool-member"),
                Arguments.of(
                        new String[] {"health_port", "8080"},
                        6,
                        "health_port and health_address belong to mode=health-check"),
                Arguments.of(new String[] {"weight", "0"}, 6, "weight"),
                Arguments.of(new String[] {"weight", "101"}, 6, "weight"),
                Arguments.of(new String[] {"monitor_grace", "-1"}, 6, "monitor_grace"),
                Arguments.of(
                        new String[] {"node_members", "node-b=127.0.0.12"},
                        2,
                        "node_members has no entry for this node node-a"),
                Arguments.of(
                        new String[] {"healthport", "8080"},
                        6,
                        "healthport: not a parameter of strategy load-balancer"));
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void badInputIsRefusedWithAReasonAndNoCloudCall(String[] change, int code, String reason) {
        Map<String, String> resource = poolMember(change);

        for (String action : new String[] {"validate-all", "start"}) {
            Outcome outcome = action.equals("validate-all")
                    ? cluster.validate("node-a", resource, 0)
                    : cluster.start("node-a", resource);
            assertThat(outcome.code()).as(action + ": " + outcome).isEqualTo(code);
            assertThat(outcome.reason()).as(action).contains(reason).doesNotContain("\n");
            assertThat(outcome.cloudRequests()).as(action).isZero();
        }
        // a probe where it never started costs nothing, whatever the parameters
        assertThat(cluster.probe("node-a", resource).cloudRequests())
                .as("probe")
                .isZero();
        assertThat(cluster.stop("node-a", resource).code()).isZero();
    }

    @Test
    void theRawRequestsNameTheActionsThePolicyLists() {
        IamPolicyDoc.assertListsEveryRequest(LoadBalancerApi.IAM_ACTIONS.byRequest());
    }

    @Test
    void aBadConfigurationAfterAStartStillStopsWhatTheStartDid() {
        Map<String, String> resource = poolMember();
        assertThat(cluster.start("node-b", resource).code()).isZero();
        assertThat(cluster.weights("wrr-pool")).containsEntry("node-b", 100);

        Outcome stop = cluster.stop("node-b", poolMember("node_members", "node-a=127.0.0.11"));

        assertThat(stop.code()).isZero();
        assertThat(cluster.weights("wrr-pool")).containsEntry("node-b", 0);
    }
}
