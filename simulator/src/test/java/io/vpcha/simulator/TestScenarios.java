package io.vpcha.simulator;

import io.vpcha.simulator.scenario.Scenario;
import io.vpcha.simulator.time.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The test fixture scenario (src/test/resources/io/vpcha/simulator/test-cluster.json). */
final class TestScenarios {
    static final String ADMIN_KEY = "test-admin-key";
    static final String READONLY_KEY = "test-readonly-key";
    static final String NO_FIP_KEY = "test-no-fip-key";

    private TestScenarios() {}

    static Scenario cluster() {
        try (InputStream in = TestScenarios.class.getResourceAsStream("test-cluster.json")) {
            return Scenario.fromJson("test-cluster", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static VpcSimulator start() {
        return VpcSimulator.start(SimulatorOptions.builder().scenario(cluster()).build());
    }

    /**
     * The fixture on a clock that moves only when the test advances it. Its load balancer's members
     * (10.10.1.x) exist on no host, so health checks are off: an advance would wait for their probes.
     */
    static VpcSimulator start(ManualClock clock) {
        return VpcSimulator.start(SimulatorOptions.builder()
                .scenario(cluster())
                .clock(clock)
                .behaviour(b -> b.loadBalancerHealthChecks = "off")
                .build());
    }
}
