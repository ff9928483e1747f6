package io.vpcha.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * socket started again by hand. Needs root.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SystemdUnitsIT {
    private static final Path SCRIPT = Path.of(System.getProperty("vpcha.underSystemd"));
    private static final String SOCKET = "vpc-ha-agent.socket";
    private static final String SERVICE = "vpc-ha-agent.service";
    /** A connection without a request, as the launcher's watchdog makes it: the service takes it quietly. */
    private static final String CONNECT = "socat -u /dev/null UNIX-CONNECT:/run/vpc-ha/agent.sock,connect-timeout=2";

    @TempDir
    static Path work;

    private static Path dropIns;

    @BeforeAll
    static void boot() {
        assertThat(System.getProperty("user.name"))
                .as("the test runs systemd as PID 1 of new namespaces: run it as root")
                .isEqualTo("root");
        Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/lib/systemd/systemd")), "systemd (the Debian package) is not installed");
        dropIns = work.resolve("units/" + SERVICE + ".d");
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
                        + work.resolve("units/" + SERVICE) + " 2>&1 && echo verified"))
                .as("not a word but ours")
                .isEqualTo("verified");
        assertThat(inside("systemctl start " + SOCKET + " && stat -c '%a %U' /run/vpc-ha /run/vpc-ha/agent.sock"))
                .isEqualTo("700 root\n600 root");
        assertThat(inside("systemctl show -P StartLimitIntervalUSec " + SERVICE + "; systemctl show -P StartLimitBurst "
                        + SERVICE))
                .as("the brake, whatever the node's DefaultStartLimit*")
                .isEqualTo("10s\n5");
    }

    @Test
    @Order(2)
    void aConnectionStartsTheServiceWhichEndsWhenIdleAndSaysSoInTheJournal() throws IOException {
        dropIn("idle.conf", "[Service]\nExecStart=\nExecStart=/usr/lib/vpc-ha/bin/vpc-ha agent-serve --inherited 1\n");
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
        Files.delete(dropIns.resolve("idle.conf"));
        inside("systemctl daemon-reload");
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
        dropIn("crash.conf", "[Service]\nEnvironment=VPC_HA_JAVA_OPTS=-Xmx1k\n");
        String cursor = inside("systemctl daemon-reload && systemctl start " + SOCKET + " && journalctl -u " + SERVICE
                + " -n 0 --show-cursor -o cat | sed -n 's/^-- cursor: //p'");

        inside(CONNECT + " && " + await(SOCKET, "ActiveState", "failed") + " && "
                + awaitThat("journalctl -o cat -u " + SOCKET + " | grep -q service-start-limit-hit"));
        assertThat(inside("systemctl show -P Result " + SOCKET)).isEqualTo("service-start-limit-hit");
        assertThat(inside("journalctl -o cat -u " + SERVICE + " --after-cursor='" + cursor + "' | grep -c '^Started '"))
                .as("one connection, never accepted, started it back to back until the limit")
                .isEqualTo("5");
        assertThat(inside("test -e /run/vpc-ha/agent.sock || echo gone"))
                .as("no socket: the launcher runs monitors cold without trying it")
                .isEqualTo("gone");
        assertThat(inside("systemctl is-system-running || true")).isEqualTo("degraded");

        Files.delete(dropIns.resolve("crash.conf"));
        assertThat(inside("systemctl daemon-reload && systemctl start " + SOCKET + " && " + CONNECT + " && "
                        + await(SERVICE, "ActiveState", "active") + " && systemctl is-active " + SOCKET))
                .as("systemctl start vpc-ha-agent.socket is all it takes")
                .isEqualTo("active");
    }

    private static void dropIn(String name, String text) throws IOException {
        Files.createDirectories(dropIns);
        Files.writeString(dropIns.resolve(name), text);
        inside("systemctl daemon-reload");
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
