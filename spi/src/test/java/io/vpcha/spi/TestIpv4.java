package io.vpcha.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TestIpv4 {
    @Test
    void onlyStrictDottedQuadsAreAddresses() {
        assertThat(Ipv4.parse("10.0.0.1")).hasValue(0x0A000001L);
        assertThat(Ipv4.parse("255.255.255.255")).hasValue(0xFFFFFFFFL);
        assertThat(Ipv4.isAddress("999.1.1.1")).isFalse();
        assertThat(Ipv4.isAddress("256.1.1.1")).isFalse();
        assertThat(Ipv4.isAddress("10.01.0.1"))
                .as("leading zero (octal to some parsers)")
                .isFalse();
        assertThat(Ipv4.isAddress("10.1")).isFalse();
        assertThat(Ipv4.isAddress("10.0.0.1.")).isFalse();
        assertThat(Ipv4.isAddress(" 10.0.0.1")).isFalse();
        assertThat(Ipv4.isAddress("0x0A.0.0.1")).isFalse();
        assertThat(Ipv4.isAddress(null)).isFalse();
        assertThat(Ipv4.format(0x0A000001L)).isEqualTo("10.0.0.1");
    }

    @Test
    void blocksHaveTheirHostBitsZero() {
        assertThat(Ipv4.cidrProblem("10.0.0.0/24")).isEmpty();
        assertThat(Ipv4.cidrProblem("10.0.0.7")).isEmpty();
        assertThat(Ipv4.cidrProblem("10.0.0.7/24"))
                .hasValue("'10.0.0.7/24' has host bits set (the block is 10.0.0.0/24)");
        assertThat(Ipv4.cidrProblem("10.0.0.0/33")).hasValue("'10.0.0.0/33' has no prefix length from 0 to 32");
        assertThat(Ipv4.inBlock("10.0.0.7", "10.0.0.0/24")).isTrue();
        assertThat(Ipv4.inBlock("10.0.1.7", "10.0.0.0/24")).isFalse();
        assertThat(Ipv4.inBlock("10.0.1.7", "0.0.0.0/0")).isTrue();
        assertThat(Ipv4.inBlock("10.0.1.7", "10.0.1.7")).isTrue();
        assertThatThrownBy(() -> Ipv4.inBlock("10.0.1.7", "10.0.1.7/8")).hasMessageContaining("host bits");
    }
}
