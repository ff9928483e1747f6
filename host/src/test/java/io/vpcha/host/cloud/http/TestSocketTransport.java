package io.vpcha.host.cloud.http;

import static io.vpcha.host.testing.Secrets.neverShown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.scenario.Scenario;
import io.vpcha.simulator.wire.TcpProxy;
import io.vpcha.simulator.wire.WireCounts;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The action's HTTP/1.1 client: connections counted on the server side (a {@link TcpProxy} in front of
 * the simulator, or a scripted server), answers framed every way HTTP/1.1 allows, and failures.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TestSocketTransport {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path work;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    @Test
    void everyMethodPatchIncludedTravelsOnOneConnection() throws Exception {
        VpcSimulator simulator = keep(VpcSimulator.builder()
                .scenario(Scenario.threeZone())
                .https(true)
                .caCertificateFile(work.resolve("ca.pem"))
                .start());
        TcpProxy proxy = keep(TcpProxy.start(simulator.iamUrl(), Duration.ZERO));
        SocketTransport transport = keep(new SocketTransport(Optional.of(simulator.caCertificate())));
        URI vpc = proxy.url(simulator.vpcUrl());
        URI iam = proxy.url(simulator.iamUrl());

        List<Integer> statuses = new ArrayList<>();
        statuses.add(transport
                .execute(call("GET", vpc + "/floating_ips?version=2026-03-24&generation=2"), TIMEOUT)
                .status());
        statuses.add(transport
                .execute(
                        new HttpCall(
                                "POST",
                                URI.create(iam + "/identity/token"),
                                Map.of("Content-Type", "application/x-www-form-urlencoded"),
                                Optional.of("grant_type=x".getBytes(StandardCharsets.US_ASCII))),
                        TIMEOUT)
                .status());
        statuses.add(transport
                .execute(
                        new HttpCall(
                                "PATCH",
                                URI.create(vpc + "/floating_ips/r006-x?version=2026-03-24&generation=2"),
                                Map.of("Content-Type", "application/merge-patch+json"),
                                Optional.of("{}".getBytes(StandardCharsets.US_ASCII))),
                        TIMEOUT)
                .status());
        statuses.add(transport
                .execute(
                        call("DELETE", vpc + "/vpcs/x/routing_tables/y/routes/z?version=2026-03-24&generation=2"),
                        TIMEOUT)
                .status());
        statuses.add(transport
                .execute(call("GET", vpc + "/floating_ips?version=2026-03-24&generation=2"), TIMEOUT)
                .status());

        // no token was sent: the API refuses every call, but each was answered
        assertThat(statuses).allSatisfy(status -> assertThat(status).isBetween(400, 499));
        WireCounts counts = proxy.counts();
        assertThat(counts.connections()).as("connections for 5 requests").isEqualTo(1);
        assertThat(counts.turns())
                .as("TLS handshake, then one turn per request")
                .isGreaterThanOrEqualTo(6);
        assertThat(simulator.journal().entries()).hasSize(5);
    }

    @Test
    void requestsAtTheSameTimeOpenAsManyConnectionsAsRunAndLaterOnesReuseThem() throws Exception {
        CountDownLatch allThreeArrived = new CountDownLatch(3);
        ScriptedServer server = keep(new ScriptedServer((request, out) -> {
            allThreeArrived.countDown();
            // nobody gets an answer before all three requests are in: none can reuse another's connection
            if (!allThreeArrived.await(10, TimeUnit.SECONDS)) {
                throw new IOException("the three requests did not run at the same time");
            }
            answer(out, "200 OK", "Content-Length: 2", "ok");
        }));
        SocketTransport transport = keep(new SocketTransport(Optional.empty()));
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            List<Future<HttpResult>> results = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                results.add(threads.submit(() -> transport.execute(call("GET", server.url("/parallel")), TIMEOUT)));
            }
            for (Future<HttpResult> result : results) {
                assertThat(result.get(20, TimeUnit.SECONDS).body()).isEqualTo("ok");
            }
        } finally {
            threads.shutdownNow();
        }
        for (int i = 0; i < 5; i++) {
            assertThat(transport
                            .execute(call("GET", server.url("/after")), TIMEOUT)
                            .body())
                    .isEqualTo("ok");
        }

        assertThat(server.connections.get()).isEqualTo(3);
        assertThat(server.requests).hasSize(8);
    }

    @Test
    void connectionsPreparedForARoundAreOpenedBeforeItAndCarryItsRequestsWithoutOneMore() throws Exception {
        CountDownLatch roundArrived = new CountDownLatch(3);
        ScriptedServer server = keep(new ScriptedServer((request, out) -> {
            if (request.path().equals("/round")) {
                roundArrived.countDown();
                // the round's three requests run at the same time: none can reuse another's connection
                if (!roundArrived.await(10, TimeUnit.SECONDS)) {
                    throw new IOException("the round's requests did not run at the same time");
                }
            }
            answer(out, "200 OK", "Content-Length: 2", "ok");
        }));
        SocketTransport transport = keep(new SocketTransport(Optional.empty()));

        transport.prepare(URI.create(server.url("/")), 3, TIMEOUT);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (server.connections.get() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(1); // polls the server's count until the deadline; no request is sent meanwhile
        }
        assertThat(server.connections.get())
                .as("opened ahead, before any request")
                .isEqualTo(3);
        assertThat(server.requests).isEmpty();

        assertThat(transport.execute(call("GET", server.url("/read")), TIMEOUT).body())
                .isEqualTo("ok");
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            List<Future<HttpResult>> results = new ArrayList<>();
            results.add(threads.submit(() -> transport.execute(
                    new HttpCall(
                            "POST",
                            URI.create(server.url("/round")),
                            Map.of("Content-Type", "application/json"),
                            Optional.of("{}".getBytes(StandardCharsets.US_ASCII))),
                    TIMEOUT)));
            for (int i = 0; i < 2; i++) {
                results.add(threads.submit(() -> transport.execute(call("GET", server.url("/round")), TIMEOUT)));
            }
            for (Future<HttpResult> result : results) {
                assertThat(result.get(20, TimeUnit.SECONDS).body()).isEqualTo("ok");
            }
        } finally {
            threads.shutdownNow();
        }
        transport.prepare(URI.create(server.url("/")), 2, TIMEOUT);
        assertThat(transport.execute(call("GET", server.url("/after")), TIMEOUT).body())
                .isEqualTo("ok");

        assertThat(server.connections.get())
                .as("the three prepared carried every request; a round no wider than those open opens none")
                .isEqualTo(3);
        assertThat(server.requests).hasSize(5);
    }

    @Test
    void aConnectionThatCannotBeOpenedAheadFailsOnlyTheRequestThatWouldUseIt() throws Exception {
        int port;
        try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = unused.getLocalPort();
        }
        SocketTransport transport = keep(new SocketTransport(Optional.empty()));
        URI nobody = URI.create("http://127.0.0.1:" + port + "/x");

        transport.prepare(nobody, 2, TIMEOUT);

        assertThatThrownBy(() -> transport.execute(call("GET", nobody.toString()), TIMEOUT))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void answersAreFramedByLengthByChunksOrByTheEndOfTheConnection() throws Exception {
        ScriptedServer server = keep(new ScriptedServer((request, out) -> {
            switch (request.path()) {
                case "/length" -> answer(out, "200 OK", "Content-Length: 5", request.isHead() ? "" : "hello");
                case "/chunked" ->
                    out.write(lines(
                            "HTTP/1.1 200 OK",
                            "Transfer-Encoding: chunked",
                            "",
                            "5;name=value",
                            "hello",
                            "7",
                            ", world",
                            "0",
                            "Trailer-Field: x",
                            "",
                            ""));
                case "/interim" ->
                    out.write(lines(
                            "HTTP/1.1 100 Continue",
                            "",
                            "HTTP/1.1 103 Early Hints",
                            "Link: x",
                            "",
                            "HTTP/1.1 201 Created",
                            "Content-Length: 2",
                            "X-Request-Id: abc",
                            "",
                            "ok"));
                case "/no-content" -> out.write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                case "/folded" -> answer(out, "200 OK", "Content-Length: 0\r\nX-Folded: a\r\n  b", "");
                case "/close" -> answer(out, "200 OK", "Content-Length: 3\r\nConnection: close", "bye");
                case "/until-end" -> {
                    out.write("HTTP/1.1 200 OK\r\n\r\nto the end".getBytes(StandardCharsets.US_ASCII));
                    throw new EOFException("answer ends with the connection");
                }
                default -> answer(out, "404 Not Found", "Content-Length: 0", "");
            }
        }));
        SocketTransport transport = keep(new SocketTransport(Optional.empty()));

        assertThat(transport
                        .execute(call("GET", server.url("/length")), TIMEOUT)
                        .body())
                .isEqualTo("hello");
        assertThat(transport
                        .execute(call("GET", server.url("/chunked")), TIMEOUT)
                        .body())
                .isEqualTo("hello, world");
        HttpResult interim = transport.execute(call("GET", server.url("/interim")), TIMEOUT);
        assertThat(interim.status()).isEqualTo(201);
        assertThat(interim.body()).isEqualTo("ok");
        assertThat(interim.header("x-request-id")).hasValue("abc");
        assertThat(transport
                        .execute(call("DELETE", server.url("/no-content")), TIMEOUT)
                        .status())
                .isEqualTo(204);
        assertThat(transport
                        .execute(call("HEAD", server.url("/length")), TIMEOUT)
                        .body())
                .isEmpty();
        assertThat(transport
                        .execute(call("GET", server.url("/folded")), TIMEOUT)
                        .header("X-Folded"))
                .hasValue("a b");
        assertThat(server.connections.get()).as("all of that on one connection").isEqualTo(1);

        assertThat(transport.execute(call("GET", server.url("/close")), TIMEOUT).body())
                .isEqualTo("bye");
        assertThat(transport
                        .execute(call("GET", server.url("/until-end")), TIMEOUT)
                        .body())
                .isEqualTo("to the end");
        assertThat(transport
                        .execute(call("GET", server.url("/length")), TIMEOUT)
                        .body())
                .isEqualTo("hello");
        assertThat(server.connections.get())
                .as("an answer that closes its connection is followed by a new one")
                .isEqualTo(3);
        assertThat(server.requests.get(0))
                .startsWith("GET /length HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nUser-Agent: vpc-ha");
    }

    @Test
    void aConnectionTheServerClosedWhileIdleIsReplacedForAGetButAPostIsNotSentTwice() throws Exception {
        ScriptedServer server = keep(new ScriptedServer((request, out) -> {
            answer(out, "200 OK", "Content-Length: 2", "ok");
            throw new EOFException("the server closes every connection after one answer, without saying so");
        }));
        SocketTransport transport = keep(new SocketTransport(Optional.empty()));
        assertThat(transport.execute(call("GET", server.url("/first")), TIMEOUT).body())
                .isEqualTo("ok");
        server.awaitOneClosed();

        assertThat(transport.execute(call("GET", server.url("/again")), TIMEOUT).body())
                .isEqualTo("ok");
        assertThat(server.requests).hasSize(2);
        assertThat(server.connections.get()).isEqualTo(2);
        server.awaitOneClosed();

        HttpCall post = new HttpCall(
                "POST",
                URI.create(server.url("/create")),
                Map.of(),
                Optional.of("{}".getBytes(StandardCharsets.US_ASCII)));
        assertThatThrownBy(() -> transport.execute(post, TIMEOUT)).isInstanceOf(IOException.class);
        assertThat(server.requests).as("the POST was never sent again").hasSize(2);
        assertThat(transport.execute(post, TIMEOUT).body())
                .as("the caller may send it again: on a new connection")
                .isEqualTo("ok");
    }

    @Test
    void anAnswerTricklingInIsCutOffAtTheTimeout() throws Exception {
        ScriptedServer server = keep(new ScriptedServer((request, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 100; i++) {
                out.write('x');
                out.flush();
                Thread.sleep(100);
            }
        }));
        SocketTransport transport = keep(new SocketTransport(Optional.empty()));
        Instant start = Instant.now();

        assertThatThrownBy(() -> transport.execute(call("GET", server.url("/slow")), Duration.ofMillis(700)))
                .isInstanceOf(SocketTimeoutException.class);
        assertThat(Duration.between(start, Instant.now()))
                .as("every read waits only for what is left of the request's time")
                .isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void brokenAnswersAreProtocolErrorsAndTheirConnectionIsDropped() throws Exception {
        ScriptedServer server = keep(new ScriptedServer((request, out) -> {
            switch (request.path()) {
                case "/conflict" -> answer(out, "200 OK", "Content-Length: 2\r\nContent-Length: 3", "abc");
                case "/huge" -> answer(out, "200 OK", "Content-Length: " + (Http1Codec.MAX_BODY + 1L), "");
                case "/gzip" -> answer(out, "200 OK", "Content-Length: 2\r\nContent-Encoding: gzip", "xx");
                case "/bad-chunk" ->
                    out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                case "/short" -> {
                    answer(out, "200 OK", "Content-Length: 10", "abc");
                    throw new EOFException("closed early");
                }
                default -> out.write("SSH-2.0-OpenSSH\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        }));
        SocketTransport transport = keep(new SocketTransport(Optional.empty()));

        for (String path : List.of("/conflict", "/huge", "/gzip", "/bad-chunk", "/not-http")) {
            assertThatThrownBy(() -> transport.execute(call("GET", server.url(path)), TIMEOUT))
                    .as(path)
                    .isInstanceOf(ProtocolException.class);
        }
        assertThatThrownBy(() -> transport.execute(call("GET", server.url("/short")), TIMEOUT))
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("after 3 of the answer's 10 bytes");
        assertThat(server.connections.get())
                .as("no broken connection is reused")
                .isEqualTo(6);
    }

    @Test
    void aHeaderValueCannotAddHeadersAndIsNeverEchoed() throws Exception {
        ScriptedServer server =
                keep(new ScriptedServer((request, out) -> answer(out, "200 OK", "Content-Length: 0", "")));
        SocketTransport transport = keep(new SocketTransport(Optional.empty()));
        HttpCall injected = new HttpCall(
                "GET",
                URI.create(server.url("/x")),
                Map.of("Authorization", "Bearer secret-token\r\nX-Evil: 1"),
                Optional.empty());

        assertThatThrownBy(() -> transport.execute(injected, TIMEOUT))
                .isInstanceOfSatisfying(
                        IllegalArgumentException.class,
                        e -> assertThat(neverShown(e.getMessage(), "secret-token"))
                                .contains("Authorization"));
        assertThat(server.requests).isEmpty();
    }

    @Test
    void theServersCertificateMustNameTheHostOfTheUrl() throws Exception {
        VpcSimulator simulator = keep(VpcSimulator.builder()
                .scenario(Scenario.threeZone())
                .https(true)
                .caCertificateFile(work.resolve("ca.pem"))
                .start());
        // the certificate names localhost, 127.0.0.1 and ::1; the proxy makes the same server reachable as 127.0.0.2
        TcpProxy otherName = keep(TcpProxy.start(
                InetAddress.getByName("127.0.0.2"),
                new InetSocketAddress(
                        InetAddress.getLoopbackAddress(), simulator.vpcUrl().getPort()),
                Duration.ZERO));
        SocketTransport transport = keep(new SocketTransport(Optional.of(simulator.caCertificate())));
        String path = "/v1/floating_ips?version=2026-03-24&generation=2";

        assertThat(transport
                        .execute(
                                call(
                                        "GET",
                                        "https://localhost:"
                                                + simulator.vpcUrl().getPort() + path),
                                TIMEOUT)
                        .status())
                .isEqualTo(401);
        int answered = simulator.journal().entries().size();
        assertThatThrownBy(() ->
                        transport.execute(call("GET", otherName.url(simulator.vpcUrl()) + "/floating_ips"), TIMEOUT))
                .isInstanceOf(SSLPeerUnverifiedException.class)
                .hasMessageStartingWith("the server's certificate is not valid for 127.0.0.2: it names ");
        // checked before the request was written: the server never saw it
        assertThat(simulator.journal().entries()).hasSize(answered);
    }

    private static HttpCall call(String method, String url) {
        return new HttpCall(method, URI.create(url), Map.of("Accept", "application/json"), Optional.empty());
    }

    /** Lines joined by CR LF, as bytes. */
    private static byte[] lines(String... lines) {
        return String.join("\r\n", lines).getBytes(StandardCharsets.US_ASCII);
    }

    static void answer(OutputStream out, String status, String headers, String body) throws IOException {
        out.write(("HTTP/1.1 " + status + "\r\n" + headers + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    /** What a scripted server does with one request: write an answer, or throw to close the connection. */
    @FunctionalInterface
    interface Script {
        void answer(Request request, OutputStream out) throws Exception;
    }

    /** A request as received: its head (request line and headers) and body. */
    record Request(String head, String body) {
        String path() {
            return head.split(" ", 3)[1];
        }

        boolean isHead() {
            return head.startsWith("HEAD ");
        }
    }

    /** An HTTP/1.1 server on loopback that answers as scripted, counting connections and requests. */
    static final class ScriptedServer implements AutoCloseable {
        final AtomicInteger connections = new AtomicInteger();
        final Semaphore closed = new Semaphore(0);
        final List<String> requests = new CopyOnWriteArrayList<>();
        private final ServerSocket listener;
        private final Script script;

        ScriptedServer(Script script) throws IOException {
            this.script = script;
            this.listener = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::accept, "scripted-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        String url(String path) {
            return "http://127.0.0.1:" + port() + path;
        }

        /** Waits until this server has closed one more connection. */
        void awaitOneClosed() throws InterruptedException {
            assertThat(closed.tryAcquire(10, TimeUnit.SECONDS))
                    .as("a connection closed")
                    .isTrue();
        }

        private void accept() {
            while (!listener.isClosed()) {
                try {
                    Socket socket = listener.accept();
                    connections.incrementAndGet();
                    Thread connection = new Thread(() -> serve(socket), "scripted-connection");
                    connection.setDaemon(true);
                    connection.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket socket) {
            try (socket) {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                while (true) {
                    Request request = read(in);
                    if (request == null) {
                        return;
                    }
                    requests.add(request.head() + request.body());
                    script.answer(request, out);
                    out.flush();
                }
            } catch (Exception e) {
                // the script closes the connection by throwing
            } finally {
                closed.release();
            }
        }

        private static Request read(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int[] total = {0};
            String line = Http1Codec.readLine(in, total);
            if (line == null) {
                return null;
            }
            int length = 0;
            while (!line.isEmpty()) {
                head.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(line.substring(15).strip());
                }
                line = Http1Codec.readLine(in, total);
            }
            head.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            return new Request(head.toString(StandardCharsets.ISO_8859_1), body);
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
