package io.vpcha.strategy.floatingip;

import static io.vpcha.strategy.floatingip.FloatingIpCluster.parameters;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.SimulatedCluster.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * validate-all: level 0 checks the parameters and their combinations with no request at all; level 10
 * asks the cloud and names exactly what is missing.
 */
class TestFloatingIpValidate extends FloatingIpClusterFixture {
    @Test
    void noValueOfAnyParameterMakesAnUnexpectedFailureOrAFailedStop() {
        List<String> names = new ArrayList<>();
        new FloatingIpStrategyProvider().parameters().forEach(spec -> names.add(spec.name()));
        for (String name : names) {
            for (String value : new String[] {"", " ", "é", "x".repeat(10_000), "-1"}) {
                for (String action : new String[] {"validate-all", "start", "stop"}) {
                    Outcome outcome = cluster.run(
                            "node-b",
                            action,
                            parameters(name, value, "stop_policy", name.equals("stop_policy") ? value : "unbind"),
                            Duration.ZERO,
                            Duration.ofSeconds(20),
                            Map.of("OCF_CHECK_LEVEL", "10"));
                    String what = action + " with " + name + "='" + value.substring(0, Math.min(12, value.length()))
                            + "': " + outcome;
                    assertThat(outcome.reason()).as(what).doesNotContain("unexpectedly");
                    assertThat(outcome.code()).as(what).isIn(0, 1, 2, 4, 6);
                    if (action.equals("stop")) {
                        assertThat(outcome.code()).as(what).isZero();
                    }
                }
            }
        }
    }

    @Test
    void levelZeroAcceptsAGoodResourceWithoutAnyRequest() {
        Outcome validate = cluster.validate("node-b", parameters("stop_policy", "unbind", "monitor_grace", "30"), 0);

        assertThat(validate.code()).as(validate.toString()).isZero();
        assertThat(validate.entries()).isEmpty();
    }

    @Test
    void levelZeroNamesEachBadCombinationWithoutAnyRequest() {
        String nodeA = cluster.interfaceId("node-a");
        String nodeB = cluster.interfaceId("node-b");
        Map<Map<String, String>, String> cases = Map.of(
                parameters("target", nodeB, "node_targets", "node-b=" + nodeB),
                "set target or node_targets, not both",
                parameters("vni_id_1", nodeA, "node_targets", "node-b=" + nodeB),
                "the deprecated vni_id_1/vni_id_2 cannot be combined with target or node_targets; keep only node_targets",
                parameters("vni_id_1", nodeA, "vni_id_2", nodeA),
                "vni_id_1 and vni_id_2 are both " + nodeA + "; they are the two nodes' targets",
                parameters("monitor_grace", "-5"),
                "monitor_grace: '-5' is not 0 to 86400",
                parameters("floating_ip", " "),
                "floating_ip is empty: set the floating IP's id, name or address");

        cases.forEach((resource, reason) -> {
            Outcome validate = cluster.validate("node-b", resource, 0);
            assertThat(validate.code()).as(reason).isEqualTo(6);
            assertThat(validate.reason()).isEqualTo(reason);
            assertThat(validate.entries()).isEmpty();
        });
    }

    @Test
    void levelZeroRejectsValuesOfTheWrongTypeBeforeTheStrategyRuns() {
        Outcome badPolicy = cluster.validate("node-b", parameters("stop_policy", "release"), 0);
        Outcome badGrace = cluster.validate("node-b", parameters("monitor_grace", "soon"), 0);
        Outcome badMap = cluster.validate("node-b", parameters("node_targets", "node-a"), 0);

        assertThat(badPolicy.code()).isEqualTo(6);
        assertThat(badPolicy.reason()).contains("stop_policy").contains("keep, unbind");
        assertThat(badGrace.code()).isEqualTo(6);
        assertThat(badGrace.reason()).contains("monitor_grace");
        assertThat(badMap.code()).isEqualTo(6);
        assertThat(badMap.reason()).contains("node_targets");
    }

