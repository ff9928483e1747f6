package io.vpcha.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The built packages, and what they must hold, worked out from the distribution tarball on its own
 * (not from the staged tree they are made of): the tarball's files under /usr/lib/vpc-ha with their
 * modes, the generic agent and one agent per shipped strategy in /usr/lib/ocf/resource.d/ibm, the
 * command link and the documentation.
 */
final class Packages {
    static final String HOME = "/usr/lib/vpc-ha";
    static final String AGENTS = "/usr/lib/ocf/resource.d/ibm";
    static final String COMMAND = "/usr/bin/vpc-ha";
    static final String COMMAND_TARGET = "../lib/vpc-ha/bin/vpc-ha";
    static final String DOCS = "/usr/share/doc/vpc-ha";
    /** The resident accelerator's units (docs/accelerator.md, "Operations"). */
    static final String UNITS = "/usr/lib/systemd/system";

    static final String SOCKET_UNIT = UNITS + "/vpc-ha-agent.socket";
    static final String SERVICE_UNIT = UNITS + "/vpc-ha-agent.service";
    /** What re-arms the socket after its brake: started by the socket's OnFailure=, never enabled. */
    static final String REARM_TIMER_UNIT = UNITS + "/vpc-ha-agent-rearm.timer";

    static final String REARM_SERVICE_UNIT = UNITS + "/vpc-ha-agent-rearm.service";
    /** Every unit the packages ship, as systemd-analyze verify takes them. */
    static final List<String> ALL_UNITS = List.of(SOCKET_UNIT, SERVICE_UNIT, REARM_TIMER_UNIT, REARM_SERVICE_UNIT);
    /** Folders of the system and of other packages: entries of the .deb's tar, never owned by the .rpm. */
    static final Set<String> SHARED_DIRECTORIES = Set.of(
            "/",
            "/usr",
            "/usr/bin",
            "/usr/lib",
            "/usr/lib/ocf",
            "/usr/lib/ocf/resource.d",
            "/usr/lib/systemd",
            UNITS,
            "/usr/share",
            "/usr/share/doc");

    static final String DEB_DEPENDS =
            "default-jre-headless (>= 2:1.17) | java17-runtime-headless, resource-agents, socat";
    static final String RPM_JAVA = "(java-17-openjdk-headless or java-21-openjdk-headless or java-25-openjdk-headless"
            + " or java-headless >= 1:17)";

    /** One file, folder or link: its type (-, d, l), its permission bits (rwxr-xr-x), owner and link target. */
    record Entry(String path, char type, String permissions, String owner, String group, String linkTarget) {
        boolean isFile() {
            return type == '-';
        }
    }

    private static final Pattern TAR_LINE = Pattern.compile(
            "^([-dl])([-rwxsStT]{9})\\s+([^/\\s]+)/(\\S+)\\s+\\d+\\s+\\S+\\s+\\S+\\s+(.+?)(?: -> (.+))?$");

    private Packages() {}

    static Path deb() {
        return single(Path.of(System.getProperty("vpcha.debDirectory")), "vpc-ha_*_all.deb");
    }

    static Path rpm() {
        return single(Path.of(System.getProperty("vpcha.rpmDirectory")), "vpc-ha-*.noarch.rpm");
    }

    static Path tarball() {
        Path tarball = Path.of(System.getProperty("vpcha.tarball"));
        assertThat(tarball)
                .as("the distribution tarball the packages are made of")
                .isRegularFile();
        return tarball;
    }

    /** The Maven version, e.g. 0.1.0-SNAPSHOT. */
    static String projectVersion() {
        return System.getProperty("vpcha.projectVersion");
    }

    /** The Debian version: 0.1.0-SNAPSHOT is 0.1.0~SNAPSHOT, which sorts before 0.1.0. */
    static String debVersion() {
        return projectVersion().replace('-', '~');
    }

