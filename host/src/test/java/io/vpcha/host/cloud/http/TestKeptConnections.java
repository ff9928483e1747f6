package io.vpcha.host.cloud.http;

import static io.vpcha.host.cloud.http.TestSocketTransport.answer;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.cloud.http.TestSocketTransport.ScriptedServer;
import java.io.EOFException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections kept across the actions of the resident accelerator: each action is a {@link
 * SocketTransport} of its own, closed when it ends, as an action's cloud access is; the server counts
 * the connections.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TestKeptConnections {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path work;

    /** How far the test moved the kept connections' clock past the system's. */
    private final AtomicLong advanced = new AtomicLong();

    private final KeptConnections kept =
            new KeptConnections(Duration.ofSeconds(30), () -> System.nanoTime() + advanced.get());
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        kept.close();
    }

    @Test
    void actionsOneAfterTheOtherShareOneConnection() throws Exception {
        ScriptedServer server =
                keep(new ScriptedServer((request, out) -> answer(out, "200 OK", "Content-Length: 2", "ok")));

        for (int action = 0; action < 5; action++) {
            try (SocketTransport transport = action()) {
                assertThat(transport
                                .execute(call("GET", server.url("/a")), TIMEOUT)
                                .body())
                        .isEqualTo("ok");
                assertThat(transport
                                .execute(call("GET", server.url("/b")), TIMEOUT)
                                .body())
                        .isEqualTo("ok");
            }
        }

        assertThat(server.requests).hasSize(10);
        assertThat(server.connections.get())
                .as("connections for 5 actions of 2 requests")
                .isEqualTo(1);
        assertThat(kept.idleCount()).isEqualTo(1);
        assertThat(kept.reusedCount()).as("the first request of actions 2 to 5").isEqualTo(4);
    }

    @Test
    void coldActionsKeepNothing() throws Exception {
        ScriptedServer server =
                keep(new ScriptedServer((request, out) -> answer(out, "200 OK", "Content-Length: 2", "ok")));

        for (int action = 0; action < 3; action++) {
            try (SocketTransport transport = new SocketTransport(Optional.empty())) {
                transport.execute(call("GET", server.url("/a")), TIMEOUT);
                transport.execute(call("GET", server.url("/b")), TIMEOUT);
            }
        }

        assertThat(server.connections.get()).as("one per action").isEqualTo(3);
    }

    @Test
    void aKeptConnectionTheServerClosedIsReplacedOnceForAnIdempotentRequest() throws Exception {
        ScriptedServer server = keep(new ScriptedServer((request, out) -> {
            answer(out, "200 OK", "Content-Length: 2", "ok");
            if (request.path().equals("/then-close")) {
                // closed after answering, without saying so: as a server whose idle timeout passed
                throw new EOFException("closing");
            }
        }));
        try (SocketTransport transport = action()) {
            transport.execute(call("GET", server.url("/then-close")), TIMEOUT);
        }
        server.awaitOneClosed();
        assertThat(kept.idleCount()).as("the client did not notice").isEqualTo(1);

        try (SocketTransport transport = action()) {
            HttpResult result = transport.execute(call("GET", server.url("/after")), TIMEOUT);
            assertThat(result.status()).isEqualTo(200);
            assertThat(transport
                            .execute(call("DELETE", server.url("/after")), TIMEOUT)
                            .status())
                    .isEqualTo(200);
        }

        assertThat(server.connections.get()).as("the closed one, then one new").isEqualTo(2);
        assertThat(server.requests).as("nothing sent twice to the server").hasSize(3);
        assertThat(kept.idleCount()).isEqualTo(1);
    }

    @Test
    void aPostOrPatchNeverRidesAConnectionThatWaitedBetweenActions() throws Exception {
        ScriptedServer server =
                keep(new ScriptedServer((request, out) -> answer(out, "200 OK", "Content-Length: 2", "ok")));
        try (SocketTransport transport = action()) {
            transport.execute(call("GET", server.url("/a")), TIMEOUT);
        }

        try (SocketTransport transport = action()) {
            transport.execute(write("PATCH", server.url("/route")), TIMEOUT);
            assertThat(server.connections.get())
                    .as("a new connection for the PATCH")
                    .isEqualTo(2);
            transport.execute(write("POST", server.url("/token")), TIMEOUT);
            assertThat(server.connections.get())
                    .as("the POST on the connection the PATCH opened in this action")
                    .isEqualTo(2);
        }
        assertThat(kept.idleCount()).as("both kept now").isEqualTo(2);

        try (SocketTransport transport = action()) {
            transport.execute(call("GET", server.url("/b")), TIMEOUT);
        }
        assertThat(server.connections.get()).isEqualTo(2);
    }

    @Test
    void aConnectionIdleLongerThanTheBoundIsClosedNotReused() throws Exception {
        ScriptedServer server =
                keep(new ScriptedServer((request, out) -> answer(out, "200 OK", "Content-Length: 2", "ok")));
        try (SocketTransport transport = action()) {
            transport.execute(call("GET", server.url("/a")), TIMEOUT);
        }
        advanced.addAndGet(Duration.ofSeconds(31).toNanos());
        kept.closeExpired();
        server.awaitOneClosed();
        assertThat(kept.idleCount()).isZero();

        try (SocketTransport transport = action()) {
            transport.execute(call("GET", server.url("/b")), TIMEOUT);
        }
        assertThat(server.connections.get()).isEqualTo(2);
    }

    @Test
    void theServersShorterKeepAliveBoundsTheWait() throws Exception {
        ScriptedServer server = keep(new ScriptedServer(
                (request, out) -> answer(out, "200 OK", "Content-Length: 2\r\nKeep-Alive: timeout=5", "ok")));
        try (SocketTransport transport = action()) {
            transport.execute(call("GET", server.url("/a")), TIMEOUT);
        }
        advanced.addAndGet(Duration.ofSeconds(6).toNanos());

        try (SocketTransport transport = action()) {
            transport.execute(call("GET", server.url("/b")), TIMEOUT);
        }
        assertThat(server.connections.get())
                .as("past the server's 5 s: a new one")
                .isEqualTo(2);
    }

    @Test
    void connectionsAreKeptPerTrustAndAChangedCaFileIsNotBypassed() throws Exception {
        ScriptedServer server =
                keep(new ScriptedServer((request, out) -> answer(out, "200 OK", "Content-Length: 2", "ok")));
        Path caFile = Files.writeString(work.resolve("ca.pem"), "one CA");
        try (SocketTransport transport = action()) {
            transport.execute(call("GET", server.url("/system-trust")), TIMEOUT);
        }
        try (SocketTransport transport = action(Optional.of(caFile))) {
            transport.execute(call("GET", server.url("/ca-file")), TIMEOUT);
        }
        assertThat(server.connections.get())
                .as("another trust: another connection")
                .isEqualTo(2);
        try (SocketTransport transport = action(Optional.of(caFile))) {
            transport.execute(call("GET", server.url("/ca-file")), TIMEOUT);
        }
        assertThat(server.connections.get()).as("the same trust: the kept one").isEqualTo(2);

        Files.writeString(caFile, "another CA, longer");
        try (SocketTransport transport = action(Optional.of(caFile))) {
            transport.execute(call("GET", server.url("/ca-file")), TIMEOUT);
        }
        assertThat(server.connections.get()).as("the file changed").isEqualTo(3);
    }

    private SocketTransport action() {
        return action(Optional.empty());
    }

    private SocketTransport action(Optional<Path> caFile) {
        return new SocketTransport(caFile, SystemTrust.uncached(), kept);
    }

    private static HttpCall call(String method, String url) {
        return new HttpCall(method, URI.create(url), Map.of("Accept", "application/json"), Optional.empty());
    }

    private static HttpCall write(String method, String url) {
        return new HttpCall(
                method,
                URI.create(url),
                Map.of("Content-Type", "application/json"),
                Optional.of("{}".getBytes(StandardCharsets.US_ASCII)));
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        toClose.add(closeable);
        return closeable;
    }
}
