package io.vpcha.strategy.publicaddressrange;

import io.vpcha.host.testing.SimulatorFixture;

/** The public-address-range test classes' simulator (the par-cluster scenario) and cluster. */
abstract class ParClusterFixture extends SimulatorFixture<ParCluster> {
    ParClusterFixture() {
        super(ParCluster::startSimulator, ParCluster::new);
    }
}
