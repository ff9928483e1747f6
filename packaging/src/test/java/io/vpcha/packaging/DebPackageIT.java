package io.vpcha.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .deb as dpkg-deb shows it: control fields, maintainer scripts, the file list with owners and modes. */
class DebPackageIT {
    @TempDir
    Path work;

    @Test
    void controlFieldsNameTheVersionAndTheDependencies() {
        Map<String, String> fields = fields();

        assertThat(fields)
                .containsEntry("Package", "vpc-ha")
                .containsEntry("Version", Packages.debVersion())
                .containsEntry("Architecture", "all")
                .containsEntry("Depends", Packages.DEB_DEPENDS)
                .containsEntry("Recommends", "pacemaker")
                .containsEntry("Section", "admin")
                .containsKeys("Maintainer", "Description", "Installed-Size")
                .doesNotContainKeys("Pre-Depends", "Conflicts", "Replaces");
        assertThat(Packages.deb().getFileName().toString()).isEqualTo("vpc-ha_" + Packages.debVersion() + "_all.deb");
    }

    @Test
    void theSnapshotVersionSortsBeforeTheRelease() {
        String release = Packages.projectVersion().replaceFirst("-.*", "");
        Command.Result compare = Command.of("dpkg", "--compare-versions", Packages.debVersion(), "lt", release)
                .run();

        assertThat(compare.exitCode())
                .as("%s < %s", Packages.debVersion(), release)
                .isEqualTo(Packages.projectVersion().contains("-") ? 0 : 1);
    }

    @Test
    void theFilesAreTheTarballsPlusAgentsCommandAndDocsOwnedByRootWithTheirModes() {
        Map<String, Packages.Entry> contents = contents();

        Map<String, Packages.Entry> expected = Packages.expectedEntries();
        Map<String, Packages.Entry> own = new TreeMap<>(contents);
        own.keySet().removeAll(Packages.SHARED_DIRECTORIES);
        assertThat(own).isEqualTo(expected);
        assertThat(contents.keySet()).containsAll(Packages.SHARED_DIRECTORIES);
        assertThat(contents.values()).allSatisfy(entry -> {
            assertThat(entry.owner()).as(entry.path()).isEqualTo("root");
            assertThat(entry.group()).as(entry.path()).isEqualTo("root");
            assertThat(entry.permissions()).as(entry.path()).isIn("rw-r--r--", "rwxr-xr-x", "rwxrwxrwx");
        });
        // nothing but /usr: no /etc (configuration lives in Pacemaker's CIB), no /run (made on demand,
        // tmpfs); of systemd only the accelerator's units
        assertThat(contents.keySet()).allMatch(path -> path.equals("/") || path.startsWith("/usr"));
        assertThat(contents.keySet()).noneMatch(path -> path.endsWith(".jsa"));
        assertThat(contents.keySet())
                .filteredOn(path -> path.contains("systemd"))
                .containsExactlyInAnyOrder(
                        "/usr/lib/systemd",
                        Packages.UNITS,
                        Packages.SOCKET_UNIT,
                        Packages.SERVICE_UNIT,
                        Packages.REARM_TIMER_UNIT,
                        Packages.REARM_SERVICE_UNIT);
    }

