package io.vpcha.ocf;

import static io.vpcha.host.testing.TestPluginSources.plugin;
import static io.vpcha.host.testing.TestPluginSources.providerWithConstructor;
import static io.vpcha.host.testing.TestPluginSources.stateFileProvider;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * install.sh as administrators run it, into places that are not a fresh directory of vpc-ha's own: a
 * prefix with blanks, quotes and shell syntax in its name, a prefix shared with other software (as
 * /usr/local is), an installation with plugins added since, a newer version over an older one, and
 * plugins that break while install.sh lists them. The agents go to an OCF root under the test's own
 * folder, so nothing of the system's changes.
 */
class InstallScriptIT {
    @TempDir
    static Path shared;

    private static Path distribution;

    @TempDir
    Path work;

    @BeforeAll
    static void unpack() throws IOException {
        assertThat(System.getProperty("user.name"))
                .as("install.sh installs as root")
                .isEqualTo("root");
        // readable by everyone, as an installation is: meta-data may be asked as any user
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        distribution = Installation.unpack(shared.resolve("unpacked"));
    }

    @Test
    void anOddPrefixIsWrittenIntoTheAgentsAsOneWordAndNeverRun() throws Exception {
        Path pwned = work.resolve("pwned");
        Path prefix = work.resolve("opt/v pc'ha \"$(touch " + pwned + ")\" & `touch " + pwned + "` \\x;y");
        Path ocfRoot = work.resolve("ocf root $(touch " + pwned + ")");

        Command.Result install = install(distribution, prefix, ocfRoot, "--bin-dir", "none");

        assertThat(install.exitCode()).as("%s", install).isZero();
        assertThat(install.stderr())
                .as("the class-data-sharing archive is built")
                .doesNotContain("no class-data-sharing archive");
        assertThat(prefix.resolve("lib/vpc-ha.jsa")).isRegularFile();
        Path agents = ocfRoot.resolve("resource.d/vpcha-it");
        Command.Result metaData = agent(agents.resolve("vpc-ha"), "meta-data").run();
        assertThat(metaData.exitCode()).as("%s", metaData).isZero();
        assertThat(metaData.stdout()).contains("<resource-agent name=\"vpc-ha\"");
        Command.Result validate = agent(agents.resolve("vpc-custom-route"), "validate-all")
                .env("OCF_RESKEY_vip", "10.0.0.100")
                .run();
        assertThat(validate.exitCode()).as("%s", validate).isZero();

        // every action maps the archive: a java that insists on it (-Xshare:on) still starts
        Path arguments = work.resolve("java-arguments");
        Path java = Files.writeString(work.resolve("strict-java"), """
                #!/bin/sh
                printf '%%s\\n' "$@" > '%s'
                for argument do
                    shift
                    case $argument in -Xshare:auto) set -- "$@" -Xshare:on ;; *) set -- "$@" "$argument" ;; esac
                done
                exec java "$@"
                """.formatted(arguments));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Command.Result strict = agent(agents.resolve("vpc-custom-route"), "validate-all")
                .env("OCF_RESKEY_vip", "10.0.0.100")
                .env("VPC_HA_JAVA", java.toString())
                .run();
        assertThat(strict.exitCode()).as("%s", strict).isZero();
        assertThat(Files.readAllLines(arguments))
                .contains("-XX:SharedArchiveFile=" + prefix.resolve("lib/vpc-ha.jsa"), "-Xshare:auto");

        assertThat(pwned).as("nothing in the names ran").doesNotExist();
        // the names are in single quotes on purpose: no note about what does not expand in them
        shellcheck(agents.resolve("vpc-ha"), "-S", "warning");
        shellcheck(agents.resolve("vpc-custom-route"), "-S", "warning");
    }

