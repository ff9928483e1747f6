package io.vpcha.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vpcha.host.testing.Command;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The .deb installed on this machine with dpkg -i, driven by ocf-tester against a simulated VPC (in this
 * JVM, on loopback), then purged with dpkg -P, which must leave nothing behind. Needs root, and the
 * .deb's dependencies (a Java 17 runtime package, resource-agents) installed; purges in any case.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebInstallIT {
    private static final Path HOME = Path.of(Packages.HOME);
    private static final Path AGENTS = Path.of(Packages.AGENTS);
    private static final Path COMMAND = Path.of(Packages.COMMAND);
    private static final Path DOCS = Path.of(Packages.DOCS);
    private static final Path TOKEN_CACHE = Path.of("/run/vpc-ha");
    private static final Path STATE = Path.of("/run/resource-agents/vpc-ha");
    private static final Path HOOK = HOME.resolve("bin/vpc-ha-cds");
    private static final Path ARCHIVE = HOME.resolve("lib/vpc-ha.jsa");
    /** What enabling the accelerator's socket writes (docs/accelerator.md, "The switch"). */
    private static final Path SOCKET_ENABLED = Path.of("/etc/systemd/system/sockets.target.wants/vpc-ha-agent.socket");
    /** What /usr/lib/vpc-ha/install.sh writes for a plugin added after installation. */
    private static final Path ADDED_AGENT = AGENTS.resolve("vpc-added-later");
    /** ... and what the install.sh of earlier versions wrote (the generic agent's path in double quotes). */
    private static final Path EARLIER_AGENT = AGENTS.resolve("vpc-added-earlier");

    private static VpcSimulator simulator;
    private static boolean installed;
    private static boolean agentsFolderExisted;
    private static boolean placedHook;
    private static Command.Result install;

    @BeforeAll
    static void install() {
        assertThat(System.getProperty("user.name"))
                .as("the test installs the .deb with dpkg -i: run it as root")
                .isEqualTo("root");
        Assumptions.assumeTrue(
                packageInstalled("resource-agents"),
                "resource-agents is not installed: the .deb's dependencies are not satisfied here");
        Assumptions.assumeTrue(
                javaRuntimeInstalled(),
                "no installed package provides java17-runtime-headless: the .deb's dependencies are not met here");
        if (packageInstalled("vpc-ha")) {
            // left over by an interrupted run
            Command.Result purge = Command.of("dpkg", "-P", "vpc-ha")
                    .timeout(Duration.ofMinutes(2))
                    .run();
            assertThat(purge.exitCode())
                    .as("purging a left-over vpc-ha: %s", purge)
                    .isZero();
        }
        for (Path path : new Path[] {HOME, AGENTS.resolve("vpc-ha"), COMMAND}) {
            assertThat(Files.exists(path, LinkOption.NOFOLLOW_LINKS))
                    .as(
                            "%s exists and is no package's: another installation (install.sh from the tarball)? dpkg -i "
                                    + "would overwrite it and dpkg -P remove it; uninstall it first",
                            path)
                    .isFalse();
        }
        agentsFolderExisted = Files.isDirectory(AGENTS);

        installed = true;
        install = Command.of("dpkg", "-i", Packages.deb().toString())
                .timeout(Duration.ofMinutes(5))
                .run();
        System.out.println("dpkg -i: " + install);
        assertThat(install.exitCode()).as("%s", install).isZero();
        simulator = VpcSimulator.builder()
                .scenario(Scenario.threeZone())
                .perInstanceMetadata(true)
                .start();
    }

    @AfterAll
    static void purge() throws IOException {
        if (simulator != null) {
            simulator.close();
        }
        if (placedHook) {
            Files.deleteIfExists(HOOK);
        }
        Files.deleteIfExists(ADDED_AGENT);
        Files.deleteIfExists(EARLIER_AGENT);
        if (installed) {
            Command.Result purge = Command.of("dpkg", "-P", "vpc-ha")
                    .timeout(Duration.ofMinutes(2))
                    .run();
            System.out.println("dpkg -P after a failure: " + purge);
        }
    }

    @Test
    @Order(1)
    void dpkgKnowsEveryFileOfThePackage() throws IOException {
        Command.Result status = Command.of("dpkg-query", "-W", "-f=${Status} ${Version}", "vpc-ha")
                .run();
        assertThat(status.stdout()).isEqualTo("install ok installed " + Packages.debVersion());

        Command.Result list = Command.of("dpkg", "-L", "vpc-ha").run();
        assertThat(list.exitCode()).as("%s", list).isZero();
        Set<String> expected = new TreeSet<>(DebPackageIT.contents().keySet());
        expected.remove("/");
        expected.add("/.");
        assertThat(new TreeSet<>(list.stdout().lines().toList())).isEqualTo(expected);

        assertThat(Files.readSymbolicLink(COMMAND)).hasToString(Packages.COMMAND_TARGET);
        assertThat(COMMAND.toRealPath()).isEqualTo(HOME.resolve("bin/vpc-ha"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(HOME.resolve("bin/vpc-ha"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(HOME.resolve("lib/vpc-ha-host.jar"))))
                .isEqualTo("rw-r--r--");
    }

    @Test
    @Order(2)
    void theCommandOnThePathLoadsEveryShippedStrategyAndEachHasItsAgent() throws IOException {
        Command.Result json = Command.of("vpc-ha", "plugins", "--format", "json")
                .cleanEnvironment()
                .run();
        assertThat(json.exitCode()).as("%s", json).isZero();
        Map<String, JsonObject> plugins = new TreeMap<>();
        for (JsonElement element :
                JsonParser.parseString(json.stdout()).getAsJsonObject().getAsJsonArray("plugins")) {
            plugins.put(element.getAsJsonObject().get("name").getAsString(), element.getAsJsonObject());
        }
        assertThat(plugins.keySet()).isEqualTo(Packages.shippedStrategies());
        assertThat(plugins.values()).allSatisfy(plugin -> {
            assertThat(plugin.get("status").getAsString()).isEqualTo("loaded");
            assertThat(plugin.get("source").getAsString()).startsWith(Packages.HOME + "/plugins/");
        });

        Command.Result names =
                Command.of("vpc-ha", "plugins", "--names").cleanEnvironment().run();
        assertThat(names.exitCode()).as("%s", names).isZero();
        Set<String> agents;
        try (Stream<Path> files = Files.list(AGENTS)) {
            agents = files.map(file -> file.getFileName().toString())
                    .filter(name -> !name.equals("vpc-ha"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(agents)
                .isEqualTo(names.stdout()
                        .lines()
                        .map(name -> "vpc-" + name.strip())
                        .collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    @Order(3)
    void ocfTesterPassesOnTheInstalledGenericAgent() throws IOException {
        Command.Result result = ocfTester("pkg-test", AGENTS.resolve("vpc-ha"), "strategy=custom-route");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).contains("vpc-ha passed all tests");
        // the IAM token cache, made on demand by the host (token_cache_dir's default), not by the package
        assertThat(TOKEN_CACHE).isDirectory();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(TOKEN_CACHE)))
                .isEqualTo("rwx------");
    }

    @Test
    @Order(4)
    void ocfTesterPassesOnTheInstalledPerStrategyAgent() {
        Command.Result result = ocfTester("pkg-test-fixed", AGENTS.resolve("vpc-custom-route"));

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).contains("vpc-custom-route passed all tests");
    }

    @Test
    @Order(5)
    void postinstBuildsTheClassDataSharingArchiveOnlyThroughTheHook() throws IOException {
        if (DebPackageIT.contents().containsKey(HOOK.toString())) {
            // the distribution ships bin/vpc-ha-cds: dpkg -i ran it
            assertThat(ARCHIVE)
                    .as("made by postinst with %s; dpkg -i said: %s", HOOK, install)
                    .isRegularFile();
            return;
        }
        // No hook shipped: postinst made no archive. With one (as the benchmark issue may ship it), postinst
        // runs it with the java and options the agents get, and a failing hook fails no installation.
        assertThat(ARCHIVE).doesNotExist();
        placedHook = true;
        Files.writeString(HOOK, """
                #!/bin/sh
                printf '%s %s %s' "$VPC_HA_HOME" "${JAVA_HOME-unset}" "${VPC_HA_JAVA_OPTS-unset}" \\
                    > "$VPC_HA_HOME/lib/vpc-ha.jsa"
                """);
        Files.setPosixFilePermissions(HOOK, PosixFilePermissions.fromString("rwxr-xr-x"));
        Command.Result configure = postinstConfigure();
        assertThat(configure.exitCode()).as("%s", configure).isZero();
        assertThat(ARCHIVE).content().isEqualTo(Packages.HOME + " unset unset");

        Files.writeString(HOOK, "#!/bin/sh\necho training failed >&2\nexit 3\n");
        Command.Result failing = postinstConfigure();
        assertThat(failing.exitCode()).as("%s", failing).isZero();
        assertThat(failing.stderr()).contains("training failed").contains("no class-data-sharing archive");
        Files.delete(HOOK);
        placedHook = false;
    }

    @Test
    @Order(5)
    void theFirstInstallationEnabledTheAcceleratorsSocket() throws IOException {
        Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/systemctl")) || Files.isExecutable(Path.of("/bin/systemctl")),
                "systemctl (Debian package systemd)");
        // with systemd running, enabled and started; without (this machine may be a container, as an image
        // being built is), enabled for the systemd that boots it: the link either way
        assertThat(Files.isSymbolicLink(SOCKET_ENABLED))
                .as("%s after dpkg -i: %s", SOCKET_ENABLED, install)
                .isTrue();
        assertThat(Files.readSymbolicLink(SOCKET_ENABLED).toString()).endsWith("/systemd/system/vpc-ha-agent.socket");
    }

    @Test
    @Order(5)
    void systemdAcceptsTheInstalledAcceleratorUnits() {
        Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "systemd-analyze (Debian package systemd)");
        // every directive known, the ExecStart= binary there and executable, the socket's service found
        List<String> command = new ArrayList<>(List.of("systemd-analyze", "verify"));
        command.addAll(Packages.ALL_UNITS);
        Command.Result verify = Command.of(command.toArray(String[]::new))
                .timeout(Duration.ofMinutes(1))
                .run();
        assertThat(verify.exitCode()).as("%s", verify).isZero();
        assertThat(verify.output()).as("%s", verify).doesNotContainIgnoringCase("vpc-ha-agent");
    }

    @Test
    @Order(6)
    void purgeLeavesNothingBehind() throws IOException {
        // as install.sh writes it for a plugin dropped into /usr/lib/vpc-ha/plugins after installation
        Files.writeString(ADDED_AGENT, """
                #!/bin/sh
                # vpc-ha per-strategy agent: ocf:ibm:vpc-added-later is ocf:ibm:vpc-ha with strategy=added-later.
                VPC_HA_STRATEGY=added-later
                export VPC_HA_STRATEGY
                exec '/usr/lib/ocf/resource.d/ibm/vpc-ha' "$@"
                """);
        Files.setPosixFilePermissions(ADDED_AGENT, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(EARLIER_AGENT, """
                #!/bin/sh
                # vpc-ha per-strategy agent: ocf:ibm:vpc-added-earlier is ocf:ibm:vpc-ha with strategy=added-earlier.
                VPC_HA_STRATEGY=added-earlier
                export VPC_HA_STRATEGY
                exec "/usr/lib/ocf/resource.d/ibm/vpc-ha" "$@"
                """);
        Files.setPosixFilePermissions(EARLIER_AGENT, PosixFilePermissions.fromString("rwxr-xr-x"));

        Command.Result purge = Command.of("dpkg", "-P", "vpc-ha")
                .timeout(Duration.ofMinutes(2))
                .run();
        installed = false;

        assertThat(purge.exitCode()).as("%s", purge).isZero();
        assertThat(purge.output()).as("%s", purge).doesNotContainIgnoringCase("warning");
        assertThat(packageInstalled("vpc-ha")).isFalse();
        for (Path path : new Path[] {
            HOME,
            COMMAND,
            DOCS,
            AGENTS.resolve("vpc-ha"),
            ADDED_AGENT,
            EARLIER_AGENT,
            TOKEN_CACHE,
            STATE,
            SOCKET_ENABLED,
            Path.of(Packages.SOCKET_UNIT),
            Path.of(Packages.SERVICE_UNIT)
        }) {
            assertThat(Files.exists(path, LinkOption.NOFOLLOW_LINKS))
                    .as("%s after dpkg -P", path)
                    .isFalse();
        }
        for (String strategy : Packages.shippedStrategies()) {
            assertThat(AGENTS.resolve("vpc-" + strategy)).doesNotExist();
        }
        if (!agentsFolderExisted) {
            assertThat(AGENTS).doesNotExist();
        }
        try (Stream<Path> info = Files.list(Path.of("/var/lib/dpkg/info"))) {
            assertThat(info.map(file -> file.getFileName().toString())).noneMatch(name -> name.startsWith("vpc-ha."));
        }
    }

    private Command.Result ocfTester(String resource, Path agent, String... parameters) {
        List<String> command = new ArrayList<>(List.of("ocf-tester", "-n", resource));
        for (String parameter : parameters) {
            command.add("-o");
            command.add(parameter);
        }
        // a cross-zone VIP by custom routes in the simulated three-zone VPC, this machine playing node-a
        for (String parameter : new String[] {
            "vip=10.0.0.100",
            "manage_local_ip=false",
            "vpc_url=" + simulator.vpcUrl(),
            "iam_url=" + simulator.iamUrl(),
            "metadata_url=" + simulator.metadataUrlFor("node-a")
        }) {
            command.add("-o");
            command.add(parameter);
        }
        command.add(agent.toString());
        Command.Result result = Command.of(command.toArray(String[]::new))
                .cleanEnvironment()
                .timeout(Duration.ofMinutes(5))
                .run();
        System.out.println(String.join(" ", command) + ": " + result);
        return result;
    }

    private static Command.Result postinstConfigure() {
        return Command.of("/var/lib/dpkg/info/vpc-ha.postinst", "configure", Packages.debVersion())
                .env("JAVA_HOME", "/nonexistent")
                .env("VPC_HA_JAVA_OPTS", "-Xint")
                .run();
    }

    private static boolean packageInstalled(String name) {
        Command.Result status =
                Command.of("dpkg-query", "-W", "-f=${Status}", name).run();
        return status.exitCode() == 0 && status.stdout().equals("install ok installed");
    }

    private static boolean javaRuntimeInstalled() {
        Command.Result all = Command.of("dpkg-query", "-W", "-f=${Status}\t${Package}\t${Provides}\n")
                .run();
        return all.stdout()
                .lines()
                .map(line -> line.split("\t", -1))
                .filter(fields -> fields.length == 3 && fields[0].equals("install ok installed"))
                .anyMatch(fields -> Arrays.stream(fields[2].split(","))
                        .anyMatch(provided -> provided.strip().startsWith("java17-runtime-headless")));
    }
}