    @Test
    void theAcceleratorsSocketIsRootsOnlyAndItsServiceServesIt() throws IOException {
        Path deb = work.resolve("units");
        Command.Result extract = Command.of("dpkg-deb", "-x", Packages.deb().toString(), deb.toString())
                .run();
        assertThat(extract.exitCode()).as("%s", extract).isZero();

        List<String> socket = Files.readAllLines(deb.resolve(Packages.SOCKET_UNIT.substring(1)));
        assertThat(socket)
                .contains(
                        "[Socket]",
                        "ListenStream=/run/vpc-ha/agent.sock",
                        "SocketUser=root",
                        "SocketGroup=root",
                        "SocketMode=0600",
                        "DirectoryMode=0700",
                        "Accept=no",
                        "RemoveOnStop=yes",
                        // the re-arm after the brake: only a failure starts it
                        "OnFailure=vpc-ha-agent-rearm.timer",
                        "WantedBy=sockets.target");
        List<String> service = Files.readAllLines(deb.resolve(Packages.SERVICE_UNIT.substring(1)));
        assertThat(service)
                .contains(
                        "Requires=vpc-ha-agent.socket",
                        // the brake on a service that dies at start (its queued connection restarts it)
                        "StartLimitIntervalSec=10s",
                        "StartLimitBurst=5",
                        "ExecStart=/usr/lib/vpc-ha/bin/vpc-ha agent-serve --inherited",
                        "StandardInput=socket",
                        // not the socket, which StandardInput=socket would make them
                        "StandardOutput=journal",
                        "StandardError=journal",
                        // stopping never fails: the JVM's exit on SIGTERM, then SIGKILL
                        "SuccessExitStatus=143",
                        "TimeoutStopSec=5s",
                        "SendSIGKILL=yes",
                        "Restart=no",
                        "NoNewPrivileges=yes")
                .noneMatch(line -> line.startsWith("User=") || line.startsWith("DynamicUser="))
                // a monitor here must see every path it sees cold (key and CA files, token cache, state)
                .noneMatch(line -> line.startsWith("PrivateTmp=")
                        || line.startsWith("ProtectHome=")
                        || line.equals("ProtectSystem=strict")
                        || line.startsWith("MemoryDenyWriteExecute="))
                .noneMatch(line -> line.startsWith("[Install]"));

        List<String> timer = Files.readAllLines(deb.resolve(Packages.REARM_TIMER_UNIT.substring(1)));
        assertThat(timer)
                .contains(
                        // an operator's stop of the socket during the cool-down stops the re-arm too
                        "PartOf=vpc-ha-agent.socket",
                        "OnActiveSec=5min",
                        "AccuracySec=1s",
                        // startable again after it elapsed: every failure re-arms
                        "RemainAfterElapse=no",
                        "Unit=vpc-ha-agent-rearm.service")
                // never enabled: started by the socket's OnFailure= only
                .noneMatch(line -> line.startsWith("[Install]"));
        List<String> rearm = Files.readAllLines(deb.resolve(Packages.REARM_SERVICE_UNIT.substring(1)));
        assertThat(rearm)
                .contains(
                        "Type=oneshot",
                        "Before=vpc-ha-agent.socket",
                        "DefaultDependencies=no",
                        "NoNewPrivileges=yes",
                        "ProtectSystem=strict",
                        "PrivateNetwork=yes",
                        "RestrictAddressFamilies=AF_UNIX",
                        "CapabilityBoundingSet=")
                .anyMatch(
                        line -> line.startsWith("ExecStart=")
                                // a socket that is not failed (started, stopped, reset by an operator) is left
                                // alone: checked by the command itself (systemd 239 ignores ExecCondition=)
                                && line.contains("if ! systemctl --quiet is-failed vpc-ha-agent.socket; then")
                                && line.contains(
                                        "systemctl reset-failed vpc-ha-agent.socket vpc-ha-agent.service && systemctl start --no-block vpc-ha-agent.socket"))
                .noneMatch(line ->
                        line.startsWith("User=") || line.startsWith("[Install]") || line.startsWith("ExecCondition="));
    }

    @Test
    void theInstalledFilesAreByteForByteTheTarballs() throws IOException {
        Path deb = work.resolve("deb");
        Path tarball = work.resolve("tarball");
        Files.createDirectories(tarball);
        Command.Result extractDeb = Command.of("dpkg-deb", "-x", Packages.deb().toString(), deb.toString())
                .run();
        assertThat(extractDeb.exitCode()).as("%s", extractDeb).isZero();
        Command.Result extractTarball = Command.of(
                        "tar", "-xzf", Packages.tarball().toString(), "-C", tarball.toString(), "--strip-components=1")
                .run();
        assertThat(extractTarball.exitCode()).as("%s", extractTarball).isZero();

        for (Packages.Entry entry : Packages.tarballEntries().values()) {
            if (entry.isFile()) {
                String relative = entry.path().substring(Packages.HOME.length() + 1);
                assertThat(Files.mismatch(deb.resolve(entry.path().substring(1)), tarball.resolve(relative)))
                        .as(entry.path())
                        .isEqualTo(-1L);
            }
        }
        // the generic agent is the tarball's (its default VPC_HA_HOME is /usr/lib/vpc-ha); each
        // per-strategy agent is install.sh's wrapper around it
        assertThat(Files.mismatch(deb.resolve("usr/lib/ocf/resource.d/ibm/vpc-ha"), tarball.resolve("ocf/vpc-ha")))
                .isEqualTo(-1L);
        for (String strategy : Packages.shippedStrategies()) {
            assertThat(deb.resolve("usr/lib/ocf/resource.d/ibm/vpc-" + strategy))
                    .content()
                    .startsWith("#!/bin/sh\n")
                    .contains("\n# vpc-ha per-strategy agent: ocf:ibm:vpc-" + strategy
                            + " is ocf:ibm:vpc-ha with strategy=" + strategy + ".\n")
                    .contains("\nVPC_HA_STRATEGY=" + strategy + "\n")
                    // the generic agent's path as install.sh quotes a directory: one word, never expanded
                    .endsWith("\nexec '/usr/lib/ocf/resource.d/ibm/vpc-ha' \"$@\"\n");
        }
    }