    /** The repository's README.md and docs/*.md, shipped in /usr/share/doc/vpc-ha. */
    static Set<String> docFiles() {
        Set<String> docs = new TreeSet<>();
        docs.add("README.md");
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("vpcha.docs")))) {
            files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".md"))
                    .forEach(docs::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    /** The tarball's entries, as installed under /usr/lib/vpc-ha. */
    static Map<String, Entry> tarballEntries() {
        Command.Result list = Command.of("tar", "-tvzf", tarball().toString())
                .env("LC_ALL", "C")
                .run();
        assertThat(list.exitCode()).as("%s", list).isZero();
        Map<String, Entry> entries = new TreeMap<>();
        for (Entry entry : parseTar(list.stdout())) {
            // vpc-ha-VERSION/bin/vpc-ha is /usr/lib/vpc-ha/bin/vpc-ha
            String path = entry.path().replaceFirst("^/[^/]+", HOME);
            entries.put(
                    path,
                    new Entry(
                            path, entry.type(), entry.permissions(), entry.owner(), entry.group(), entry.linkTarget()));
        }
        return entries;
    }

    /** The strategies the tarball ships: plugins/vpc-ha-strategy-NAME-VERSION.jar. */
    static Set<String> shippedStrategies() {
        Pattern jar = Pattern.compile(Pattern.quote(HOME + "/plugins/vpc-ha-strategy-") + "(.+)-"
                + Pattern.quote(projectVersion()) + "\\.jar");
        Set<String> strategies = new TreeSet<>();
        for (String path : tarballEntries().keySet()) {
            Matcher matcher = jar.matcher(path);
            if (matcher.matches()) {
                strategies.add(matcher.group(1));
            }
        }
        assertThat(strategies).as("the strategies in the tarball's plugins/").isNotEmpty();
        return strategies;
    }

    /**
     * Every file, folder and link the packages must install with its mode: the tarball's content under
     * /usr/lib/vpc-ha, the agents, the command link, the documentation. Not the folders of other packages.
     */
    static Map<String, Entry> expectedEntries() {
        Map<String, Entry> expected = new TreeMap<>(tarballEntries());
        // the tarball has no entries for some folders (lib/, plugins/): installed, they are folders all the same
        for (String path : List.copyOf(expected.keySet())) {
            for (String parent = parent(path); parent.startsWith(HOME); parent = parent(parent)) {
                expected.putIfAbsent(parent, directory(parent));
            }
        }
        expected.put(AGENTS, directory(AGENTS));
        expected.put(AGENTS + "/vpc-ha", executable(AGENTS + "/vpc-ha"));
        for (String strategy : shippedStrategies()) {
            String agent = AGENTS + "/vpc-" + strategy;
            expected.put(agent, executable(agent));
        }
        expected.put(COMMAND, new Entry(COMMAND, 'l', "rwxrwxrwx", "root", "root", COMMAND_TARGET));
        for (String file : ALL_UNITS) {
            expected.put(file, new Entry(file, '-', "rw-r--r--", "root", "root", null));
        }
        expected.put(DOCS, directory(DOCS));
        for (String doc : docFiles()) {
            expected.put(DOCS + "/" + doc, new Entry(DOCS + "/" + doc, '-', "rw-r--r--", "root", "root", null));
        }
        return expected;
    }

    /**
     * The accelerator's lines of a maintainer script: only where systemd runs, and never fatal (without
     * the accelerator every action runs cold, so no systemctl failure may fail an installation). The
     * socket is enabled only when the launcher's switch names it.
     */
    static void assertAcceleratorScripting(String name, String script) {
        List<String> lines = script.lines().map(String::strip).toList();
        List<String> calls = lines.stream()
                .filter(line -> !line.startsWith("#") && line.contains("systemctl"))
                .toList();
        assertThat(calls).as("%s calls systemctl", name).isNotEmpty();
        // what it does with systemd running is decided by that test (starting nothing without it)
        assertThat(script).as(name).containsAnyOf("[ -d /run/systemd/system ]", "[ ! -d /run/systemd/system ]");
        assertThat(calls)
                .as("%s: every systemctl call is never fatal (or a condition)", name)
                .allMatch(line -> line.endsWith("|| true")
                        || line.endsWith("|| return 0")
                        || line.endsWith("|| true; fi")
                        || line.contains("command -v systemctl >/dev/null 2>&1")
                        || line.matches("(if|&& !) systemctl --quiet is-(enabled|active|failed) .*"));
        assertThat(calls)
                .as("%s names only the accelerator's units", name)
                .allMatch(line -> !line.matches(
                                ".*systemctl( -q| --quiet| --no-reload)? (start|stop|enable|disable|preset|try-restart"
                                        + "|is-enabled|is-active|is-failed).*")
                        || line.matches(".*systemctl.* vpc-ha-agent(-rearm)?\\.(socket|service|timer).*"));
        assertThat(script).as(name).doesNotContain("systemctl restart");
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("systemctl enable")) {
                assertThat(lines.get(i - 1))
                        .as("%s: the socket is enabled only where the launcher's switch names it", name)
                        .isEqualTo("if grep -q '^ACCELERATOR_SOCKET=/' /usr/lib/vpc-ha/bin/vpc-ha; then");
            }
        }
    }

    /** The entries of `tar -tv` (or `dpkg-deb --contents`) output, with absolute paths and no trailing slash. */
    static List<Entry> parseTar(String listing) {
        return listing.lines()
                .filter(line -> !line.isBlank())
                .map(line -> {
                    Matcher matcher = TAR_LINE.matcher(line);
                    assertThat(matcher.matches())
                            .as("a tar listing line: %s", line)
                            .isTrue();
                    String path = matcher.group(5).replaceFirst("^\\./", "/").replaceFirst("^(?!/)", "/");
                    if (path.length() > 1 && path.endsWith("/")) {
                        path = path.substring(0, path.length() - 1);
                    }
                    return new Entry(
                            path,
                            matcher.group(1).charAt(0),
                            matcher.group(2),
                            matcher.group(3),
                            matcher.group(4),
                            matcher.group(6));
                })
                .toList();
    }

    private static String parent(String path) {
        return path.substring(0, Math.max(path.lastIndexOf('/'), 0));
    }

    private static Entry directory(String path) {
        return new Entry(path, 'd', "rwxr-xr-x", "root", "root", null);
    }

    private static Entry executable(String path) {
        return new Entry(path, '-', "rwxr-xr-x", "root", "root", null);
    }

    private static Path single(Path directory, String glob) {
        assertThat(directory)
                .as("the build's output folder; run mvn package first")
                .isDirectory();
        try (var files = Files.newDirectoryStream(directory, glob)) {
            List<Path> found = new ArrayList<>();
            files.forEach(found::add);
            assertThat(found).as("%s in %s", glob, directory).hasSize(1);
            return found.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
