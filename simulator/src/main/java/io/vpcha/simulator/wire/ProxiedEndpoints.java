package io.vpcha.simulator.wire;

import static java.util.Objects.requireNonNull;

import io.vpcha.simulator.VpcSimulator;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A simulator's services behind {@link TcpProxy}s, laid out as in IBM Cloud: the VPC API and IAM are
 * separate hosts there (one listener here), so each gets its own proxy and a client needs its own
 * connections to each; every instance's metadata service gets one too, without added delay (it runs
 * on the instance's host). Counts what each endpoint carried.
 */
public final class ProxiedEndpoints implements AutoCloseable {
    private final VpcSimulator simulator;
    private final TcpProxy vpc;
    private final TcpProxy iam;
    private final Map<String, TcpProxy> metadata = new LinkedHashMap<>();

    private ProxiedEndpoints(VpcSimulator simulator, Duration rtt) {
        this.simulator = requireNonNull(simulator, "simulator is null");
        this.vpc = TcpProxy.start(simulator.vpcUrl(), rtt);
        this.iam = TcpProxy.start(simulator.iamUrl(), rtt);
        simulator.metadataUrlsByName().forEach((name, url) -> metadata.put(name, TcpProxy.start(url, Duration.ZERO)));
    }

    /**
     * Proxies for the VPC API and IAM adding {@code rtt}, and for each instance's own metadata listener
     * (the simulator needs {@code perInstanceMetadata(true)}).
     */
    public static ProxiedEndpoints start(VpcSimulator simulator, Duration rtt) {
        return new ProxiedEndpoints(simulator, rtt);
    }

    public URI vpcUrl() {
        return vpc.url(simulator.vpcUrl());
    }

    public URI iamUrl() {
        return iam.url(simulator.iamUrl());
    }

    /** The metadata service of an instance (by name), through its proxy. */
    public URI metadataUrlFor(String instanceName) {
        TcpProxy proxy = metadata.get(instanceName);
        if (proxy == null) {
            throw new IllegalArgumentException("no metadata listener of its own for " + instanceName);
        }
        return proxy.url(simulator.metadataUrlFor(instanceName));
    }

    /** What every endpoint carried so far; the metadata proxies' counts summed. */
    public Counts counts() {
        WireCounts metadataCounts = new WireCounts(0, 0, 0, 0);
        for (TcpProxy proxy : metadata.values()) {
            metadataCounts = metadataCounts.plus(proxy.counts());
        }
        return new Counts(vpc.counts(), iam.counts(), metadataCounts);
    }

    @Override
    public void close() {
        vpc.close();
        iam.close();
        metadata.values().forEach(TcpProxy::close);
    }

    /** What each endpoint carried. */
    public record Counts(WireCounts vpc, WireCounts iam, WireCounts metadata) {
        public Counts minus(Counts earlier) {
            return new Counts(vpc.minus(earlier.vpc), iam.minus(earlier.iam), metadata.minus(earlier.metadata));
        }

        @Override
        public String toString() {
            return "connections: VPC " + vpc.connections() + ", IAM " + iam.connections() + ", metadata "
                    + metadata.connections();
        }
    }
}
