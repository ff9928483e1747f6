package io.vpcha.ocf;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.Command;
import io.vpcha.simulator.oracle.TrafficSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed custom-route agent under resource-agents' ocf-tester against the VPC simulator, as a
 * primitive and as an instance of a promotable clone (ocf-tester then also runs promote and demote).
 * Outside a cluster Pacemaker's crm_attribute has no attrd to talk to: the agent says so in its log
 * and every action still gives the code ocf-tester expects.
 */
class PromotableAgentIT {
    private static final String VIP = "10.0.0.100";

    @RegisterExtension
    static final AgentWithSimulator agent = new AgentWithSimulator();

    @TempDir
    Path work;

    @Test
    void ocfTesterPassesOnThePrimitive() throws Exception {
        Command.Result result = ocfTester("it-primitive", List.of());

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout())
                .contains("vpc-custom-route passed all tests")
                .contains("Your agent does not support promotable clones (optional)");
    }

    @Test
    void ocfTesterPassesOnAPromotableInstanceThatItPromotesAndDemotes() throws Exception {
        agent.simulator().reset();
        assertThat(deliveredTo()).isEqualTo("node-a");

        Command.Result result = ocfTester("it-promotable", List.of("CRM_meta_promotable=true"));

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout())
                .contains("vpc-custom-route passed all tests")
                .doesNotContain("promotable clones (optional)")
                .doesNotContain("partially supports promotable clones");
        assertThat(deliveredTo()).as("ocf-tester's promotions moved the VIP").isEqualTo("node-b");
    }

    private Command.Result ocfTester(String name, List<String> extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("ocf-tester", "-n", name));
        List<String> options = new ArrayList<>(List.of(
                "vip=" + VIP,
                "manage_local_ip=false",
                "vpc_url=" + agent.simulator().vpcUrl(),
                "iam_url=" + agent.simulator().iamUrl(),
                "metadata_url=" + agent.simulator().metadataUrlFor("node-b"),
                "token_cache_dir=" + work.resolve("tokens")));
        options.addAll(extra);
        for (String option : options) {
            command.add("-o");
            command.add(option);
        }
        command.add(agent.installation().agent("vpc-custom-route").toString());
        return Command.of(command.toArray(String[]::new))
                .cleanEnvironment()
                // cold: never the accelerator this machine may run (the launcher's default socket)
                .env("VPC_HA_ACCELERATOR", "")
                .env("HA_NODENAME", "node-b")
                .env("HA_RSCTMP", Files.createDirectories(work.resolve("run")).toString())
                .timeout(Duration.ofMinutes(3))
                .run();
    }

    private static String deliveredTo() {
        return agent.simulator()
                .oracle()
                .deliver(VIP, TrafficSource.fromZone("us-south-3"))
                .instanceName()
                .orElse("nobody");
    }
}
