package io.vpcha.strategy.secondaryip;

import static io.vpcha.strategy.secondaryip.SecondaryIpCluster.VIP;
import static io.vpcha.strategy.secondaryip.SecondaryIpCluster.parameters;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.SimulatedCluster.Outcome;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every bad input gets a one-line reason and the right code, from validate-all and from start alike,
 * and a start refused for it changes nothing in the cloud.
 */
class TestSecondaryIpValidate extends SecondaryIpClusterFixture {
    /** validate-all at level 10 and start on {@code node} both refuse, with {@code code}, changing nothing. */
    private String refused(String node, Map<String, String> resource, int code) {
        Outcome validate = cluster.validate(node, resource, 10);
        Outcome start = cluster.start(node, resource);

        assertThat(validate.code()).as(validate.toString()).isEqualTo(code);
        assertThat(validate.vpcWrites()).isZero();
        assertThat(start.code()).as(start.toString()).isEqualTo(code);
        assertThat(start.vpcWrites()).as("nothing changed in the cloud").isZero();
        assertThat(start.reason()).isEqualTo(validate.reason()).doesNotContain("\n");
        assertThat(cluster.boundTo(VIP)).hasValue("vni-a");
        return start.reason();
    }

    @Test
    void aGoodConfigurationPassesAndChangesNothing() {
        Outcome validate = cluster.validate("node-b", parameters(), 10);

        assertThat(validate.code()).as(validate.toString()).isZero();
        assertThat(validate.vpcWrites()).isZero();
        assertThat(validate.result().stderr()).contains("can hold it");
    }

    @Test
    void anAddressNotReservedYetPassesAndIsNotReservedByValidate() {
        Outcome validate = cluster.validate("node-b", parameters("ip", "10.240.0.77"), 10);

        assertThat(validate.code()).as(validate.toString()).isZero();
        assertThat(validate.vpcWrites()).isZero();
        assertThat(cluster.reservedIp("10.240.0.77")).isEmpty();
        assertThat(validate.result().stderr()).contains("start reserves it");
    }

    @Test
    void anAddressOutsideEverySubnetOfTheVpc() {
        String reason = refused("node-b", parameters("ip", "192.168.7.7"), 6);

        assertThat(reason).contains("192.168.7.7 is outside every subnet of this VPC");
        assertThat(cluster.reservedIp("192.168.7.7")).isEmpty();
    }

    @Test
    void anAddressTheProviderKeeps() {
        String reason = refused("node-b", parameters("ip", "10.240.0.1"), 6);

        assertThat(reason).contains("10.240.0.1").contains("owner provider");
    }

    @Test
    void anAddressBoundToAThirdVniNamedByNoNode() {
        Map<String, String> resource = parameters(
                "ip",
                "10.240.0.120",
                "node_targets",
                "node-a=" + cluster.vniId("vni-a") + ",node-b=" + cluster.vniId("vni-b"));

        String reason = refused("node-b", resource, 6);

        assertThat(reason)
                .contains("is bound to virtual network interface vni-t")
                .contains("not a cluster node's");
        assertThat(cluster.boundTo("10.240.0.120")).hasValue("vni-t");
    }

    @Test
    void anotherMachinesPrimaryAddress() {
        String reason = refused("node-b", parameters("ip", "10.240.0.7"), 6);

        assertThat(reason).contains("is the primary IP of virtual network interface vni-t");
        assertThat(cluster.boundTo("10.240.0.7")).hasValue("vni-t");
    }

    @Test
    void thisNodesOwnPrimaryAddress() {
        String reason = refused("node-b", parameters("ip", "10.240.0.5"), 6);

        assertThat(reason).contains("is the primary IP of this node's virtual network interface vni-b");
    }

    @Test
    void aVniInAnotherSubnetIsWrongForThisNodeOnly() {
        String reason = refused("node-c", parameters(), 2);

        assertThat(reason)
                .contains("ip 10.240.0.100 is in subnet subnet-1 (10.240.0.0/24)")
                .contains("vni-c");
    }

    @Test
    void anInstanceWithNetworkInterfacesIsToldWhichStrategiesFitIt() {
        String reason = refused("node-n", parameters(), 2);

        assertThat(reason)
                .contains("uses network interfaces")
                .contains("custom-route")
                .contains("floating-ip");
    }

    @Test
    void aVniThatHoldsAsManyIpsAsItMay() {
        Outcome validate = cluster.validate("node-full", parameters(), 10);
        Outcome start = cluster.start("node-full", parameters());

        assertThat(validate.code()).as(validate.toString()).isEqualTo(2);
        assertThat(validate.reason()).contains("already holds 8 IPs");
        assertThat(validate.vpcWrites()).isZero();
        assertThat(start.code()).as(start.toString()).isEqualTo(2);
        assertThat(start.reason())
                .contains("already holds 8 IPs")
                .contains("it was bound back to virtual network interface vni-a");
        // the API refused it after the VIP left node-a: it went back there, still serving
        assertThat(cluster.boundTo(VIP)).hasValue("vni-a");
        assertThat(cluster.deliveredFromEveryZone(VIP)).containsOnly("node-a");
        assertThat(cluster.reservedIp(VIP).orElseThrow().autoDelete).isFalse();
    }

    @Test
    void aTargetThatIsNoVni() {
        String reason = refused("node-b", parameters("target", "0717-00000000-0000-0000-0000-000000000000"), 2);

        assertThat(reason).contains("is not a virtual network interface");
    }

    @Test
    void aReservedIpNameNobodyHas() {
        String reason = refused("node-b", parameters("ip", "no-such-ip"), 6);

        assertThat(reason).contains("no reserved IP with id or name no-such-ip");
    }

    @Test
    void syntaxErrorsNeedNoNetwork() {
        assertSyntax(parameters("ip", "10.240.0.300"), 6, "'10.240.0.300' is not an IPv4 address");
        assertSyntax(parameters("ip", " "), 6, "ip is empty");
        assertSyntax(parameters("target", "x", "node_targets", "node-b=y"), 6, "not both");
        assertSyntax(parameters("node_targets", "node-a=x"), 2, "no entry for this node node-b");
        assertSyntax(parameters("node_targets", "node-a=x,node-b=x"), 6, "one VNI for two nodes");
        assertSyntax(parameters("manage_local_ip", "true", "interface", "eth0/1"), 6, "is not an interface name");
    }

    private void assertSyntax(Map<String, String> resource, int code, String reason) {
        Outcome validate = cluster.validate("node-b", resource, 0);
        assertThat(validate.code()).as(validate.toString()).isEqualTo(code);
        assertThat(validate.reason()).contains(reason);
        assertThat(validate.entries()).isEmpty();
        Outcome stop = cluster.stop("node-b", resource);
        assertThat(stop.code())
                .as("stop works whatever the parameters: %s", stop)
                .isZero();
    }

    @Test
    void aGuestInterfaceThatDoesNotExistIsRefusedBeforeAnythingMoves() {
        Map<String, String> resource = parameters("manage_local_ip", "true", "interface", "vpcha-none0");

        String reason = refused("node-b", resource, 6);

        assertThat(reason).contains("interface vpcha-none0 does not exist on this node");
        assertThat(cluster.stop("node-b", resource).code()).isZero();
    }

    @Test
    void noGuestInterfaceWithTheVnisMacAddressIsRefusedBeforeAnythingMoves() {
        Map<String, String> resource = parameters("manage_local_ip", "true");

        String reason = refused("node-b", resource, 6);

        assertThat(reason).contains("no interface of this node has the MAC address 02:00:");
    }
}
