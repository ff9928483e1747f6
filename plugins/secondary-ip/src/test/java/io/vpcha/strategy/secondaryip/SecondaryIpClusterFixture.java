package io.vpcha.strategy.secondaryip;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.SimulatorFixture;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The secondary-ip test classes' simulator (the one-subnet-pair scenario) and cluster. After every test, every reserved IP it began with still exists: the strategy never deletes one, and the simulator
 * deletes one only as IBM does, when it is unbound with auto_delete true (the data loss start must prevent).
 */
abstract class SecondaryIpClusterFixture extends SimulatorFixture<SecondaryIpCluster> {
    private Set<String> reservedIpsBefore;

    SecondaryIpClusterFixture() {
        super(SecondaryIpCluster::startSimulator, SecondaryIpCluster::new);
    }

    @BeforeEach
    void noteTheReservedIps() {
        reservedIpsBefore = reservedIpIds();
    }

    @AfterEach
    void noReservedIpWasDeleted() {
        assertThat(reservedIpIds())
                .as("reserved IPs after the test: none deleted (unbinding one with auto_delete true deletes it)")
                .containsAll(reservedIpsBefore);
    }

    private static Set<String> reservedIpIds() {
        return simulator.state().read(state -> Set.copyOf(state.reservedIps.keySet()));
    }
}
