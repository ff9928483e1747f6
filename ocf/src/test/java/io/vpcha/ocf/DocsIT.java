package io.vpcha.ocf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcha.host.testing.Command;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.oracle.TrafficSource;
import io.vpcha.simulator.scenario.Scenario;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guides in {@code docs/} run as written, and the generated parameter reference is current.
 *
 * <p>Which commands run: every fenced {@code ```sh} block that directly follows a line
 * {@code <!-- doc-test -->} (optionally {@code <!-- doc-test same-zone -->}, and any number of
 * {@code expect="TEXT"} items that the block's output must contain). The marked blocks of one guide
 * and one scenario run in order in a single {@code sh -e} process, as an administrator would paste
 * them into one terminal. Unmarked blocks are not run: those that need a real cluster ({@code pcs},
 * {@code crm}, {@code cibadmin} against a live CIB), a real cloud ({@code ibmcloud}), a package
 * manager, a Maven build of their own (the invoker builds the example project the same way before this
 * test), or that install into the system's own paths ({@code install.sh} without options).
 *
 * <p>What the blocks run against: the tarball installed by {@link Installation#install()} (provider
 * {@code vpcha-it}), named by {@code $VPC_HA} (the {@code vpc-ha} command; for {@code doctor}, a
 * wrapper adds the simulator's endpoints as arguments) and {@code $AGENT_DIR} (the agents' directory),
 * as each guide explains; and, for the cloud, the VPC simulator started
 * here with the scenario {@code three-zone} (or {@code same-zone}), which the environment points the
 * agent at through {@code OCF_RESKEY_vpc_url}, {@code iam_url}, {@code metadata_url} (node-b's
 * own metadata listener) and {@code token_cache_dir}, with {@code HA_NODENAME=node-b} and a private
 * {@code HA_RSCTMP}. No credential is set: node-b's default linked trusted profile is used, so no
 * secret appears anywhere. {@code ip} is replaced by a stub that keeps addresses in a file, so the
 * blocks that add the VIP to the loopback do not touch this machine's interfaces. The plugin author
 * guide's blocks run in the example project the invoker built ({@code state-file-strategy}).
 */
class DocsIT {
    private static final Path PROJECT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Pattern MARKER = Pattern.compile("^<!-- doc-test((?:\\s+[^>]*?)?)\\s*-->\\s*$");
    private static final Pattern EXPECT = Pattern.compile("expect=\"([^\"]*)\"");
    private static final String BLOCK_START = "@@doc-test block ";
    private static final String SHIPPED_REFERENCE = "docs/parameters.md";

    private static Installation installation;

    @TempDir
    Path work;

    @BeforeAll
    static void install() {
        installation = Installation.install();
    }

    @AfterAll
    static void uninstall() throws Exception {
        if (installation != null) {
            installation.close();
        }
    }

    /** One marked block: where it is, what it runs, what its output must contain. */
    record Block(String guide, int line, String scenario, List<String> expected, String script) {
        @Override
        public String toString() {
            return guide + ":" + line;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin-guide.md", "migration.md", "iam-policy.md", "plugin-author-guide.md"})
    void theGuidesCommandsRun(String guide) throws Exception {
        Path file = PROJECT.resolve("docs").resolve(guide);
        assertThat(file).as("the guide").isRegularFile();
        List<Block> blocks = blocks(guide, Files.readAllLines(file, StandardCharsets.UTF_8));

        Map<String, List<Block>> byScenario = new LinkedHashMap<>();
        blocks.forEach(block -> byScenario
                .computeIfAbsent(block.scenario(), scenario -> new ArrayList<>())
                .add(block));
        for (Map.Entry<String, List<Block>> group : byScenario.entrySet()) {
            try (VpcSimulator simulator = VpcSimulator.builder()
                    .scenario(Scenario.builtIn(group.getKey()))
                    .perInstanceMetadata(true)
                    .start()) {
                run(guide, group.getValue(), simulator);
                if (guide.equals("admin-guide.md") && group.getKey().equals("three-zone")) {
                    // the guide's start moved the VIP to node-b (the simulator's node-a held it before)
                    assertThat(simulator
                                    .oracle()
                                    .deliver("10.0.0.100", TrafficSource.fromZone("us-south-3"))
                                    .instanceName())
                            .as("where the VIP's traffic goes after the admin guide")
                            .hasValue("node-b");
                }
            }
        }
    }

    @Test
    void theGuidesMarkWhatTheyTest() throws IOException {
        for (String guide : List.of("admin-guide.md", "migration.md", "plugin-author-guide.md")) {
            assertThat(blocks(guide, Files.readAllLines(PROJECT.resolve("docs").resolve(guide))))
                    .as("tested blocks of %s", guide)
                    .isNotEmpty();
        }
    }

    @Test
    void aFailingBlockOrAMissingOutputFailsTheTest() throws IOException {
        // the checks above must be able to fail
        try (VpcSimulator simulator = VpcSimulator.builder()
                .scenario(Scenario.threeZone())
                .perInstanceMetadata(true)
                .start()) {
            List<Block> failing = List.of(
                    new Block("synthetic.md", 3, "three-zone", List.of(), "echo fine\n"),
                    new Block("synthetic.md", 9, "three-zone", List.of(), "echo before\nfalse\necho after\n"));
            assertThatThrownBy(() -> run("synthetic.md", failing, simulator))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("the block at synthetic.md:9 failed")
                    .hasMessageMatching("(?s).*--- its output:\\nbefore\\n\\s*");
            List<Block> unexpected =
                    List.of(new Block("synthetic.md", 3, "three-zone", List.of("goodbye"), "echo hello\n"));
            assertThatThrownBy(() -> run("synthetic.md", unexpected, simulator))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("synthetic.md:3")
                    .hasMessageContaining("goodbye");
        }
        List<String> unmarkedFence = List.of("<!-- doc-test -->", "", "```java", "x", "```");
        assertThatThrownBy(() -> blocks("synthetic.md", unmarkedFence))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("must be followed by a ```sh block");
    }

    @Test
    void theParameterReferenceIsWhatTheShippedStrategiesDeclare() throws IOException {
        Path unpacked = work.resolve("unpacked");
        Files.createDirectories(unpacked);
        Command.Result untar = Command.of(
                        "tar", "-xzf", System.getProperty("vpcha.distribution"), "-C", unpacked.toString())
                .run();
        assertThat(untar.exitCode()).as("%s", untar).isZero();
        Path shipped = work.resolve("shipped-plugins");
        Files.createDirectories(shipped);
        try (Stream<Path> distributions = Files.list(unpacked)) {
            Path plugins = distributions.findFirst().orElseThrow().resolve("plugins");
            try (Stream<Path> jars = Files.list(plugins)) {
                for (Path jar :
                        jars.filter(path -> path.toString().endsWith(".jar")).toList()) {
                    Files.copy(jar, shipped.resolve(jar.getFileName()));
                }
            }
        }

        Command.Result describe = Command.of(
                        installation.launcher().toString(),
                        "--plugins",
                        shipped.toString(),
                        "describe",
                        "--all",
                        "--format",
                        "markdown")
                .run();

        assertThat(describe.exitCode()).as("%s", describe).isZero();
        String committed = Files.readString(PROJECT.resolve(SHIPPED_REFERENCE), StandardCharsets.UTF_8);
        assertThat(committed).as("""
                %s is out of date with the parameters the host and the shipped strategies declare. Regenerate it: \
                build the tarball (mvn -DskipTests install), unpack it, put only the jars of its plugins/ folder \
                into an empty directory DIR, then run: bin/vpc-ha --plugins DIR describe --all --format markdown \
                > docs/parameters.md""", SHIPPED_REFERENCE).isEqualTo(describe.stdout());
    }

    private void run(String guide, List<Block> blocks, VpcSimulator simulator) throws IOException {
        Path home = Files.createTempDirectory(work, guide + "-" + blocks.get(0).scenario() + "-");
        Path stubs = ipStub(home);
        vpcHaCommand(stubs);
        StringBuilder script = new StringBuilder("exec 2>&1\n");
        for (int i = 0; i < blocks.size(); i++) {
            script.append("echo '")
                    .append(BLOCK_START)
                    .append(i)
                    .append("@@'\n")
                    .append(blocks.get(i).script());
        }
        script.append("echo '").append(BLOCK_START).append("end@@'\n");
        Path scriptFile = home.resolve("guide.sh");
        Files.writeString(scriptFile, script);

        Command.Result result = Command.of("sh", "-e", scriptFile.toString())
                .cleanEnvironment()
                .directory(workingDirectory(guide, home))
                .env("PATH", stubs + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
                .env("HOME", home.toString())
                .env("VPC_HA", stubs.resolve("vpc-ha").toString())
                .env("AGENT_DIR", installation.agents.toString())
                .env("HA_NODENAME", "node-b")
                .env("HA_RSCTMP", Files.createDirectories(home.resolve("run")).toString())
                .env("OCF_RESKEY_vpc_url", simulator.vpcUrl().toString())
                .env("OCF_RESKEY_iam_url", simulator.iamUrl().toString())
                .env(
                        "OCF_RESKEY_metadata_url",
                        simulator.metadataUrlFor("node-b").toString())
                .env("OCF_RESKEY_token_cache_dir", home.resolve("tokens").toString())
                .timeout(Duration.ofMinutes(5))
                .run();

        System.out.println("== " + guide + " (" + blocks.get(0).scenario() + ")\n" + result);
        Map<Integer, String> outputs = split(result.stdout());
        if (result.exitCode() != 0 || !outputs.containsKey(-1)) {
            int failed = outputs.keySet().stream()
                    .filter(index -> index >= 0)
                    .max(Integer::compare)
                    .orElse(0);
            Block block = blocks.get(failed);
            throw new AssertionError("the block at " + block + " failed (sh exit " + result.exitCode() + "):\n"
                    + block.script() + "--- its output:\n" + outputs.getOrDefault(failed, ""));
        }
        for (int i = 0; i < blocks.size(); i++) {
            Block block = blocks.get(i);
            for (String expected : block.expected()) {
                assertThat(outputs.get(i))
                        .as("output of the block at %s:\n%s", block, block.script())
                        .contains(expected);
            }
        }
    }

    /** Output per block index; -1 holds what follows the last block, present when the script ran to its end. */
    private static Map<Integer, String> split(String output) {
        Map<Integer, String> outputs = new LinkedHashMap<>();
        Integer current = null;
        StringBuilder text = new StringBuilder();
        for (String line : output.split("\n", -1)) {
            if (line.startsWith(BLOCK_START) && line.endsWith("@@")) {
                if (current != null) {
                    outputs.put(current, text.toString());
                }
                String index = line.substring(BLOCK_START.length(), line.length() - 2);
                current = index.equals("end") ? -1 : Integer.parseInt(index);
                text.setLength(0);
            } else if (current != null) {
                text.append(line).append('\n');
            }
        }
        if (current != null) {
            outputs.put(current, text.toString());
        }
        return outputs;
    }

    private static Path workingDirectory(String guide, Path home) {
        if (guide.equals("plugin-author-guide.md")) {
            // the example project, as built out of tree by the invoker: target/ holds its jar
            return Path.of(System.getProperty("vpcha.examplePlugin"))
                    .getParent()
                    .getParent();
        }
        return home;
    }

    /** The marked blocks of a guide, in order; a marker not followed by a sh block is an error. */
    static List<Block> blocks(String guide, List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher marker = MARKER.matcher(lines.get(i).strip());
            if (!marker.matches()) {
                continue;
            }
            String options = marker.group(1);
            List<String> expected = new ArrayList<>();
            Matcher expect = EXPECT.matcher(options);
            while (expect.find()) {
                expected.add(expect.group(1));
            }
            String rest = EXPECT.matcher(options).replaceAll("").strip();
            String scenario = rest.isEmpty() ? "three-zone" : rest;
            assertThat(scenario)
                    .as("%s:%d: the scenario of a doc-test marker", guide, i + 1)
                    .isIn("three-zone", "same-zone");
            int fence = i + 1;
            while (fence < lines.size() && lines.get(fence).isBlank()) {
                fence++;
            }
            assertThat(fence < lines.size() && lines.get(fence).strip().equals("```sh"))
                    .as("%s:%d: a doc-test marker must be followed by a ```sh block", guide, i + 1)
                    .isTrue();
            StringBuilder script = new StringBuilder();
            int end = fence + 1;
            while (end < lines.size() && !lines.get(end).strip().equals("```")) {
                script.append(lines.get(end)).append('\n');
                end++;
            }
            assertThat(end)
                    .as("%s:%d: the block is not closed", guide, fence + 1)
                    .isLessThan(lines.size());
            blocks.add(new Block(guide, fence + 1, scenario, List.copyOf(expected), script.toString()));
            i = end;
        }
        return blocks;
    }

    /**
     * The installed {@code vpc-ha}, except that {@code doctor}, which takes a resource's parameters as
     * arguments rather than from {@code OCF_RESKEY_*}, gets the simulator's endpoints the agent gets
     * from the environment.
     */
    private static void vpcHaCommand(Path directory) throws IOException {
        Path command = directory.resolve("vpc-ha");
        Files.writeString(command, """
                #!/bin/sh
                # DocsIT's vpc-ha: the installed one; doctor is pointed at the simulator like the agent
                if [ "${1:-}" = doctor ]; then
                    shift
                    exec %s doctor "$@" vpc_url="$OCF_RESKEY_vpc_url" iam_url="$OCF_RESKEY_iam_url" \\
                        metadata_url="$OCF_RESKEY_metadata_url" token_cache_dir="$OCF_RESKEY_token_cache_dir"
                fi
                exec %1$s "$@"
                """.formatted(installation.launcher()));
        Files.setPosixFilePermissions(command, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** An {@code ip} that keeps the addresses it is asked to add in a file instead of on an interface. */
    private static Path ipStub(Path home) throws IOException {
        Path directory = Files.createDirectories(home.resolve("stubs"));
        Path addresses = home.resolve("ip-addresses");
        Files.createFile(addresses);
        Path ip = directory.resolve("ip");
        Files.writeString(ip, """
                #!/bin/sh
                # DocsIT's ip: addresses live in %1$s ("DEVICE ADDRESS/PREFIX" lines), not on interfaces
                state=%1$s
                device=; address=; verb=
                while [ $# -gt 0 ]; do
                    case "$1" in
                        -4|-o) ;;
                        addr|address|a) ;;
                        show|add|del) verb=$1 ;;
                        dev) device=$2; shift ;;
                        */*) address=$1 ;;
                    esac
                    shift
                done
                case "$verb" in
                    add) echo "$device $address" >> "$state" ;;
                    del) grep -v -x "$device $address" "$state" > "$state.new" || true; mv "$state.new" "$state" ;;
                    *) [ "$device" = lo ] && echo "1: lo    inet 127.0.0.1/8 scope host lo"
                       while read -r dev addr; do
                           [ -z "$device" ] || [ "$dev" = "$device" ] || continue
                           echo "1: $dev    inet $addr scope global $dev"
                       done < "$state" ;;
                esac
                """.formatted(addresses));
        Files.setPosixFilePermissions(ip, PosixFilePermissions.fromString("rwxr-xr-x"));
        return directory;
    }
}
