package io.vpcha.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TestParameterType {
    @Test
    void ipv4AddressIsStrictDottedQuad() {
        assertThat(ParameterType.IPV4_ADDRESS.problem("10.0.1.4", List.of())).isEmpty();
        assertThat(ParameterType.IPV4_ADDRESS.problem("255.255.255.255", List.of()))
                .isEmpty();
        for (String bad : List.of("10.0.1", "10.0.1.256", "10.0.01.4", "10.0.1.4/32", "a.b.c.d", "", "10..1.4")) {
            assertThat(ParameterType.IPV4_ADDRESS.problem(bad, List.of()))
                    .as(bad)
                    .hasValue("'" + bad + "' is not an IPv4 address");
        }
    }

    @Test
    void cidrAcceptsAddressOrBlockWithZeroHostBits() {
        assertThat(ParameterType.IPV4_CIDR.problem("10.0.0.100", List.of())).isEmpty();
        assertThat(ParameterType.IPV4_CIDR.problem("10.0.0.100/32", List.of())).isEmpty();
        assertThat(ParameterType.IPV4_CIDR.problem("10.0.0.0/24", List.of())).isEmpty();
        assertThat(ParameterType.IPV4_CIDR.problem("0.0.0.0/0", List.of())).isEmpty();
        assertThat(ParameterType.IPV4_CIDR.problem("10.0.0.5/24", List.of()))
                .hasValue("'10.0.0.5/24' has host bits set (the block is 10.0.0.0/24)");
        assertThat(ParameterType.IPV4_CIDR.problem("10.0.0.0/33", List.of()))
                .hasValue("'10.0.0.0/33' has no prefix length from 0 to 32");
        assertThat(ParameterType.IPV4_CIDR.problem("vip", List.of()))
                .hasValue("'vip' is not an IPv4 address or CIDR block");
    }

    @Test
    void booleanAcceptsTheWordsOcfAccepts() {
        for (String yes : List.of("yes", "TRUE", "on", "1", " true ")) {
            assertThat(ParameterType.parseBoolean(yes)).as(yes).hasValue(true);
        }
        for (String no : List.of("no", "False", "OFF", "0")) {
            assertThat(ParameterType.parseBoolean(no)).as(no).hasValue(false);
        }
        assertThat(ParameterType.BOOLEAN.problem("maybe", List.of()))
                .hasValue("'maybe' is not a boolean (use true or false)");
    }

    @Test
    void integerListMapAndEnum() {
        assertThat(ParameterType.INTEGER.problem("-42", List.of())).isEmpty();
        assertThat(ParameterType.INTEGER.problem("4.2", List.of())).hasValue("'4.2' is not an integer");
        assertThat(ParameterType.LIST.problem("a, b,c", List.of())).isEmpty();
        assertThat(ParameterType.LIST.problem("a,,c", List.of())).hasValue("'a,,c' has an empty item");
        assertThat(ParameterType.splitList(" a , b ")).containsExactly("a", "b");
        assertThat(ParameterType.MAP.problem("node1=10.0.1.4, node2=10.0.2.4", List.of()))
                .isEmpty();
        assertThat(ParameterType.MAP.problem("node1", List.of())).hasValue("'node1' is not key=value");
        assertThat(ParameterType.MAP.problem("a=1,a=2", List.of())).hasValue("key 'a' appears twice");
        assertThat(ParameterType.ENUM.problem("keep", List.of("keep", "unbind")))
                .isEmpty();
        assertThat(ParameterType.ENUM.problem("drop", List.of("keep", "unbind")))
                .hasValue("'drop' is not one of keep, unbind");
    }
}
