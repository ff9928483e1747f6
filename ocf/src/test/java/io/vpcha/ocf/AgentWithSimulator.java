package io.vpcha.ocf;

import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.scenario.Scenario;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The installed agents and the three-zone simulator (each node with its own metadata service) that a
 * test class runs them against: registered on a static field with {@code @RegisterExtension}, installed
 * before the class's first test and removed after its last, whatever the tests did.
 */
final class AgentWithSimulator implements BeforeAllCallback, AfterAllCallback {
    private Installation installation;
    private VpcSimulator simulator;

    @Override
    public void beforeAll(ExtensionContext context) {
        installation = Installation.install();
        simulator = VpcSimulator.builder()
                .scenario(Scenario.threeZone())
                .perInstanceMetadata(true)
                .start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (simulator != null) {
                simulator.close();
            }
        } finally {
            simulator = null;
            if (installation != null) {
                installation.close();
            }
            installation = null;
        }
    }

    Installation installation() {
        if (installation == null) {
            throw new IllegalStateException("not installed: register the fixture on a static field");
        }
        return installation;
    }

    VpcSimulator simulator() {
        if (simulator == null) {
            throw new IllegalStateException("no simulator: register the fixture on a static field");
        }
        return simulator;
    }
}
