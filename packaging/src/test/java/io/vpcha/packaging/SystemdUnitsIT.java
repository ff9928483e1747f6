package io.vpcha.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb's accelerator units under a real systemd: the machine's own, run as PID 1 of namespaces of
 * its own by src/test/systemd/under-systemd.sh (so the machine's PID 1 need not be systemd), with the
 * .deb's files and the real service (the launcher, a JVM). What docs/accelerator.md ("Units") says an
 * operator sees: the socket root's only; the service started by a connection and ending when idle, with
 * its last journal lines; a killed service failed until the next connection starts a fresh one; a
 * service that dies at start braked by the start limit (the socket failed, its file gone) and the
 * socket started again by hand; or re-armed by itself after the cool-down (vpc-ha-agent-rearm.timer,
 * shortened by a drop-in), after every brake, serving again once the service starts; never after an
 * operator's stop or reset; at once when started by hand (vpc-ha-agent-rearm.service); the .deb's
 * postinst enabling and starting the socket on a first installation (the default: docs/accelerator.md,
 * "The switch"), leaving it as it was on an upgrade, and starting it again on a reinstallation after a
 * remove. Needs root.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SystemdUnitsIT {
    private static final Path SCRIPT = Path.of(System.getProperty("vpcha.underSystemd"));
    private static final String SOCKET = "vpc-ha-agent.socket";
    private static final String SERVICE = "vpc-ha-agent.service";
    private static final String REARM_TIMER = "vpc-ha-agent-rearm.timer";
    private static final String REARM = "vpc-ha-agent-rearm.service";
    /**
     * The re-arm's cool-down in these tests (5 min shipped), through a drop-in as an operator would, with
     * its accuracy (1 s shipped).
     */
    private static final int COOL_DOWN_SECONDS = 2;

    private static final String COOL_DOWN_ACCURACY = "100ms";
    /** A connection without a request, as the launcher's watchdog makes it: the service takes it quietly. */
    private static final String CONNECT = "socat -u /dev/null UNIX-CONNECT:/run/vpc-ha/agent.sock,connect-timeout=2";

    @TempDir
    static Path work;

    @BeforeAll
    static void boot() {
        assertThat(System.getProperty("user.name"))
                .as("the test runs systemd as PID 1 of new namespaces: run it as root")
                .isEqualTo("root");
        Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/lib/systemd/systemd")), "systemd (the Debian package) is not installed");
        Command.Result boot = Command.of(
                        SCRIPT.toString(),
                        "boot",
                        work.toString(),
                        Packages.deb().toString())
                .timeout(Duration.ofMinutes(2))
                .run();
        assertThat(boot.exitCode()).as("%s", boot).isZero();
    }

    @AfterAll
    static void halt() {
        Command.Result halt = Command.of(SCRIPT.toString(), "halt", work.toString())
                .timeout(Duration.ofMinutes(1))
                .run();
        assertThat(halt.exitCode()).as("%s", halt).isZero();
    }

    @Test
    @Order(1)
    void systemdAcceptsTheUnitsAndTheSocketListensForRootOnly() {
        assertThat(inside("systemd-analyze verify " + work.resolve("units/" + SOCKET) + " "
                        + work.resolve("units/" + SERVICE) + " " + work.resolve("units/" + REARM_TIMER) + " "
                        + work.resolve("units/" + REARM) + " 2>&1 && echo verified"))
                .as("not a word but ours")
                .isEqualTo("verified");
        assertThat(inside("systemctl start " + SOCKET + " && stat -c '%a %U' /run/vpc-ha /run/vpc-ha/agent.sock"))
                .isEqualTo("700 root\n600 root");
        assertThat(inside("systemctl show -P StartLimitIntervalUSec " + SERVICE + "; systemctl show -P StartLimitBurst "
                        + SERVICE))
                .as("the brake, whatever the node's DefaultStartLimit*")
                .isEqualTo("10s\n5");
        assertThat(inside("systemctl show -P OnFailure " + SOCKET + "; systemctl show -P TimersMonotonic " + REARM_TIMER
                        + "; systemctl show -P ActiveState " + REARM_TIMER))
                .as("the re-arm: the socket's failure starts its timer, which nothing else started")
                .isEqualTo(REARM_TIMER + "\n{ OnActiveUSec=5min ; next_elapse=0 }\ninactive");
    }

    @Test
    @Order(2)
    void aConnectionStartsTheServiceWhichEndsWhenIdleAndSaysSoInTheJournal() throws IOException {
        dropIn(
                SERVICE,
                "idle.conf",
                "[Service]\nExecStart=\nExecStart=/usr/lib/vpc-ha/bin/vpc-ha agent-serve --inherited 1\n");
        assertThat(inside(CONNECT + " && " + await(SERVICE, "ActiveState", "active")
                        + " && " + await(SERVICE, "ActiveState", "inactive")
                        + " && systemctl show -P Result " + SERVICE))
                .as("started by the connection, ended by itself")
                .isEqualTo("success");
        // the journal reads the service's lines on its own time: waited for (30 s at most)
        assertThat(inside(awaitThat("journalctl -o cat -u " + SERVICE + " | grep -q 'idle for 1 s: exiting'")
                        + " && journalctl -o cat -u " + SERVICE))
                .contains("serving on /run/vpc-ha/agent.sock (the activator's socket)")
                .as("its last line, said while its standard error still was the journal")
                .contains("idle for 1 s: exiting (the socket starts it again)");
        assertThat(inside("systemctl is-active " + SOCKET)).isEqualTo("active");
        removeDropIn(SERVICE, "idle.conf");
    }

    @Test
    @Order(3)
    void aKilledServiceIsFailedUntilTheNextConnectionStartsAFreshOne() {
        // started without a connection, so that none waits in the queue to start the next one at once
        // (as the hung service's queued requests do after a watchdog kill)
        String killed = inside("rm -f /run/vpc-ha/agent.sock.pid && systemctl start " + SERVICE + " && "
                + awaitFile("/run/vpc-ha/agent.sock.pid")
                + " && pid=$(systemctl show -P MainPID " + SERVICE + ") && kill -KILL $pid && "
                + await(SERVICE, "ActiveState", "failed") + " && echo $pid");
        assertThat(inside("systemctl show -P Result " + SERVICE)).isEqualTo("signal");
        assertThat(inside("systemctl is-active " + SOCKET + "; test -S /run/vpc-ha/agent.sock && echo there"))
                .as("the socket listens on")
                .isEqualTo("active\nthere");
        String fresh = inside(CONNECT + " && " + await(SERVICE, "ActiveState", "active")
                + " && systemctl show -P MainPID " + SERVICE);
        assertThat(fresh).isNotEqualTo(killed).isNotEqualTo("0");
        assertThat(inside("systemctl show -P Result " + SERVICE)).isEqualTo("success");
    }

    @Test
    @Order(4)
    void aServiceThatDiesAtStartIsBrakedAfterFiveStartsAndTheSocketStartsAgainByHand() throws IOException {
        // both stopped: no connection waits in a queue that would start the old service again
        inside("systemctl stop " + SOCKET + " " + SERVICE + " && systemctl reset-failed");
        assertThat(inside("test -e /run/vpc-ha/agent.sock || echo gone"))
                .as("RemoveOnStop=yes")
                .isEqualTo("gone");
        // the JVM refuses to start: a service that fails at once, every time
        dropIn(SERVICE, "crash.conf", DIES_AT_START);
        inside("systemctl start " + SOCKET);
        String cursor = cursor(SERVICE);

        inside(CONNECT + " && " + await(SOCKET, "ActiveState", "failed") + " && "
                + awaitThat("journalctl -o cat -u " + SOCKET + " | grep -q service-start-limit-hit"));
        assertThat(inside("systemctl show -P Result " + SOCKET)).isEqualTo("service-start-limit-hit");
        assertThat(inside(journalctl(cursor, SERVICE) + " | grep -c '^Started '"))
                .as("one connection, never accepted, started it back to back until the limit")
                .isEqualTo("5");
        assertThat(inside("test -e /run/vpc-ha/agent.sock || echo gone"))
                .as("no socket: the launcher runs monitors cold without trying it")
                .isEqualTo("gone");
        assertThat(inside("systemctl is-system-running || true")).isEqualTo("degraded");
        assertThat(inside("systemctl show -P ActiveState " + REARM_TIMER))
                .as("the re-arm's cool-down began")
                .isEqualTo("active");

        removeDropIn(SERVICE, "crash.conf");
        assertThat(inside("systemctl start " + SOCKET + " && " + CONNECT + " && "
                        + await(SERVICE, "ActiveState", "active") + " && systemctl is-active " + SOCKET))
                .as("systemctl start vpc-ha-agent.socket is all it takes, also during the cool-down")
                .isEqualTo("active");
    }

    @Test
    @Order(5)
    void aBrakedSocketIsReArmedAfterTheCoolDownAfterEveryBrakeAndServesOnceTheServiceStarts() throws IOException {
        // stopping the socket stops a pending re-arm too (the timer is PartOf= it)
        inside("systemctl stop " + SOCKET + " " + SERVICE + " && systemctl reset-failed");
        assertThat(inside("systemctl show -P ActiveState " + REARM_TIMER)).isEqualTo("inactive");
        dropIn(
                REARM_TIMER,
                "cool-down.conf",
                "[Timer]\nOnActiveSec=\nOnActiveSec=" + COOL_DOWN_SECONDS + "s\nAccuracySec=" + COOL_DOWN_ACCURACY
                        + "\n");
        dropIn(SERVICE, "crash.conf", DIES_AT_START);
        inside("systemctl start " + SOCKET);
        String cursor = cursor();

        inside(CONNECT + " && " + await(SOCKET, "ActiveState", "failed"));
        assertThat(inside("systemctl show -P ActiveState " + REARM_TIMER))
                .as("the cool-down runs")
                .isEqualTo("active");
        assertThat(inside(await(SOCKET, "ActiveState", "active")
                        + " && test -S /run/vpc-ha/agent.sock && echo listening"))
                .as("re-armed by itself")
                .isEqualTo("listening");
        assertThat(inside("systemctl is-failed " + SOCKET + " " + SERVICE + " || true"))
                .as("the brake's failures reset")
                .isEqualTo("active\ninactive");
        assertThat(inside("systemctl show -P ActiveState " + REARM_TIMER))
                .as("elapsed, the timer is gone (RemainAfterElapse=no), ready for the next failure")
                .isEqualTo("inactive");
        assertThat(journal(cursor))
                .as("what happened, in the journal")
                .contains("vpc-ha-agent.socket: Failed with result 'service-start-limit-hit'.")
                .contains("vpc-ha-agent.socket: Triggering OnFailure= dependencies.")
                .contains("re-arming vpc-ha-agent.socket, failed (service-start-limit-hit)");

        // the service still dies at every start: braked again after five more starts, re-armed again
        String again = cursor(SERVICE);
        inside(CONNECT + " && " + await(SOCKET, "ActiveState", "failed"));
        assertThat(inside(journalctl(again, SERVICE) + " | grep -c '^Started '"))
                .as("the re-arm gave the service five starts again, no more")
                .isEqualTo("5");
        assertThat(inside("systemctl show -P ActiveState " + REARM_TIMER))
                .as("the next cool-down runs")
                .isEqualTo("active");

        // the cause goes away during the cool-down: re-armed, the next connection starts a service that serves
        removeDropIn(SERVICE, "crash.conf");
        inside(await(SOCKET, "ActiveState", "active"));
        String served = cursor(SERVICE);
        inside(CONNECT + " && "
                + awaitThat(journalctl(served, SERVICE) + " | grep -q 'serving on /run/vpc-ha/agent.sock'"));
        assertThat(inside("systemctl is-active " + SOCKET + " " + SERVICE + "; systemctl is-system-running || true"))
                .isEqualTo("active\nactive\nrunning");
        // the times measured (docs/accelerator.md, "The re-arm"), in the test's output file
        System.out.println(inside(journalctl(cursor).replace("-o cat", "-o short-monotonic")));
    }

    @Test
    @Order(6)
    void anOperatorsStopOrResetIsNeverUndone() throws IOException {
        // stopped while it listens: inactive, not failed, so nothing is armed
        String cursor = cursor();
        inside("systemctl start " + SOCKET + " && systemctl stop " + SOCKET);
        assertThat(inside("systemctl is-active " + SOCKET + " " + REARM_TIMER + " || true"))
                .isEqualTo("inactive\ninactive");
        afterACoolDown("stopped");
        assertThat(inside("systemctl is-active " + SOCKET + " || true")).isEqualTo("inactive");

        // stopped while braked, during the cool-down: the stop reaches the timer
        dropIn(SERVICE, "crash.conf", DIES_AT_START);
        inside("systemctl start " + SOCKET + " && " + CONNECT + " && " + await(SOCKET, "ActiveState", "failed"));
        assertThat(inside("systemctl show -P ActiveState " + REARM_TIMER)).isEqualTo("active");
        inside("systemctl stop " + SOCKET);
        assertThat(inside("systemctl show -P ActiveState " + REARM_TIMER))
                .as("the cool-down ended with the operator's stop")
                .isEqualTo("inactive");
        afterACoolDown("stopped-braked");
        assertThat(inside("systemctl show -P ActiveState " + SOCKET)).isNotEqualTo("active");

        // reset by the operator during the cool-down (not started): the re-arm finds no failed socket
        inside("systemctl reset-failed && systemctl start " + SOCKET + " && " + CONNECT + " && "
                + await(SOCKET, "ActiveState", "failed") + " && systemctl reset-failed " + SOCKET);
        inside(awaitThat(journalctl(cursor) + " | grep -q 'vpc-ha-agent.socket is not failed (started, stopped or reset"
                + " meanwhile): nothing to re-arm'"));
        assertThat(inside("systemctl is-active " + SOCKET + " || true")).isEqualTo("inactive");

        assertThat(journal(cursor)).as("no re-arm in all this").doesNotContain("re-arming");
        removeDropIn(SERVICE, "crash.conf");
        removeDropIn(REARM_TIMER, "cool-down.conf");
    }

    @Test
    @Order(7)
    void theReArmStartedByHandActsOnlyOnAFailedSocketAndAtOnce() throws IOException {
        // an operator may start it: a socket that is not failed stays as it is
        inside("systemctl reset-failed && systemctl stop " + SOCKET);
        String cursor = cursor();
        inside("systemctl start " + REARM);
        assertThat(inside("systemctl is-active " + SOCKET + " || true")).isEqualTo("inactive");
        // a braked one is re-armed at once, not after the cool-down (5 min here: no drop-in)
        dropIn(SERVICE, "crash.conf", DIES_AT_START);
        inside("systemctl start " + SOCKET + " && " + CONNECT + " && " + await(SOCKET, "ActiveState", "failed"));
        removeDropIn(SERVICE, "crash.conf");
        assertThat(inside("systemctl start " + REARM + " && " + await(SOCKET, "ActiveState", "active")
                        + " && systemctl is-active " + SOCKET))
                .isEqualTo("active");
        assertThat(journal(cursor)).containsOnlyOnce("re-arming vpc-ha-agent.socket, failed (service-start-limit-hit)");
        inside("systemctl stop " + SOCKET);
    }

    @Test
    @Order(8)
    void theFirstInstallationEnablesAndStartsTheSocketTheLauncherAsksAndAnUpgradeLeavesItAsItWas() throws IOException {
        // the launcher's switch names the socket the unit listens on: the default is on, and one path
        assertThat(inside("grep '^ACCELERATOR_SOCKET=' /usr/lib/vpc-ha/bin/vpc-ha"))
                .isEqualTo("ACCELERATOR_SOCKET=/run/vpc-ha/agent.sock");
        assertThat(inside("systemctl show -P Listen " + SOCKET)).isEqualTo("/run/vpc-ha/agent.sock (Stream)");

        // the .deb's own maintainer script, as dpkg runs it; its class-data-sharing step finds /usr
        // read-only here, says so at once and is not fatal
        Path control = work.resolve("control");
        Command.Result extracted = Command.of("dpkg-deb", "-e", Packages.deb().toString(), control.toString())
                .timeout(Duration.ofMinutes(1))
                .run();
        assertThat(extracted.exitCode()).as("%s", extracted).isZero();
        String postinst = "sh " + control.resolve("postinst") + " configure";
        inside("systemctl stop " + SOCKET + " " + SERVICE + " && systemctl reset-failed");

        // an upgrade from a version that shipped it off: the administrator's choice (off) stays
        assertThat(inside(postinst + " 0.9.0 2>&1")).contains("vpc-ha-cds: cannot write /usr/lib/vpc-ha/lib");
        assertThat(inside(ENABLED + "; systemctl is-active " + SOCKET + "; true"))
                .isEqualTo("not enabled\ninactive");

        // the first installation: enabled, listening, and a connection starts the service
        inside(postinst);
        assertThat(inside(
                        ENABLED + "; systemctl is-active " + SOCKET + "; test -S /run/vpc-ha/agent.sock && echo there"))
                .isEqualTo("enabled\nactive\nthere");
        assertThat(inside(CONNECT + " && " + await(SERVICE, "ActiveState", "active") + " && systemctl is-active "
                        + SERVICE))
                .isEqualTo("active");

        // an upgrade of a node that runs it: still enabled and listening
        inside(postinst + " 0.9.0");
        assertThat(inside(ENABLED + "; systemctl is-active " + SOCKET + "; true"))
                .isEqualTo("enabled\nactive");

        // removed (the prerm stops the socket and the service; the link stays until a purge), then
        // installed again (dpkg gives the version last configured): listening again
        inside("systemctl stop " + SOCKET + " " + SERVICE);
        assertThat(inside(ENABLED + "; systemctl is-active " + SOCKET + "; true"))
                .isEqualTo("enabled\ninactive");
        inside(postinst + " 0.9.0");
        assertThat(inside(
                        ENABLED + "; systemctl is-active " + SOCKET + "; test -S /run/vpc-ha/agent.sock && echo there"))
                .isEqualTo("enabled\nactive\nthere");

        inside("systemctl disable --now " + SOCKET + " && systemctl stop " + SERVICE);
        assertThat(inside(ENABLED + "; test -e /run/vpc-ha/agent.sock || echo gone; true"))
                .as("an operator's way out: no socket, every monitor cold")
                .isEqualTo("not enabled\ngone");
    }

    /**
     * Whether the socket is enabled, as the link `systemctl enable` makes in /etc: `systemctl is-enabled`
     * cannot tell here, where systemd reads units only from WORK/units (SYSTEMD_UNIT_PATH), not /etc's.
     */
    private static final String ENABLED = "if [ \"$(readlink /etc/systemd/system/sockets.target.wants/" + SOCKET
            + ")\" = \"$(systemctl show -P FragmentPath " + SOCKET
            + ")\" ]; then echo enabled; else echo not enabled; fi";

    /** A service that cannot start: the JVM refuses so small a heap. */
    private static final String DIES_AT_START = "[Service]\nEnvironment=VPC_HA_JAVA_OPTS=-Xmx1k\n";

    /** A drop-in for the unit (as /etc/systemd/system/UNIT.d/NAME would be), read at once. */
    private static void dropIn(String unit, String name, String text) throws IOException {
        Path dropIns = work.resolve("units/" + unit + ".d");
        Files.createDirectories(dropIns);
        Files.writeString(dropIns.resolve(name), text);
        inside("systemctl daemon-reload");
    }

    private static void removeDropIn(String unit, String name) throws IOException {
        Files.delete(work.resolve("units/" + unit + ".d/" + name));
        inside("systemctl daemon-reload");
    }

    /**
     * The journal's position now among the lines of the units (all four when none named): what follows it
     * is what a step did. Read back through the same units (a cursor taken of the whole journal missed
     * lines of one unit read back after it).
     */
    private static String cursor(String... units) {
        return inside(journalctl(null, units) + " -n 0 --show-cursor | sed -n 's/^-- cursor: //p'");
    }

    /** The command that prints the units' lines (all four when none named), after the cursor if any. */
    private static String journalctl(String cursor, String... units) {
        List<String> named = units.length == 0 ? List.of(SOCKET, SERVICE, REARM_TIMER, REARM) : List.of(units);
        return "journalctl -o cat" + (cursor == null ? "" : " --after-cursor='" + cursor + "'") + " -u "
                + String.join(" -u ", named);
    }

    /** The four units' journal lines after the cursor (taken of the four). */
    private static String journal(String cursor) {
        return inside(journalctl(cursor));
    }

    /**
     * Returns once a cool-down and the timer's accuracy have passed since now: a transient timer started
     * now, set one cool-down and a second (ten times the accuracy) ahead, has fired (a re-arm whose timer
     * started before it would have come first).
     */
    private static void afterACoolDown(String name) {
        String mark = "/run/vpcha-cool-down-" + name;
        inside("systemd-run --quiet --unit=vpcha-cool-down-" + name + " --on-active=" + (COOL_DOWN_SECONDS + 1)
                + "s --timer-property=AccuracySec=10ms /usr/bin/touch " + mark + " && "
                + awaitThat("test -e " + mark));
    }

    /** A shell command that waits (at most 30 s) until the unit's property has the value. */
    private static String await(String unit, String property, String value) {
        return awaitThat("[ \"$(systemctl show -P " + property + " " + unit + ")\" = " + value + " ]");
    }

    private static String awaitFile(String file) {
        return awaitThat("test -s " + file);
    }

    private static String awaitThat(String condition) {
        return "{ n=0; until " + condition + "; do n=$((n+1)); [ $n -lt 600 ] || { echo 'not within 30 s: "
                + condition.replace("'", "") + "' >&2; exit 1; }; sleep 0.05; done; }";
    }

    /** Runs {@code script} inside (sh -c), asserts it succeeded, returns its standard output, stripped. */
    private static String inside(String script) {
        Command.Result result = Command.of(SCRIPT.toString(), "run", work.toString(), "sh", "-c", script)
                .timeout(Duration.ofMinutes(1))
                .run();
        assertThat(result.exitCode()).as("%s\n%s", script, result).isZero();
        return result.stdout().strip();
    }
}