    @Test
    void aSharedPrefixKeepsEveryFileThatIsNotVpcHas() throws Exception {
        Path prefix = work.resolve("usr-local");
        file(prefix.resolve("bin/other-tool"), "#!/bin/sh\necho other\n", "rwxr-xr-x");
        file(prefix.resolve("lib/libother.so"), "other library", "rw-r-----");
        file(prefix.resolve("lib/private/secret"), "other secret", "rw-------");
        Files.setPosixFilePermissions(prefix.resolve("lib/private"), PosixFilePermissions.fromString("rwx------"));
        file(prefix.resolve("share/doc/other/README"), "other docs", "rw-r--r--");
        Files.setPosixFilePermissions(prefix.resolve("lib"), PosixFilePermissions.fromString("rwxrwxr-x"));
        Map<String, String> before = snapshot(prefix);
        Path ocfRoot = work.resolve("ocf");

        // the command linked where the launcher itself is (--bin-dir PREFIX/bin, as with /usr/local)
        Command.Result install = install(distribution, prefix, ocfRoot, "--no-cds", "--bin-dir", prefix + "/bin");

        assertThat(install.exitCode()).as("%s", install).isZero();
        assertThat(snapshot(prefix)).containsAllEntriesOf(before);
        assertThat(prefix.resolve("bin/vpc-ha")).isRegularFile().isExecutable();
        assertThat(Files.isSymbolicLink(prefix.resolve("bin/vpc-ha"))).isFalse();
        List<String> installed = Files.readAllLines(prefix.resolve("lib/vpc-ha.files"));
        assertThat(installed).contains("bin/vpc-ha", "install.sh", "ocf/vpc-ha");
        for (String path : snapshot(prefix).keySet()) {
            if (!before.containsKey(path)) {
                // beside its files, vpc-ha makes their list and the plugin index (vpc-ha plugins --index)
                assertThat(installed.contains(path)
                                || path.equals("lib/vpc-ha.files")
                                || path.equals("plugins/.vpc-ha-plugin-index")
                                || isFolderOf(path, installed))
                        .as("%s is vpc-ha's", path)
                        .isTrue();
            }
        }

        // a plugin the administrator adds, then installing again: in place, and from the distribution
        Path added =
                prefix.resolve("plugins").resolve(Installation.examplePlugin().getFileName());
        Files.copy(Installation.examplePlugin(), added);
        Command.Result inPlace = install(prefix, prefix, ocfRoot, "--no-cds", "--bin-dir", "none");
        assertThat(inPlace.exitCode()).as("%s", inPlace).isZero();
        assertThat(ocfRoot.resolve("resource.d/vpcha-it/vpc-state-file")).isExecutable();
        Command.Result again = install(distribution, prefix, ocfRoot, "--no-cds", "--bin-dir", "none");
        assertThat(again.exitCode()).as("%s", again).isZero();
        assertThat(added).as("the administrator's plugin").isRegularFile();
        assertThat(ocfRoot.resolve("resource.d/vpcha-it/vpc-state-file")).isExecutable();
        assertThat(snapshot(prefix)).containsAllEntriesOf(before);
    }

    @Test
    void aFileOfAnothersInTheWayStopsTheInstallationBeforeAnyChange() throws Exception {
        Path prefix = work.resolve("shared");
        file(prefix.resolve("lib/gson.jar"), "another program's gson", "rw-r--r--");
        Map<String, String> before = snapshot(prefix);

        Command.Result install = install(distribution, prefix, work.resolve("ocf"), "--no-cds", "--bin-dir", "none");

        assertThat(install.exitCode()).isEqualTo(1);
        assertThat(install.stderr())
                .contains("install.sh: " + prefix + " holds files that are not vpc-ha's: "
                        + prefix.resolve("lib/gson.jar") + "; nothing was changed");
        assertThat(snapshot(prefix)).isEqualTo(before);
        assertThat(work.resolve("ocf")).doesNotExist();
    }

    @Test
    void aNewVersionRemovesWhatItNoLongerHasAndLeavesTheAdministratorsPlugins() throws Exception {
        Path older = work.resolve("older");
        assertThat(Command.of("cp", "-a", distribution.toString(), older.toString())
                        .run()
                        .exitCode())
                .isZero();
        Files.writeString(older.resolve("lib/dropped-dependency.jar"), "not in the newer version");
        Files.copy(Installation.examplePlugin(), older.resolve("plugins/state-file-strategy-0.9.jar"));
        Path prefix = work.resolve("vpc-ha");
        Path ocfRoot = work.resolve("ocf");
        assertThat(install(older, prefix, ocfRoot, "--no-cds", "--bin-dir", "none")
                        .exitCode())
                .isZero();
        assertThat(ocfRoot.resolve("resource.d/vpcha-it/vpc-state-file")).exists();
        Path added =
                plugin(prefix.resolve("plugins/admin-added.jar"), "admin", stateFileProvider("admin", "admin-added"));

        Command.Result newer = install(distribution, prefix, ocfRoot, "--no-cds", "--bin-dir", "none");

        assertThat(newer.exitCode()).as("%s", newer).isZero();
        assertThat(prefix.resolve("lib/dropped-dependency.jar")).doesNotExist();
        assertThat(prefix.resolve("plugins/state-file-strategy-0.9.jar")).doesNotExist();
        assertThat(added).isRegularFile();
        assertThat(ocfRoot.resolve("resource.d/vpcha-it/vpc-admin-added")).isExecutable();
        assertThat(ocfRoot.resolve("resource.d/vpcha-it/vpc-state-file"))
                .as("its strategy is gone with the older version")
                .doesNotExist();
        assertThat(ocfRoot.resolve("resource.d/vpcha-it/vpc-custom-route")).isExecutable();
    }