    @Test
    void levelTenChecksCredentialsFloatingIpAndTargetForNicAndVniNodes() {
        for (String node : new String[] {"node-a", "node-b", "node-f"}) {
            Outcome validate = cluster.validate(node, parameters(), 10);

            assertThat(validate.code()).as(validate.toString()).isZero();
            assertThat(validate.vpcWrites()).isZero();
            assertThat(validate.result().vpcRequests()).as("one list").isEqualTo(1);
        }
        assertThat(cluster.vipDeliveredTo()).as("validation changes nothing").hasValue("node-a");
    }

    @Test
    void levelTenNamesAMissingFloatingIp() {
        Outcome validate = cluster.validate("node-b", parameters("floating_ip", "169.59.10.99"), 10);

        assertThat(validate.code()).isEqualTo(6);
        assertThat(validate.reason())
                .isEqualTo("no floating IP with id, name or address 169.59.10.99 in this region "
                        + "(4 floating IPs listed)");
    }

    @Test
    void levelTenNamesATargetInTheWrongZone() {
        Outcome validate = cluster.validate("node-c", parameters(), 10);

        assertThat(validate.code()).isEqualTo(6);
        assertThat(validate.reason())
                .isEqualTo("floating IP vip-fip (169.59.10.20) is in zone us-south-1 but this "
                        + "node's network interface " + cluster.interfaceId("node-c")
                        + " is in us-south-2; a floating IP "
                        + "binds only to an interface in its own zone");
    }

    @Test
    void levelTenNamesTheFloatingIpATargetAlreadyHolds() {
        Outcome nic = cluster.validate("node-d", parameters(), 10);
        Outcome vni = cluster.validate("node-e", parameters("target", cluster.interfaceId("node-e")), 10);

        assertThat(nic.code()).isEqualTo(6);
        assertThat(nic.reason())
                .isEqualTo("this node's network interface " + cluster.interfaceId("node-d")
                        + " already holds floating IP busy-nic-fip (169.59.10.30); it can hold only one floating IP");
        assertThat(vni.code()).isEqualTo(6);
        assertThat(vni.reason())
                .isEqualTo("this node's virtual network interface " + cluster.interfaceId("node-e")
                        + " already holds floating IP busy-vni-fip (169.59.10.31); it can hold only one floating IP");
    }

    @Test
    void levelTenNamesATargetThatIsNotThisNodes() {
        String nodeB = cluster.interfaceId("node-b");

        Outcome validate = cluster.validate("node-a", parameters("target", nodeB), 10);

        assertThat(validate.code()).isEqualTo(2);
        assertThat(validate.reason())
                .isEqualTo("target " + nodeB + " is not an interface of this instance node-a " + "(its interfaces: "
                        + cluster.interfaceId("node-a") + ")");
    }

    @Test
    void levelTenChecksAVniTargetEvenWithoutTheMetadataService() {
        String nodeB = cluster.interfaceId("node-b");
        String nodeC = cluster.interfaceId("node-c");
        Map<String, String> good = parameters("node_targets", "node-m=" + nodeB);
        Map<String, String> nonexistent =
                parameters("node_targets", "node-m=0717-00000000-0000-4000-8000-000000000000");

        assertThat(cluster.validate("node-m", good, 10).code()).isZero();
        Outcome missing = cluster.validate("node-m", nonexistent, 10);
        assertThat(missing.code()).as(missing.toString()).isZero();
        assertThat(missing.result().stderr())
                .contains("WARNING: validate-all: node_targets "
                        + "0717-00000000-0000-4000-8000-000000000000 is no virtual network interface");
        Outcome notThisInstance = cluster.validate("node-a", parameters("node_targets", "node-a=" + nodeC), 10);
        assertThat(notThisInstance.code()).isEqualTo(2);
        assertThat(notThisInstance.reason()).contains("is not an interface of this instance node-a");
    }

    @Test
    void levelTenReportsRefusedCredentialsAsAPermissionProblemWithoutTheKey() {
        Outcome validate =
                cluster.validate("node-b", parameters("api_key", "sim-test-apikey-unknown-0000000000009"), 10);

        assertThat(validate.code()).isEqualTo(4);
        assertThat(validate.result().stderr()).doesNotContain("sim-test-apikey-unknown-0000000000009");
    }
}
