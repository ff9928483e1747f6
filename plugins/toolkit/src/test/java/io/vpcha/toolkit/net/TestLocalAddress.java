package io.vpcha.toolkit.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcha.host.testing.RecordingLog;
import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.StrategyException;
import org.junit.jupiter.api.Test;

/**
 * The parts of local address management that need no privilege: what is there, interfaces that do not
 * exist, iproute2 missing. Adding and removing for real runs as root in a network namespace
 * (ocf/LocalAddressIT, through the installed agent).
 */
class TestLocalAddress {
    private final RecordingLog log = new RecordingLog();

    @Test
    void ipOutputIsReadForTheAddressWithAnyPrefix() {
        String output = """
                1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
                1: lo    inet 10.0.0.100/32 scope global lo\\       valid_lft forever preferred_lft forever
                2: eth0    inet 10.240.64.4/24 brd 10.240.64.255 scope global eth0
                """;
        assertThat(LocalAddress.hasAddress(output, "10.0.0.100")).isTrue();
        assertThat(LocalAddress.hasAddress(output, "10.240.64.4")).isTrue();
        assertThat(LocalAddress.hasAddress(output, "10.0.0.10"))
                .as("a prefix of another")
                .isFalse();
    }

    @Test
    void anInterfaceThatDoesNotExistHoldsNothingAndCannotBeGivenAnything() throws Exception {
        LocalAddress missing = new LocalAddress("10.0.0.100", 32, "eth9", log);

        assertThat(missing.interfaceExists()).isFalse();
        assertThat(missing.isPresent()).isFalse();
        assertThatCode(missing::remove).as("stop of something not there").doesNotThrowAnyException();
        assertThatThrownBy(missing::add)
                .isInstanceOf(StrategyException.class)
                .hasMessage("interface eth9 does not exist on this node; set interface to one that does")
                .satisfies(e -> assertThat(((StrategyException) e).kind()).isEqualTo(ErrorKind.NOT_CONFIGURED));
    }

    @Test
    void withoutIproute2AnAddressCannotHaveBeenAddedSoRemovingItSucceeds() throws Exception {
        LocalAddress noIp = new LocalAddress("10.0.0.100", 32, "lo", log, "/nonexistent/sbin/ip");

        assertThatCode(noIp::remove).doesNotThrowAnyException();
        assertThat(log.text()).contains("without iproute2 vpc-ha cannot have added it");
        assertThatThrownBy(noIp::add)
                .isInstanceOf(StrategyException.class)
                .hasMessageStartingWith("cannot run ip (iproute2)")
                .satisfies(e -> assertThat(((StrategyException) e).kind()).isEqualTo(ErrorKind.NOT_INSTALLED));
        assertThatThrownBy(noIp::isPresent)
                .satisfies(e -> assertThat(((StrategyException) e).kind()).isEqualTo(ErrorKind.NOT_INSTALLED));
    }

    @Test
    void onlyAddressesAndInterfaceNamesAreAccepted() throws Exception {
        assertThatThrownBy(() -> new LocalAddress("999.1.1.1", 32, "lo", log))
                .hasMessage("'999.1.1.1' is not an IPv4 address");
        assertThatThrownBy(() -> new LocalAddress("10.0.0.1", 33, "lo", log))
                .hasMessage("prefix length 33 is not 0 to 32");
        assertThatThrownBy(() -> new LocalAddress("10.0.0.1", 32, "lo; rm -rf /", log))
                .hasMessage("'lo; rm -rf /' is not an interface name");
        assertThat(LocalAddress.interfaceWithMac("02:00:0a:f0:40:04"))
                .as("no such interface here")
                .isEmpty();
        assertThatThrownBy(() -> LocalAddress.interfaceWithMac("02:00")).hasMessage("'02:00' is not a MAC address");
    }
}
