package io.vpcha.simulator.wire;

/**
 * What went through a {@link TcpProxy}: connections accepted; turns, each an answer from the server
 * after the client spoke on a connection (an HTTP request and its answer, a TLS handshake flight and
 * its answer); bytes each way. Round trips on the wire are connections (each a TCP handshake) plus
 * turns; requests made in parallel add up here but overlap in time.
 */
public record WireCounts(long connections, long turns, long bytesToServer, long bytesToClient) {
    /** What happened since {@code earlier}. */
    public WireCounts minus(WireCounts earlier) {
        return new WireCounts(
                connections - earlier.connections,
                turns - earlier.turns,
                bytesToServer - earlier.bytesToServer,
                bytesToClient - earlier.bytesToClient);
    }

    /** Both together (e.g. several proxies). */
    public WireCounts plus(WireCounts other) {
        return new WireCounts(
                connections + other.connections,
                turns + other.turns,
                bytesToServer + other.bytesToServer,
                bytesToClient + other.bytesToClient);
    }

    /** TCP handshakes plus request/answer turns. */
    public long roundTrips() {
        return connections + turns;
    }
}