    @Test
    void theMaintainerScriptsTouchOnlyTheAcceleratorsUnitsAndRunTheArchiveHookOnlyWhenItIsThere() throws IOException {
        Path control = work.resolve("control");
        Command.Result extract = Command.of("dpkg-deb", "-e", Packages.deb().toString(), control.toString())
                .run();
        assertThat(extract.exitCode()).as("%s", extract).isZero();

        try (var files = Files.list(control)) {
            assertThat(files.map(file -> file.getFileName().toString()).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrder("control", "md5sums", "postinst", "prerm", "postrm");
        }
        for (String script : new String[] {"postinst", "prerm", "postrm"}) {
            Path file = control.resolve(script);
            assertThat(Files.isExecutable(file)).as(script).isTrue();
            String text = Files.readString(file);
            assertThat(text)
                    .as(script)
                    .startsWith("#!/bin/sh\n")
                    .contains("\nset -e\n")
                    .doesNotContain("invoke-rc.d", "update-rc.d", "deb-systemd", "curl", "wget", "apt-get");
            // no configuration written: the one place in /etc they name is the link that enables the
            // socket (the first installation's or an administrator's), looked at on an upgrade and
            // forgotten on purge, with its folder when that is left empty
            assertThat(text.replace("/etc/systemd/system/sockets.target.wants", ""))
                    .as(script)
                    .doesNotContain("/etc/");
            Packages.assertAcceleratorScripting(script, text);
            Command.Result syntax = Command.of("sh", "-n", file.toString()).run();
            assertThat(syntax.exitCode()).as("sh -n %s: %s", script, syntax).isZero();
            if (Files.isExecutable(Path.of("/usr/bin/shellcheck"))) {
                Command.Result shellcheck =
                        Command.of("shellcheck", file.toString()).run();
                assertThat(shellcheck.exitCode())
                        .as("shellcheck %s: %s", script, shellcheck)
                        .isZero();
            }
        }
        assertThat(Files.readString(control.resolve("postinst")))
                .contains("if [ -x /usr/lib/vpc-ha/bin/vpc-ha-cds ]; then", "exec /usr/lib/vpc-ha/bin/vpc-ha-cds");
        // a first installation enables the socket when the launcher's switch says so; an upgrade
        // restarts a running accelerator, so that no old JVM serves the new plugins
        assertThat(Files.readString(control.resolve("postinst")))
                .contains("systemctl enable --now vpc-ha-agent.socket || true")
                .contains("systemctl try-restart vpc-ha-agent.service || true")
                // where systemd does not run (an image being built), the first installation still enables it
                .contains("if [ \"$1\" = install ] && command -v systemctl >/dev/null 2>&1; then")
                .contains("systemctl enable vpc-ha-agent.socket || true")
                // a reinstallation after a remove (socket stopped, its link kept): listening again, unless
                // braked (left to its re-arm) or disabled
                .contains("&& ! systemctl --quiet is-failed vpc-ha-agent.socket 2>/dev/null; then")
                // an upgrade leaves a braked socket to its pending re-arm: it never starts one itself
                .doesNotContain("vpc-ha-agent-rearm")
                .contains("if [ -z \"${2:-}\" ]; then accelerator_units install; else accelerator_units upgrade; fi");
        assertThat(Files.readString(control.resolve("prerm")))
                .contains("rm -f /usr/lib/vpc-ha/lib/vpc-ha.jsa")
                .contains("systemctl stop vpc-ha-agent-rearm.timer vpc-ha-agent-rearm.service")
                .contains("systemctl stop vpc-ha-agent.socket vpc-ha-agent.service");
        assertThat(Files.readString(control.resolve("postrm")))
                .contains("purge)")
                .contains("rm -rf /run/vpc-ha /run/resource-agents/vpc-ha");
    }

    static Map<String, Packages.Entry> contents() {
        Command.Result contents = Command.of(
                        "dpkg-deb", "--contents", Packages.deb().toString())
                .env("LC_ALL", "C")
                .run();
        assertThat(contents.exitCode()).as("%s", contents).isZero();
        Map<String, Packages.Entry> entries = new TreeMap<>();
        for (Packages.Entry entry : Packages.parseTar(contents.stdout())) {
            assertThat(entries.put(entry.path(), entry))
                    .as("%s twice", entry.path())
                    .isNull();
        }
        return entries;
    }

    private static Map<String, String> fields() {
        Command.Result info =
                Command.of("dpkg-deb", "--field", Packages.deb().toString()).run();
        assertThat(info.exitCode()).as("%s", info).isZero();
        Map<String, String> fields = new TreeMap<>();
        String last = null;
        for (String line : info.stdout().lines().toList()) {
            if (line.startsWith(" ") && last != null) {
                fields.merge(last, "\n" + line.substring(1), String::concat);
            } else {
                int colon = line.indexOf(':');
                last = line.substring(0, colon);
                fields.put(last, line.substring(colon + 1).strip());
            }
        }
        return fields;
    }
}
