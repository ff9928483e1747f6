package io.vpcha.simulator.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.scenario.Scenario;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TestTcpProxy {
    @Test
    void countsConnectionsAndRequestAnswerTurns() throws Exception {
        try (VpcSimulator simulator = VpcSimulator.start(Scenario.threeZone());
                TcpProxy proxy = TcpProxy.start(simulator.iamUrl(), Duration.ZERO)) {
            URI url = proxy.url(simulator.adminUrl());
            assertThat(url.getPath()).isEqualTo("/sim");
            assertThat(url.getPort()).isEqualTo(proxy.address().getPort());
            WireCounts before = proxy.counts();

            try (Socket socket = new Socket(url.getHost(), url.getPort())) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                for (int i = 0; i < 3; i++) {
                    out.write(("GET /sim/health HTTP/1.1\r\nHost: " + url.getHost() + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    assertThat(in.readLine()).startsWith("HTTP/1.1 200");
                    skipAnswer(in);
                }
            }
            try (Socket second = new Socket(url.getHost(), url.getPort())) {
                second.getOutputStream()
                        .write("GET /sim/health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                second.setSoTimeout(10_000);
                assertThat(second.getInputStream().read()).isEqualTo('H');
            }

            WireCounts cost = proxy.counts().minus(before);
            assertThat(cost.connections()).isEqualTo(2);
            assertThat(cost.turns()).isEqualTo(4);
            assertThat(cost.roundTrips()).isEqualTo(6);
            assertThat(cost.bytesToServer()).isPositive();
            assertThat(cost.bytesToClient()).isGreaterThan(cost.bytesToServer());
        }
    }

    @Test
    void aConnectionsFirstAnswerTakesTwoRoundTripsAndEveryLaterOneOne() {
        Duration rtt = Duration.ofMillis(60);

        RttProbe probe = RttProbe.measure(rtt, 3);

        // lower bounds only: a busy machine may add time, the proxy must never take any away
        assertThat(probe.connectAndFirstAnswer()).isGreaterThanOrEqualTo(rtt.multipliedBy(2));
        assertThat(probe.answerOnOpenConnection()).isGreaterThanOrEqualTo(rtt);
        assertThat(probe.toString()).contains("RTT 60 ms");
        assertThat(RttProbe.measure(Duration.ZERO, 1).matches(Duration.ofSeconds(5)))
                .isTrue();
    }

    @Test
    void aHalfCloseReachesTheServerAndItsLastWordsTheClient() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
                TcpProxy proxy = TcpProxy.start(
                        new InetSocketAddress(server.getInetAddress(), server.getLocalPort()), Duration.ofMillis(5))) {
            Thread peer = new Thread(() -> {
                try (Socket accepted = server.accept()) {
                    byte[] request = accepted.getInputStream().readAllBytes(); // until the client's half-close
                    accepted.getOutputStream().write(("got " + request.length).getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                    // the assertion below fails instead
                }
            });
            peer.setDaemon(true);
            peer.start();
            try (Socket client = new Socket()) {
                client.connect(proxy.address(), 5_000);
                client.setSoTimeout(10_000);
                client.getOutputStream().write(new byte[100_000]);
                client.shutdownOutput();
                InputStream in = client.getInputStream();
                assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII))
                        .isEqualTo("got 100000");
            }
        }
    }

    private static void skipAnswer(BufferedReader in) throws IOException {
        int length = 0;
        for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        assertThat(in.skip(length)).isEqualTo(length);
    }
}
