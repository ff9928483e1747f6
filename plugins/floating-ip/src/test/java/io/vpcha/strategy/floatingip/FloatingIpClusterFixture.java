package io.vpcha.strategy.floatingip;

import io.vpcha.host.testing.SimulatorFixture;

/** The floating-ip test classes' simulator (the one-zone-pair scenario) and cluster. */
abstract class FloatingIpClusterFixture extends SimulatorFixture<FloatingIpCluster> {
    FloatingIpClusterFixture() {
        super(FloatingIpCluster::startSimulator, FloatingIpCluster::new);
    }
}
