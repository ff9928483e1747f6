package io.vpcha.host.cloud;

import io.vpcha.host.cloud.auth.TokenMemory;
import io.vpcha.host.cloud.http.KeptConnections;
import java.util.Objects;

/**
 * What a long-lived JVM (the resident accelerator) keeps of the cloud across actions: idle connections
 * per endpoint and trust ({@link KeptConnections}) and tokens per credential ({@link TokenMemory}).
 * Nothing here is the only copy of anything: tokens are still written to the token cache on refresh,
 * and a lost connection is only opened again. A cold action has none and keeps nothing.
 */
public final class ResidentCloud implements AutoCloseable {
    private final KeptConnections connections;
    private final TokenMemory tokens = new TokenMemory();

    public ResidentCloud() {
        this(new KeptConnections());
    }

    public ResidentCloud(KeptConnections connections) {
        this.connections = Objects.requireNonNull(connections, "connections is null");
    }

    public KeptConnections connections() {
        return connections;
    }

    public TokenMemory tokens() {
        return tokens;
    }

    @Override
    public void close() {
        connections.close();
    }
}