    @Test
    void aBrokenPluginCostsOnlyItsOwnAgentAndOneThatEndsTheListingStopsTheInstallation() throws Exception {
        Path prefix = work.resolve("vpc-ha");
        Path ocfRoot = work.resolve("ocf");
        Path agents = ocfRoot.resolve("resource.d/vpcha-it");
        assertThat(install(distribution, prefix, ocfRoot, "--no-cds", "--bin-dir", "none")
                        .exitCode())
                .isZero();
        plugin(
                prefix.resolve("plugins/asserts.jar"),
                "asserts",
                stateFileProvider("asserts", "asserts")
                        .replace(
                                "public String name() { return \"asserts\"; }",
                                "public String name() { throw new AssertionError(\"not ready\"); }"));
        plugin(
                prefix.resolve("plugins/exits.jar"),
                "exits",
                providerWithConstructor("exits", "exits", "System.exit(42);"));

        Command.Result broken = install(prefix, prefix, ocfRoot, "--no-cds", "--bin-dir", "none");

        assertThat(broken.exitCode()).as("%s", broken).isZero();
        assertThat(broken.stderr())
                .contains("install.sh: plugin problem: " + prefix.resolve("plugins/asserts.jar")
                        + ": asserts.Provider failed while describing itself: AssertionError: not ready")
                .contains("install.sh: plugin problem: " + prefix.resolve("plugins/exits.jar")
                        + ": tried to end the process (System.exit)");
        assertThat(agents.resolve("vpc-custom-route")).isExecutable();
        assertThat(agents.resolve("vpc-floating-ip")).isExecutable();

        // what no JVM can hold: Runtime.halt ends the listing; the agents stay as they were
        plugin(
                prefix.resolve("plugins/halts.jar"),
                "halts",
                providerWithConstructor("halts", "halts", "Runtime.getRuntime().halt(42);"));
        Command.Result halted = install(prefix, prefix, ocfRoot, "--no-cds", "--bin-dir", "none");
        assertThat(halted.exitCode()).as("%s", halted).isEqualTo(1);
        assertThat(halted.stderr())
                .contains("install.sh: cannot list the strategies (vpc-ha plugins exited with 42); the "
                        + "per-strategy agents in " + agents + " are left as they were");
        assertThat(agents.resolve("vpc-custom-route")).isExecutable();
        assertThat(agents.resolve("vpc-floating-ip")).isExecutable();
    }

    @Test
    void aPrefixThatCannotWorkIsRefusedBeforeAnythingIsMade() {
        for (String bad : new String[] {work + "/a:b", work + "/line\nbreak", "relative/prefix"}) {
            // the OCF root and the command's link in the test's folder: were a bad prefix ever taken,
            // nothing would land in this machine's own paths
            Command.Result install = Command.of(
                            distribution.resolve("install.sh").toString(),
                            "--prefix",
                            bad,
                            "--ocf-root",
                            work.resolve("ocf").toString(),
                            "--bin-dir",
                            "none",
                            "--no-cds")
                    .run();
            assertThat(install.exitCode()).as("%s: %s", bad, install).isEqualTo(1);
            assertThat(install.stderr()).startsWith("install.sh: ");
        }
        assertThat(work.resolve("a:b")).doesNotExist();
        assertThat(work.resolve("ocf")).doesNotExist();
    }

    @Test
    void theScriptsAreShellcheckClean() {
        for (String script : new String[] {"install.sh", "bin/vpc-ha", "bin/vpc-ha-cds", "ocf/vpc-ha"}) {
            shellcheck(distribution.resolve(script));
        }
    }

    private static Command.Result install(Path from, Path prefix, Path ocfRoot, String... options) {
        List<String> command = new ArrayList<>(List.of(
                from.resolve("install.sh").toString(),
                "--prefix",
                prefix.toString(),
                "--ocf-root",
                ocfRoot.toString(),
                "--provider",
                Installation.PROVIDER));
        command.addAll(List.of(options));
        return Command.of(command.toArray(String[]::new))
                .timeout(Duration.ofMinutes(3))
                .run();
    }

    private static Command agent(Path agent, String action) {
        return Command.of(agent.toString(), action)
                .cleanEnvironment()
                // cold: never the accelerator this machine may run (the launcher's default socket)
                .env("VPC_HA_ACCELERATOR", "")
                .env("OCF_RESOURCE_INSTANCE", "odd")
                .timeout(Duration.ofSeconds(60));
    }

    private static void shellcheck(Path script, String... options) {
        if (!Files.isExecutable(Path.of("/usr/bin/shellcheck"))) {
            return; // scripts/install-test-deps.sh installs it; a machine without it checks the rest
        }
        List<String> command = new ArrayList<>(List.of("shellcheck", "-s", "sh"));
        command.addAll(List.of(options));
        command.add(script.toString());
        Command.Result check = Command.of(command.toArray(String[]::new)).run();
        assertThat(check.exitCode()).as("shellcheck %s: %s", script, check).isZero();
    }

    private static void file(Path path, String content, String mode) throws IOException {
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }

    private static boolean isFolderOf(String folder, List<String> files) {
        return files.stream().anyMatch(file -> file.startsWith(folder + "/"));
    }

    /** Every path under {@code root}, relative, with its type, owner, mode and (for files) content hash. */
    private static Map<String, String> snapshot(Path root) throws Exception {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.filter(path -> !path.equals(root)).toList()) {
                Map<String, Object> attributes =
                        Files.readAttributes(path, "unix:uid,mode,isDirectory", LinkOption.NOFOLLOW_LINKS);
                String content = Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
                        ? HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path)))
                        : "";
                entries.put(
                        root.relativize(path).toString(),
                        attributes.get("uid") + " " + Integer.toOctalString((Integer) attributes.get("mode")) + " "
                                + content);
            }
        }
        return entries;
    }
}
