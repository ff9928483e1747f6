package io.vpcha.host.cloud;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.ComparisonSwitch;
import io.vpcha.host.cloud.auth.CredentialAuthenticator;
import io.vpcha.host.cloud.auth.TokenCache;
import io.vpcha.host.cloud.auth.TokenMemory;
import io.vpcha.host.cloud.http.CallExecutor;
import io.vpcha.host.cloud.http.CallObserver;
import io.vpcha.host.cloud.http.HttpCall;
import io.vpcha.host.cloud.http.HttpResult;
import io.vpcha.host.cloud.http.HttpTransport;
import io.vpcha.host.cloud.http.RetryPolicy;
import io.vpcha.host.cloud.http.SocketTransport;
import io.vpcha.host.cloud.http.SystemTrust;
import io.vpcha.host.cloud.metadata.MetadataClient;
import io.vpcha.host.cloud.vpc.VpcClient;
import io.vpcha.host.cloud.vpc.VpcHttp;
import io.vpcha.spi.cloud.CloudAccess;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.InstanceMetadata;
import io.vpcha.spi.cloud.VpcApi;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The host's cloud access for one action: one transport (a connection per endpoint, reused by every
 * request), one retry policy bounded by the action's deadline, one token cache, shared by the VPC
 * client and the metadata client. Nothing is contacted until a strategy makes its first call; closing
 * it closes the action's connections (in the resident accelerator: hands its idle ones on, {@link
 * ResidentCloud}).
 */
public final class HostCloudAccess implements CloudAccess, AutoCloseable {
    private final CloudSettings settings;
    private final MetadataClient metadata;
    private final VpcClient vpc;
    private final System.Logger log;
    private final CredentialAuthenticator authenticator;
    private final HttpTransport transport;
    private URI vpcUrl;

    /**
     * @param secretSink told every secret met (keys, tokens), so that logs can mask them
     */
    public HostCloudAccess(
            CloudSettings settings, Supplier<Instant> deadline, System.Logger log, Consumer<String> secretSink) {
        this(settings, deadline, log, secretSink, WriteGate.OPEN, CallObserver.NONE);
    }

    /**
     * @param writeGate asked before every VPC API call that changes something
     * @param observer told of every request and retry (an action's metrics)
     */
    public HostCloudAccess(
            CloudSettings settings,
            Supplier<Instant> deadline,
            System.Logger log,
            Consumer<String> secretSink,
            WriteGate writeGate,
            CallObserver observer) {
        this(settings, deadline, log, secretSink, writeGate, observer, Optional.empty());
    }

    /**
     * @param resident what a long-lived JVM keeps across actions (connections, tokens); empty for a cold
     *     action, whose connections and tokens end with it
     */
    public HostCloudAccess(
            CloudSettings settings,
            Supplier<Instant> deadline,
            System.Logger log,
            Consumer<String> secretSink,
            WriteGate writeGate,
            CallObserver observer,
            Optional<ResidentCloud> resident) {
        this(
                settings,
                deadline,
                log,
                secretSink,
                transport(settings, resident),
                writeGate,
                observer,
                resident.map(ResidentCloud::tokens).orElseGet(TokenMemory::new));
    }

    HostCloudAccess(
            CloudSettings settings,
            Supplier<Instant> deadline,
            System.Logger log,
            Consumer<String> secretSink,
            HttpTransport transport) {
        this(settings, deadline, log, secretSink, transport, WriteGate.OPEN, CallObserver.NONE, new TokenMemory());
    }

    HostCloudAccess(
            CloudSettings settings,
            Supplier<Instant> deadline,
            System.Logger log,
            Consumer<String> secretSink,
            HttpTransport transport,
            WriteGate writeGate,
            CallObserver observer,
            TokenMemory tokens) {
        this.settings = requireNonNull(settings, "settings is null");
        this.log = requireNonNull(log, "log is null");
        this.transport = requireNonNull(transport, "transport is null");
        RetryPolicy policy = RetryPolicy.defaults(settings.maxAttempts(), settings.requestTimeout());
        CallExecutor executor = new CallExecutor(transport, policy, deadline, log).observedBy(observer);
        TokenCache cache =
                new TokenCache(Optional.of(settings.tokenCacheDirectory()), deadline, log, secretSink, tokens);
        this.metadata = new MetadataClient(settings.metadataUrl(), settings.metadataApiVersion(), executor, cache);
        this.authenticator = new CredentialAuthenticator(
                settings.credentialChoice(),
                settings.iamUrl(),
                settings.metadataUrl(),
                executor,
                metadata,
                cache,
                secretSink);
        VpcHttp http = new VpcHttp(
                this::vpcUrl, settings.apiVersion(), settings.pageLimit(), executor, authenticator, writeGate);
        this.vpc = new VpcClient(http, policy, deadline, log);
        log.log(Level.DEBUG, () -> "cloud access with " + authenticator.describe());
    }

    /**
     * Obtains a token for the configured credentials, from this node's token cache while it is fresh,
     * else from IAM: proves the credentials without a VPC request, and renews a token past most of its
     * life, so that the next action (a promotion) finds a fresh one and asks IAM nothing.
     */
    public void warmToken() throws CloudException {
        authenticator.token(Optional.empty());
    }

    /** Whether the configuration names the VPC endpoint, so that no action needs the metadata service for it. */
    public boolean endpointConfigured() {
        return settings.vpcUrl().isPresent() || settings.region().isPresent();
    }

    @Override
    public VpcApi vpc() {
        return vpc;
    }

    @Override
    public InstanceMetadata metadata() {
        return metadata;
    }

    /** Closes the action's connections. */
    @Override
    public void close() {
        transport.close();
    }

    private static HttpTransport transport(CloudSettings settings, Optional<ResidentCloud> resident) {
        SystemTrust systemTrust = SystemTrust.cachedIn(settings.tokenCacheDirectory());
        SocketTransport sockets = resident.isPresent()
                ? new SocketTransport(
                        settings.caFile(), systemTrust, resident.get().connections())
                : new SocketTransport(settings.caFile(), systemTrust);
        if (ComparisonSwitch.CONNECT_AHEAD.on()) {
            return sockets;
        }
        // every connection opened by the request that needs it, as before strategies could say a round
        // was coming: to compare (bench/), or to rule opening ahead out
        return new HttpTransport() {
            @Override
            public HttpResult execute(HttpCall call, Duration timeout) throws IOException {
                return sockets.execute(call, timeout);
            }

            @Override
            public void close() {
                sockets.close();
            }
        };
    }

    /** The configured endpoint, else the one of the region set, else of this instance's region. */
    private synchronized URI vpcUrl() throws CloudException {
        if (vpcUrl == null) {
            if (settings.vpcUrl().isPresent()) {
                vpcUrl = settings.vpcUrl().get();
            } else {
                String region = settings.region().isPresent()
                        ? settings.region().get()
                        : CloudSettings.regionOfZone(metadata.instance().zone());
                vpcUrl = settings.vpcUrlOfRegion(region);
                log.log(Level.DEBUG, () -> "VPC API endpoint " + vpcUrl);
            }
        }
        return vpcUrl;
    }
}
