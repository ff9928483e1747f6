package io.vpcha.strategy.secondaryip;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.simulator.VpcSimulator;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the secondary-ip test classes share: one simulator per class (started before its first test, closed
 * after its last), reset before each test, and a fresh cluster on it with the test's own work folder. After
 * every test, every reserved IP it began with still exists: the strategy never deletes one, and the simulator
 * deletes one only as IBM does, when it is unbound with auto_delete true (the data loss start must prevent).
 */
abstract class SecondaryIpClusterFixture {
    static VpcSimulator simulator;

    @TempDir
    Path work;

    SecondaryIpCluster cluster;

    private Set<String> reservedIpsBefore;

    @BeforeAll
    static void startSimulator() {
        simulator = SecondaryIpCluster.startSimulator();
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    @BeforeEach
    void resetSimulator() {
        simulator.reset();
        cluster = new SecondaryIpCluster(simulator, work);
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
