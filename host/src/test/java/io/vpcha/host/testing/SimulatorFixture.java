package io.vpcha.host.testing;

import static java.util.Objects.requireNonNull;

import io.vpcha.simulator.VpcSimulator;
import java.nio.file.Path;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a strategy's test classes share: one simulator per test class (started for its first test,
 * closed after its last), reset before each test, and a fresh cluster {@code C} on it in the test's
 * own work folder. A strategy's fixture extends it, saying how to start its simulator and make its
 * cluster.
 *
 * <p>The simulator is started by the first test rather than in a {@code @BeforeAll}: only a test
 * instance knows which simulator its class needs. One static field serves every class because JUnit
 * runs the classes one after another here (no parallel execution is configured).
 */
public abstract class SimulatorFixture<C> {
    protected static VpcSimulator simulator;

    @TempDir
    protected Path work;

    protected C cluster;

    private final Supplier<VpcSimulator> startSimulator;
    private final BiFunction<VpcSimulator, Path, C> newCluster;

    /**
     * @param startSimulator starts the simulator of the class's scenario
     * @param newCluster the cluster of a test, on the simulator, in the test's work folder
     */
    protected SimulatorFixture(Supplier<VpcSimulator> startSimulator, BiFunction<VpcSimulator, Path, C> newCluster) {
        this.startSimulator = requireNonNull(startSimulator, "startSimulator is null");
        this.newCluster = requireNonNull(newCluster, "newCluster is null");
    }

    @BeforeEach
    protected final void resetSimulatorForTheTest() {
        if (simulator == null) {
            simulator = startSimulator.get();
        }
        simulator.reset();
        cluster = newCluster.apply(simulator, work);
    }

    @AfterAll
    protected static void closeTheClassesSimulator() {
        if (simulator != null) {
            simulator.close();
            simulator = null;
        }
    }
}
