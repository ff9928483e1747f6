package io.vpcha.strategy.secondaryip;

import io.vpcha.simulator.VpcSimulator;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the secondary-ip test classes share: one simulator per class (started before its first test, closed
 * after its last), reset before each test, and a fresh cluster on it with the test's own work folder.
 */
abstract class SecondaryIpClusterFixture {
    static VpcSimulator simulator;

    @TempDir
    Path work;

    SecondaryIpCluster cluster;

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
    }
}
