package io.vpcha.demo;

import io.vpcha.demo.Story.Source;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.journal.JournalEntry;
import io.vpcha.simulator.oracle.Delivery;
import io.vpcha.simulator.scenario.Scenario;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code vpc-ha demo}: a failover told step by step. A simulated VPC runs in this process; two
 * simulated nodes, each with its own metadata identity, state directory and token cache, run the
 * installed OCF agent the way Pacemaker would (probe, start, monitors, the active node lost, start on
 * the survivor, stop). After every step the simulator's forwarding oracle says where traffic to the
 * protected address now goes, and its journal says what the step cost in API and IAM requests.
 */
public final class DemoMain {
    private DemoMain() {}

    public static void main(String[] args) {
        Path home = Path.of(System.getProperty("vpcha.home", "."));
        List<Story> stories = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--home" -> home = Path.of(args[++i]);
                case "--story" ->
                    stories.add(
                            switch (args[++i]) {
                                case "custom-route" -> Story.crossZoneVip();
                                case "floating-ip" -> Story.sameZoneFloatingIp();
                                case "load-balancer" -> Story.loadBalancerWeights();
                                case "public-address-range" -> Story.crossZonePublicAddressRange();
                                case "secondary-ip" -> Story.sameSubnetSecondaryIp();
                                default -> throw usage("unknown story " + args[i]);
                            });
                case "-h", "--help" -> {
                    System.out.println(
                            "usage: vpc-ha demo [--story custom-route|floating-ip|load-balancer|public-address-range|secondary-ip]...");
                    return;
                }
                default -> throw usage("unknown argument " + args[i]);
            }
        }
        if (stories.isEmpty()) {
            stories = List.of(
                    Story.crossZoneVip(),
                    Story.sameZoneFloatingIp(),
                    Story.loadBalancerWeights(),
                    Story.crossZonePublicAddressRange(),
                    Story.sameSubnetSecondaryIp());
        }
        boolean ok = true;
        for (Story story : stories) {
            ok &= tell(story, home, System.out);
        }
        System.exit(ok ? 0 : 1);
    }

    private static IllegalArgumentException usage(String message) {
        System.err.println("vpc-ha demo: " + message);
        System.exit(2);
        return new IllegalArgumentException(message);
    }

    /** Tells one story; true when every step did what it should. */
    static boolean tell(Story story, Path home, PrintStream out) {
        Path work;
        try {
            work = Files.createTempDirectory("vpc-ha-demo");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (VpcSimulator simulator = VpcSimulator.builder()
                .scenario(Scenario.builtIn(story.scenario()))
                .perInstanceMetadata(true)
                .behaviour(behaviour -> {
                    if (story.healthyMembers()) {
                        behaviour.loadBalancerHealthChecks = "off";
                    }
                })
                .start()) {
            if (story.healthyMembers()) {
                simulator
                        .state()
                        .update(state -> state.loadBalancers.values().stream()
                                .flatMap(lb -> lb.pools.values().stream())
                                .flatMap(pool -> pool.members.values().stream())
                                .forEach(member -> member.health = "ok"));
            }
            Timeline timeline = new Timeline(story, simulator, new AgentRunner(home), work, out);
            timeline.header();
            String a = story.nodeA();
            String b = story.nodeB();
            // every step runs and is shown, whether or not an earlier one went wrong
            boolean ok = allPassed(
                    timeline.step("probe", a, "monitor", 7),
                    timeline.step("probe", b, "monitor", 7),
                    timeline.step("start", a, "start", 0),
                    timeline.step("monitor", a, "monitor-10s", 0),
                    timeline.step("monitor", a, "monitor-10s", 0));
            timeline.event(a + " is lost (instance stopped); until a start elsewhere, traffic goes:");
            simulator
                    .state()
                    .update(state -> state.instances.values().stream()
                            .filter(i -> i.name.equals(a))
                            .forEach(i -> i.status = "stopped"));
            timeline.deliveries();
            ok = allPassed(ok, timeline.step("start", b, "start", 0), timeline.step("monitor", b, "monitor-10s", 0));
            timeline.event(a + " returns after a reboot (its /run is empty)");
            simulator
                    .state()
                    .update(state -> state.instances.values().stream()
                            .filter(i -> i.name.equals(a))
                            .forEach(i -> i.status = "running"));
            deleteTree(work.resolve(a).resolve("run"));
            ok = allPassed(
                    ok,
                    timeline.step("probe", a, "monitor", 7),
                    timeline.step("stop", b, "stop", 0),
                    timeline.step("monitor after stop", b, "monitor-10s", 7));
            timeline.summary(ok);
            return ok;
        } finally {
            deleteTree(work);
        }
    }

    /** Prints the timeline of one story. */
    static final class Timeline {
        private final Story story;
        private final VpcSimulator simulator;
        private final AgentRunner runner;
        private final Path work;
        private final PrintStream out;
        private long totalVpc;
        private long totalIam;

        Timeline(Story story, VpcSimulator simulator, AgentRunner runner, Path work, PrintStream out) {
            this.story = story;
            this.simulator = simulator;
            this.runner = runner;
            this.work = work;
            this.out = out;
        }

        void header() {
            out.println();
            out.println("== " + story.title());
            out.printf(
                    "   %-20s %-7s %-14s %7s %4s %4s %4s  %s%n",
                    "step",
                    "node",
                    "exit",
                    "ms",
                    "VPC",
                    "IAM",
                    "meta",
                    story.address() + " delivered to (from "
                            + String.join(
                                    " / ",
                                    story.sources().stream().map(Source::label).toList()) + ")");
        }

        void event(String text) {
            out.println("   -- " + text);
        }

        void deliveries() {
            out.printf("   %-20s %-7s %-14s %7s %4s %4s %4s  %s%n", "", "", "", "", "", "", "", where());
        }

        boolean step(String label, String node, String action, int expected) {
            Map<String, String> environment = environment(node);
            String ocfAction = action;
            if (action.equals("monitor-10s")) {
                environment.put("OCF_RESKEY_CRM_meta_interval", "10000");
                ocfAction = "monitor";
            }
            long before = simulator.journal().lastSequence();
            AgentRunner.Outcome outcome = runner.run(ocfAction, environment);
            List<JournalEntry> entries = simulator.journal().entriesAfter(before);
            long vpc = entries.stream()
                    .filter(entry -> entry.service().equals("vpc"))
                    .count();
            long iam = entries.stream()
                    .filter(entry -> entry.service().equals("iam"))
                    .count();
            long metadata = entries.stream()
                    .filter(entry -> entry.service().equals("metadata"))
                    .count();
            totalVpc += vpc;
            totalIam += iam;
            boolean ok = outcome.code() == expected;
            out.printf(
                    "   %-20s %-7s %-14s %7d %4d %4d %4d  %s%n",
                    label,
                    node,
                    describe(outcome.code()) + (ok ? "" : " !"),
                    outcome.elapsed().toMillis(),
                    vpc,
                    iam,
                    metadata,
                    where());
            if (!ok || (!outcome.reason().isEmpty() && outcome.code() != 7)) {
                out.println("      reason: " + outcome.reason());
            }
            return ok;
        }

        void summary(boolean ok) {
            out.printf(
                    "   %s: %d VPC and %d IAM requests in all%n", ok ? "ok" : "UNEXPECTED RESULTS", totalVpc, totalIam);
        }

        private String where() {
            List<String> places = new ArrayList<>();
            for (Source source : story.sources()) {
                Delivery delivery = simulator.oracle().deliver(story.address(), source.source());
                // A packet sent to a stopped node is lost there; the story shows where it went.
                places.add(delivery.instanceName()
                        .or(delivery::lostAtInstanceName)
                        .map(name -> name + (isStopped(name) ? " (dead)" : ""))
                        .orElse("dropped"));
            }
            return String.join(" / ", places);
        }

        private boolean isStopped(String name) {
            return simulator
                    .state()
                    .read(state -> state.instances.values().stream()
                            .anyMatch(instance -> instance.name.equals(name) && instance.status.equals("stopped")));
        }

        private Map<String, String> environment(String node) {
            Map<String, String> environment = new HashMap<>();
            environment.put("OCF_RESOURCE_INSTANCE", "demo-" + story.strategy());
            environment.put("OCF_RESKEY_CRM_meta_on_node", node);
            environment.put("OCF_RESKEY_CRM_meta_timeout", "20000");
            environment.put("HA_RSCTMP", work.resolve(node).resolve("run").toString());
            environment.put("OCF_RESKEY_strategy", story.strategy());
            environment.put("OCF_RESKEY_vpc_url", simulator.vpcUrl().toString());
            environment.put("OCF_RESKEY_iam_url", simulator.iamUrl().toString());
            environment.put(
                    "OCF_RESKEY_metadata_url", simulator.metadataUrlFor(node).toString());
            environment.put(
                    "OCF_RESKEY_token_cache_dir",
                    work.resolve(node).resolve("tokens").toString());
            // metrics only into a directory of the demo's (none, as it is never made), never into the
            // machine's node_exporter directory
            environment.put(
                    "OCF_RESKEY_metrics_dir",
                    work.resolve(node).resolve("metrics").toString());
            // no credential parameter: the instance's default linked trusted profile, no secret anywhere
            story.parameters().forEach((name, value) -> environment.put("OCF_RESKEY_" + name, value));
            return environment;
        }

        private static String describe(int code) {
            return switch (code) {
                case 0 -> "0 ok";
                case 1 -> "1 error";
                case 5 -> "5 not installed";
                case 6 -> "6 not configured";
                case 7 -> "7 not running";
                case 190 -> "190 degraded";
                default -> Integer.toString(code);
            };
        }
    }

    private static boolean allPassed(boolean... steps) {
        for (boolean step : steps) {
            if (!step) {
                return false;
            }
        }
        return true;
    }

    private static void deleteTree(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path each : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(each);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
