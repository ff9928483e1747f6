package io.vpcha.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The .rpm as Debian's rpm shows it (it is not installed here): name and version, the file list with
 * owners and modes (the .deb's, less the folders other packages own), the requirements and the scriptlets.
 */
class RpmPackageIT {
    private static final Pattern LIST_LINE = Pattern.compile(
            "^([-dl])([-rwxsStT]{9})\\s+\\d+\\s+(\\S+)\\s+(\\S+)\\s+\\d+\\s+\\S+\\s+\\d+\\s+\\S+\\s+(/\\S*)(?: -> (.+))?$");

    @BeforeAll
    static void built() {
        Assumptions.assumeTrue(
                Boolean.getBoolean("vpcha.rpmBuilt"),
                "no .rpm built: rpmbuild is not installed (Debian package rpm; scripts/install-test-deps.sh)");
    }

    @Test
    void nameVersionReleaseAndArchitecture() {
        String version = Packages.projectVersion().replaceFirst("-.*", "");
        String release = Packages.projectVersion().contains("-")
                ? "0."
                        + Packages.projectVersion()
                                .substring(Packages.projectVersion().indexOf('-') + 1)
                : "1";

        assertThat(query("%{NAME} %{VERSION} %{RELEASE} %{ARCH}"))
                .isEqualTo("vpc-ha " + version + " " + release + " noarch");
        assertThat(Packages.rpm().getFileName().toString())
                .isEqualTo("vpc-ha-" + version + "-" + release + ".noarch.rpm");
        // a snapshot sorts before its release
        Command.Result compare = Command.of(
                        "rpm",
                        "--eval",
                        "%{lua: print(rpm.vercmp(\"" + version + "-" + release + "\", \"" + version + "-1\"))}")
                .run();
        assertThat(compare.stdout().strip()).isEqualTo(release.equals("1") ? "0" : "-1");
        assertThat(query("%{SUMMARY}")).isNotBlank();
    }

    @Test
    void theFilesAreTheDebsLessTheSharedFoldersOwnedByRootWithTheirModes() {
        Command.Result list = rpm("-qlvp");
        Map<String, Packages.Entry> entries = new TreeMap<>();
        for (String line : list.stdout().lines().toList()) {
            Matcher matcher = LIST_LINE.matcher(line);
            assertThat(matcher.matches()).as("an rpm -qlv line: %s", line).isTrue();
            Packages.Entry entry = new Packages.Entry(
                    matcher.group(5),
                    matcher.group(1).charAt(0),
                    matcher.group(2),
                    matcher.group(3),
                    matcher.group(4),
                    matcher.group(6));
            assertThat(entries.put(entry.path(), entry))
                    .as("%s twice", entry.path())
                    .isNull();
        }

        assertThat(entries).isEqualTo(Packages.expectedEntries());
        Map<String, Packages.Entry> deb = new TreeMap<>(DebPackageIT.contents());
        deb.keySet().removeAll(Packages.SHARED_DIRECTORIES);
        assertThat(entries).isEqualTo(deb);
        assertThat(rpm("-qlp").stdout().lines().toList()).containsExactlyElementsOf(entries.keySet());
        // documentation marked as such
        assertThat(rpm("-qdp").stdout().lines()).contains(Packages.DOCS + "/README.md");
    }

    @Test
    void requiresAJava17RuntimeResourceAgentsSocatSetsidAndShOnly() {
        Set<String> requirements =
                new TreeSet<>(rpm("-qpR").stdout().lines().map(String::strip).toList());

        Set<String> named = Set.of(Packages.RPM_JAVA, "resource-agents", "socat", "/usr/bin/setsid", "/bin/sh");
        assertThat(requirements).containsAll(named);
        assertThat(requirements)
                .allMatch(requirement -> named.contains(requirement) || requirement.startsWith("rpmlib("));
        assertThat(rpm("-qp", "--provides").stdout().strip()).isEqualTo("vpc-ha = " + query("%{VERSION}-%{RELEASE}"));
    }

    @Test
    void theScriptletsTouchOnlyTheAcceleratorsUnitsAndRunTheArchiveHookOnlyWhenItIsThere() throws Exception {
        String scripts = rpm("-qp", "--scripts").stdout();

        assertThat(scripts)
                .contains(
                        "postinstall scriptlet (using /bin/sh):",
                        "preuninstall scriptlet (using /bin/sh):",
                        "postuninstall scriptlet (using /bin/sh):")
                .doesNotContain("preinstall scriptlet")
                .doesNotContain("chkconfig", "service vpc", "/etc/", "curl", "wget");
        String post = query("%{POSTIN}");
        String preun = query("%{PREUN}");
        String postun = query("%{POSTUN}");
        assertThat(post)
                .contains("if [ -x /usr/lib/vpc-ha/bin/vpc-ha-cds ]; then", "exec /usr/lib/vpc-ha/bin/vpc-ha-cds");
        // on an upgrade the old %preun runs after the new %post: only an erase removes the archive
        assertThat(preun).contains("if [ \"$1\" -eq 0 ]; then").contains("rm -f /usr/lib/vpc-ha/lib/vpc-ha.jsa");
        assertThat(postun)
                .contains("if [ \"$1\" -eq 0 ]; then")
                .contains("rm -rf /run/vpc-ha /run/resource-agents/vpc-ha");
        // first installation: enabled when the launcher's switch says so; erase: the units stopped and
        // disabled; upgrade (the old
        // %postun, once the new files are in place): a running accelerator restarted
        assertThat(post)
                .contains("systemctl enable --now vpc-ha-agent.socket || true")
                // where systemd does not run (an image being built), enabled all the same, and disabled on erase
                .contains("elif [ \"$1\" -eq 1 ] && command -v systemctl >/dev/null 2>&1; then")
                .contains("systemctl enable vpc-ha-agent.socket || true")
                .doesNotContain("try-restart");
        assertThat(preun).contains("systemctl --no-reload disable vpc-ha-agent.socket >/dev/null 2>&1 || true");
        assertThat(preun)
                .contains("systemctl stop vpc-ha-agent-rearm.timer vpc-ha-agent-rearm.service")
                .contains("systemctl --no-reload disable --now vpc-ha-agent.socket vpc-ha-agent.service");
        // upgrade: a braked socket is left to its pending re-arm, never re-armed by the scriptlets
        assertThat(post + postun).doesNotContain("vpc-ha-agent-rearm");
        assertThat(postun)
                .contains("if [ \"$1\" -ge 1 ]; then")
                .contains("systemctl try-restart vpc-ha-agent.service || true");
        for (String script : new String[] {post, preun, postun}) {
            Packages.assertAcceleratorScripting("scriptlet", script);
            Command.Result syntax = Command.of("sh", "-n").input(script).run();
            assertThat(syntax.exitCode()).as("sh -n: %s\n%s", syntax, script).isZero();
            if (Files.isExecutable(Path.of("/usr/bin/shellcheck"))) {
                Command.Result shellcheck =
                        Command.of("shellcheck", "-s", "sh", "-").input(script).run();
                assertThat(shellcheck.exitCode())
                        .as("shellcheck: %s\n%s", shellcheck, script)
                        .isZero();
            }
        }
    }

    private static String query(String format) {
        return rpm("-qp", "--qf", format).stdout();
    }

    private static Command.Result rpm(String... options) {
        String[] command = new String[options.length + 2];
        command[0] = "rpm";
        System.arraycopy(options, 0, command, 1, options.length);
        command[command.length - 1] = Packages.rpm().toString();
        Command.Result result = Command.of(command).env("LC_ALL", "C").run();
        assertThat(result.exitCode()).as("%s", result).isZero();
        return result;
    }
}
