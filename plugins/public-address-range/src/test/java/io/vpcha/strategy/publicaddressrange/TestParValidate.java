package io.vpcha.strategy.publicaddressrange;

import static io.vpcha.strategy.publicaddressrange.ParCluster.parameters;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.doctor.Check;
import io.vpcha.host.testing.IamPolicyDoc;
import io.vpcha.host.testing.SimulatedCluster.Outcome;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every bad input gets the right exit code and a one-line reason: at level 0 without a request, at level
 * 10 with what the cloud shows, and from start, which changes nothing when the configuration is wrong.
 */
class TestParValidate extends ParClusterFixture {
    @Test
    void theRangesRequestsNameTheActionsThePolicyLists() {
        IamPolicyDoc.assertListsEveryRequest(Ranges.IAM_ACTIONS.byRequest());
    }

    @Test
    void aGoodConfigurationPassesBothLevels() {
        Outcome syntax = cluster.validate("fw-b", parameters(), 0);
        Outcome cloud = cluster.validate("fw-b", parameters(), 10);

        assertThat(syntax.code()).as(syntax.toString()).isZero();
        assertThat(syntax.result().vpcRequests() + syntax.result().metadataRequests())
                .isZero();
        assertThat(cloud.code()).as(cloud.toString()).isZero();
        assertThat(cloud.result().stderr()).contains("validate-all: public address range fw-par (150.240.68.0/30)");
        assertThat(cloud.vpcWrites()).as("validate-all only reads").isZero();
        assertThat(cluster.rangeZone()).as("nothing moved").isEqualTo("us-south-1");
        assertThat(cluster.ingressRoutes()).hasSize(1);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "public_address_range|150.240.68.0/24|larger than a public address range can be",
                "public_address_range|150.240.68.1/30|has host bits set",
                "public_address_range|' '|public_address_range",
                "node_ips|fw-a=10.241.0.4,fw-b=999.1.1.1|'999.1.1.1' of node fw-b is not an IPv4 address",
                "node_zones|fw-a=us-south-1,fw-b=zone2|'zone2' of node fw-b is not a zone name",
                "monitor_grace|-1|monitor_grace",
                "move_timeout|0|move_timeout",
            })
    void aBadValueIsRefusedAtLevelZeroWithoutARequest(String parameter, String value, String reason) {
        for (String action : new String[] {"validate-all", "start"}) {
            Outcome outcome = cluster.run(
                    "fw-b",
                    action,
                    parameters(parameter, value),
                    Duration.ZERO,
                    Duration.ofSeconds(20),
                    Map.of("OCF_CHECK_LEVEL", "0"));
            assertThat(outcome.code()).as(action + ": " + outcome).isIn(2, 6);
            assertThat(outcome.reason()).contains(reason);
            assertThat(outcome.reason().lines()).hasSize(1);
            assertThat(outcome.vpcWrites()).isZero();
        }
    }

    @Test
    void everyNodeOfNodeIpsNeedsAZone() {
        Outcome outcome = cluster.validate(
                "fw-b", parameters("node_ips", "fw-a=10.241.0.4,fw-b=10.241.64.4", "node_zones", "fw-a=us-south-1"), 0);

        assertThat(outcome.code()).isEqualTo(6);
        assertThat(outcome.reason())
                .isEqualTo("node_zones has no zone for node fw-b of node_ips; every node's zone " + "must be known");
    }

    @Test
    void anUnknownRange() {
        Outcome validate = cluster.validate("fw-b", parameters("public_address_range", "no-such-par"), 10);
        Outcome start = cluster.start("fw-b", parameters("public_address_range", "no-such-par"));

        for (Outcome outcome : new Outcome[] {validate, start}) {
            assertThat(outcome.code()).as(outcome.toString()).isEqualTo(6);
            assertThat(outcome.reason())
                    .isEqualTo("no public address range with id, name or CIDR no-such-par in this region (3 listed)");
        }
        assertThat(start.vpcWrites()).isZero();
    }

    @Test
    void aRangeBoundToAnotherVpc() {
        Outcome validate = cluster.validate("fw-b", parameters("public_address_range", "other-par"), 10);
        Outcome start = cluster.start("fw-b", parameters("public_address_range", "other-par"));

        for (Outcome outcome : new Outcome[] {validate, start}) {
            assertThat(outcome.code()).as(outcome.toString()).isEqualTo(6);
            assertThat(outcome.reason())
                    .startsWith("public address range other-par (150.240.70.0/31) is bound to zone us-south-1 of VPC "
                            + "other-vpc, not to this cluster's VPC ");
        }
        assertThat(start.vpcWrites()).as("never taken from another VPC").isZero();
    }

    @Test
    void anUnboundRangeIsFineAndStartBindsIt() {
        Map<String, String> spare = parameters("public_address_range", "spare-par");
        assertThat(cluster.validate("fw-b", spare, 10).code()).isZero();

        Outcome start = cluster.start("fw-b", spare);

        assertThat(start.code()).as(start.toString()).isZero();
        assertThat(cluster.monitor("fw-b", spare).code()).isZero();
    }

    @Test
    void aTableWithoutInternetIngress() {
        Outcome validate = cluster.validate("fw-b", parameters("routing_table", "par-egress"), 10);
        Outcome start = cluster.start("fw-b", parameters("routing_table", "par-egress"));

        for (Outcome outcome : new Outcome[] {validate, start}) {
            assertThat(outcome.code()).as(outcome.toString()).isEqualTo(6);
            assertThat(outcome.reason())
                    .startsWith(
                            "routing table par-egress does not route internet ingress (route_internet_ingress is off)");
        }
        assertThat(start.vpcWrites()).as("refused before the range moves").isZero();
        assertThat(cluster.rangeZone()).isEqualTo("us-south-1");
        assertThat(cluster.deliveredTo()).as("still delivered where it was").hasValue("fw-a");
    }

    @Test
    void anUnknownTable() {
        Outcome validate = cluster.validate("fw-b", parameters("routing_table", "nope"), 10);
        Outcome start = cluster.start("fw-b", parameters("routing_table", "nope"));

        for (Outcome outcome : new Outcome[] {validate, start}) {
            assertThat(outcome.code()).as(outcome.toString()).isEqualTo(6);
            assertThat(outcome.reason()).startsWith("routing_table: no routing table nope in VPC ");
        }
        assertThat(start.vpcWrites()).as("refused before the range moves").isZero();
        assertThat(cluster.rangeZone()).isEqualTo("us-south-1");
    }

    @Test
    void aVpcWithoutAnIngressTable() {
        simulator
                .state()
                .update(state -> state.routingTables.values().forEach(table -> table.routeInternetIngress = false));

        Outcome validate = cluster.validate("fw-b", parameters(), 10);
        Outcome start = cluster.start("fw-b", parameters());

        for (Outcome outcome : new Outcome[] {validate, start}) {
            assertThat(outcome.code()).as(outcome.toString()).isEqualTo(6);
            assertThat(outcome.reason()).contains("has no routing table with internet ingress");
        }
        assertThat(start.vpcWrites()).as("refused before the range moves").isZero();
        assertThat(cluster.rangeZone()).isEqualTo("us-south-1");
    }

    @Test
    void validateAllOnlyReadsSoReadOnlyCredentialsPassAndTheFirstMoveNamesTheMissingIamAction() {
        Map<String, String> readOnly = parameters("api_key", ParCluster.READONLY_KEY);
        Outcome validate = cluster.validate("fw-b", readOnly, 10);

        assertThat(validate.code()).as(validate.toString()).isZero();
        assertThat(validate.result().vpcRequests()).as("it did ask the cloud").isPositive();
        assertThat(validate.vpcWrites()).as("validate-all never writes").isZero();
        assertThat(validate.result().stderr())
                .contains("not tried: changing the range (IAM action "
                        + "is.public-address-range.public-address-range.update");

        Outcome start = cluster.start("fw-b", readOnly);

        assertThat(start.code()).as(start.toString()).isEqualTo(4);
        assertThat(start.result().shownReason())
                .as("the one line Pacemaker shows")
                .startsWith("needs IAM action is.public-address-range.public-address-range.update "
                        + "and probably is.vpc.vpc.operate: bind public address ");
        assertThat(start.reason()).contains(": HTTP 403 ").doesNotContain("(needs IAM action");
        assertThat(cluster.rangeZone()).isEqualTo("us-south-1");
    }

    @Test
    void doctorWithReadOnlyCredentialsPassesAndNamesTheUpdateActionItDidNotTry() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        long before = simulator.journal().lastSequence();

        List<Check> checks = cluster.harness.node("fw-b").doctor(parameters("api_key", ParCluster.READONLY_KEY), log);

        assertThat(checks)
                .as("%s", checks)
                .anySatisfy(check -> {
                    assertThat(check.subject()).isEqualTo("public-address-range");
                    assertThat(check.status()).isEqualTo(Check.Status.OK);
                })
                .anySatisfy(check -> {
                    assertThat(check.subject()).isEqualTo("write permissions");
                    assertThat(check.status()).isEqualTo(Check.Status.SKIP);
                })
                .noneMatch(check -> check.status() == Check.Status.FAIL);
        assertThat(log.toString(StandardCharsets.UTF_8))
                .contains("not tried: changing the range (IAM action "
                        + "is.public-address-range.public-address-range.update and probably is.vpc.vpc.operate)");
        assertThat(simulator.journal().entriesAfter(before))
                .as("doctor never writes")
                .noneMatch(entry ->
                        entry.service().equals("vpc") && !entry.method().equals("GET"));
        assertThat(cluster.rangeZone()).isEqualTo("us-south-1");
    }

    @Test
    void doctorReportsARangeBoundToAnotherVpcAsAFailureWithItsFix() {
        List<Check> checks = cluster.harness
                .node("fw-b")
                .doctor(parameters("public_address_range", "other-par"), new ByteArrayOutputStream());

        assertThat(checks).as("%s", checks).anySatisfy(check -> {
            assertThat(check.subject()).isEqualTo("public-address-range");
            assertThat(check.status()).isEqualTo(Check.Status.FAIL);
            assertThat(check.finding())
                    .startsWith("public address range other-par (150.240.70.0/31) is bound to zone us-south-1 of VPC "
                            + "other-vpc")
                    .endsWith("; unbind it there (or set vpc_id)");
        });
    }

    @Test
    void aNodeWithoutAnEntryInNodeIps() {
        Outcome start = cluster.start(
                "fw-b", parameters("node_ips", "fw-a=10.241.0.4", "node_zones", "fw-a=us-south-1,fw-b=us-south-2"));

        assertThat(start.code()).isEqualTo(6);
        assertThat(start.reason()).startsWith("node_ips has no entry for this node, fw-b");
    }
}
