package io.vpcha.ocf;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.Command;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The end-to-end tests in real Pacemaker clusters (ocf/test/cluster/run.sh): 2- and 3-node clusters
 * in network namespaces against the VPC simulator, failovers timed by its forwarding oracle, faults,
 * bad configurations, fencing with fence_ibm_vpc, a partition without fencing, a quorum device. The
 * script asserts; this runs it within a bound and fails with its output.
 * Its output lands in this test's report, which SecretScanIT scans afterwards.
 *
 * <p>Off with {@code -Dvpcha.cluster.skip=true}; {@code -Dvpcha.cluster.suites=2,fence} runs only those
 * suites (all by default: 2, 3, fence, partition, qdevice and ocf/test/cluster/suites/*.sh); {@code -Dvpcha.cluster.updateDocs=true} writes the numbers into docs/.
 *
 * <p>They run as installed agents do by default: with the resident accelerator up on every node
 * ({@code run.sh --accelerator}, docs/accelerator.md), which the packages enable. Starts, stops,
 * promotes and demotes run cold either way, and suite {@code accelerator} takes the service away,
 * kills and hangs it; {@code -Dvpcha.cluster.accelerator=false} runs every monitor cold as well (a
 * tarball installation, or a node with the socket disabled). Both take about 20 minutes for every suite.
 */
class ClusterIT {
    private static final Path PROJECT = Path.of(System.getProperty("user.dir")).getParent();

    @Test
    // longer than the default: every suite takes about 20 minutes on 2 cores; the script is given 45 (below)
    @Timeout(value = 46, unit = TimeUnit.MINUTES)
    void pacemakerClustersFailOverAndSurviveFaults() {
        Assumptions.assumeFalse(Boolean.getBoolean("vpcha.cluster.skip"), "vpcha.cluster.skip is set");
        List<String> command = new ArrayList<>(List.of(
                PROJECT.resolve("ocf/test/cluster/run.sh").toString(),
                "--tarball",
                System.getProperty("vpcha.distribution"),
                "--simulator-jar",
                System.getProperty("vpcha.simulatorJar"),
                "--out",
                PROJECT.resolve("ocf/target/cluster").toString()));
        // without the property, every suite: the five built-in ones and each strategy's suites/*.sh
        String suites = System.getProperty("vpcha.cluster.suites", "");
        if (!suites.isBlank()) {
            command.add("--suites");
            command.add(suites);
        }
        if (Boolean.getBoolean("vpcha.cluster.updateDocs")) {
            command.add("--update-docs");
        }
        if (Boolean.parseBoolean(System.getProperty("vpcha.cluster.accelerator", "true"))) {
            command.add("--accelerator");
        }

        Command.Result result = Command.of(command.toArray(String[]::new))
                .timeout(Duration.ofMinutes(45))
                .run();

        System.out.println(result);
        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).contains("ALL PASSED");
    }
}
