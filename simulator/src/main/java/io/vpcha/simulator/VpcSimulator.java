package io.vpcha.simulator;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.vpcha.simulator.admin.AdminService;
import io.vpcha.simulator.events.EventLog;
import io.vpcha.simulator.fault.Faults;
import io.vpcha.simulator.http.Dispatcher;
import io.vpcha.simulator.http.Json;
import io.vpcha.simulator.iam.IamService;
import io.vpcha.simulator.iam.TokenService;
import io.vpcha.simulator.journal.RequestJournal;
import io.vpcha.simulator.lb.HealthChecks;
import io.vpcha.simulator.metadata.MetadataService;
import io.vpcha.simulator.oracle.ForwardingOracle;
import io.vpcha.simulator.scenario.Scenario;
import io.vpcha.simulator.scenario.ScenarioLoader;
import io.vpcha.simulator.state.Behaviour;
import io.vpcha.simulator.state.Instance;
import io.vpcha.simulator.state.SimulatorState;
import io.vpcha.simulator.time.ManualClock;
import io.vpcha.simulator.time.SimulatorClock;
import io.vpcha.simulator.time.Ticker;
import io.vpcha.simulator.tls.CertificateAuthority;
import io.vpcha.simulator.vpc.VpcJson;
import io.vpcha.simulator.vpc.VpcService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running simulation of IBM Cloud IAM, the regional VPC API and the instance metadata service.
 * <pre>{@code
 * try (VpcSimulator sim = VpcSimulator.start(SimulatorOptions.builder().scenario(Scenario.threeZone()).build())) {
 *     URI vpc = sim.vpcUrl();                        // http://127.0.0.1:PORT/v1
 *     Delivery d = sim.oracle().deliver("10.0.0.100", TrafficSource.fromZone("us-south-2"));
 * }
 * }</pre>
 * One listener serves IAM ({@code /identity/token}), the VPC API ({@code /v1/...}) and the admin API
 * ({@code /sim/...}); the metadata service has a shared listener (caller identified by source address)
 * and, by default, one listener per instance.
 */
public final class VpcSimulator implements AutoCloseable {
    static {
        // The JDK server leaves Nagle's algorithm on; with keep-alive clients every small answer would
        // then wait for a delayed ACK (~40 ms). Must be set before the first server is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final SimulatorOptions options;
    private final SimulatorState state;
    private final Behaviour behaviour;
    private final Faults faults;
    private final RequestJournal journal;
    private final TokenService tokens;
    private final ForwardingOracle oracle;
    private final MetadataService metadata;
    private final HealthChecks healthChecks;
    private final Ticker ticker;
    private final Runnable onAdvance;
    private final ExecutorService executor;
    private final List<HttpServer> servers = new ArrayList<>();
    private final Map<String, URI> metadataUrls = new LinkedHashMap<>();
    private final long startupMillis;
    private HttpServer metadataServer;
    private Path caCertificate;
    private volatile String vpcBase = "http://localhost/v1";
    private final AtomicBoolean closed = new AtomicBoolean();

    private VpcSimulator(SimulatorOptions options) {
        long start = System.nanoTime();
        this.options = options;
        this.state = new SimulatorState(options.clock());
        this.behaviour = options.behaviour();
        this.faults = new Faults(options.randomSeed());
        this.journal = new RequestJournal(options.journalCapacity());
        this.tokens = new TokenService(options.tokenLifetime(), options.clock());
        this.oracle = new ForwardingOracle(state, behaviour);
        new ScenarioLoader(state, behaviour, faults).load(options.scenario());
        this.healthChecks = new HealthChecks(state, behaviour);
        if (options.clock() instanceof ManualClock manual) {
            // Time moves only when the test advances it; due work happens in that call.
            this.ticker = null;
            this.onAdvance = () -> {
                state.applyDue();
                healthChecks.runDue(true);
            };
            manual.onAdvance(onAdvance);
        } else {
            this.onAdvance = null;
            this.ticker = new Ticker(
                    "vpc-simulator-clock",
                    () -> earliest(state.nanosUntilNextDue(), healthChecks.nanosUntilNextDue()),
                    () -> {
                        state.applyDue();
                        healthChecks.runDue(false);
                    });
            state.onScheduled(ticker::wake);
        }
        VpcJson json = new VpcJson(() -> vpcBase);
        this.metadata = new MetadataService(state, tokens, json, behaviour);
        this.executor = newExecutor();
        try {
            startMain(json);
            startMetadata();
        } catch (IOException | RuntimeException e) {
            close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot start the simulator", io);
            }
            throw (RuntimeException) e;
        }
        if (ticker != null) {
            ticker.start();
        }
        this.startupMillis = (System.nanoTime() - start) / 1_000_000;
    }

    private static long earliest(long a, long b) {
        if (a < 0) {
            return b;
        }
        return b < 0 ? a : Math.min(a, b);
    }

    /** Starts a simulator; the returned instance is serving. */
    public static VpcSimulator start(SimulatorOptions options) {
        return new VpcSimulator(options);
    }

    /** Starts a simulator on the given scenario with default options. */
    public static VpcSimulator start(Scenario scenario) {
        return start(SimulatorOptions.builder().scenario(scenario).build());
    }

    public static SimulatorOptions.Builder builder() {
        return SimulatorOptions.builder();
    }

    private static ExecutorService newExecutor() {
        AtomicInteger counter = new AtomicInteger();
        return new ThreadPoolExecutor(
                0,
                512,
                30,
                TimeUnit.SECONDS,
                new SynchronousQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "vpc-simulator-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                new ThreadPoolExecutor.CallerRunsPolicy());
    }

    private void startMain(VpcJson json) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(options.host()), options.port());
        HttpServer server;
        if (options.https()) {
            List<String> names = new ArrayList<>(options.tlsNames());
            names.add(options.host());
            CertificateAuthority authority = CertificateAuthority.generate(names);
            caCertificate = options.caCertificateFile() != null
                    ? options.caCertificateFile()
                    : Files.createTempFile("vpc-ha-simulator-ca-", ".pem");
            authority.writeCaPem(caCertificate);
            HttpsServer https = HttpsServer.create(address, 256);
            https.setHttpsConfigurator(new HttpsConfigurator(authority.serverContext()));
            server = https;
        } else {
            server = HttpServer.create(address, 256);
        }
        servers.add(server);
        String scheme = options.https() ? "https" : "http";
        vpcBase = scheme + "://" + hostForUrl(options.host()) + ":"
                + server.getAddress().getPort() + "/v1";
        Runnable reset = this::reset;
        AdminService admin = new AdminService(
                state, json, oracle, journal, faults, tokens, behaviour, healthChecks, reset, this::urlsJson);
        Dispatcher dispatcher = new Dispatcher(
                List.of(new IamService(state, tokens), admin, new VpcService(state, tokens, behaviour, json)),
                faults,
                journal,
                this::instanceName);
        server.createContext("/", dispatcher);
        server.setExecutor(executor);
        server.start();
    }

    private void startMetadata() throws IOException {
        Dispatcher dispatcher = new Dispatcher(List.of(metadata), faults, journal, this::instanceName);
        InetAddress host = InetAddress.getByName(options.metadataHost());
        metadataServer = HttpServer.create(new InetSocketAddress(host, options.metadataPort()), 256);
        servers.add(metadataServer);
        metadataServer.createContext("/", dispatcher);
        metadataServer.setExecutor(executor);
        metadataServer.start();
        if (!options.perInstanceMetadata()) {
            return;
        }
        List<Instance> instances = state.read(s -> List.copyOf(s.instances.values()));
        int index = 0;
        for (Instance instance : instances) {
            int port = options.metadataPortBase() == 0 ? 0 : options.metadataPortBase() + index;
            index++;
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
            servers.add(server);
            server.createContext("/", dispatcher);
            server.setExecutor(executor);
            server.start();
            int bound = server.getAddress().getPort();
            metadata.bindPort(bound, instance.id);
            metadataUrls.put(instance.id, URI.create("http://" + hostForUrl(options.metadataHost()) + ":" + bound));
        }
    }

    private static String hostForUrl(String host) {
        String shown = host.equals("0.0.0.0") ? "127.0.0.1" : host.equals("::") ? "::1" : host;
        return shown.contains(":") ? "[" + shown + "]" : shown;
    }

    private String instanceName(String instanceId) {
        return state.read(s -> {
            Instance instance = s.instances.get(instanceId);
            return instance == null ? null : instance.name;
        });
    }

    /** Puts the simulation back to the scenario: state, faults, journal, tokens and behaviour. */
    public void reset() {
        faults.clear();
        behaviour.copyFrom(options.behaviour());
        tokens.setLifetime(options.tokenLifetime());
        tokens.clear();
        metadata.clearTokens();
        new ScenarioLoader(state, behaviour, faults).load(options.scenario());
        journal.clear();
        state.events().publish(EventLog.RESET, new JsonObject());
        if (ticker != null) {
            ticker.wake();
        }
    }

    /** The VPC API base URL, ending with {@code /v1}. */
    public URI vpcUrl() {
        return URI.create(vpcBase);
    }

    /** The IAM base URL: clients post to {@code iamUrl() + "/identity/token"}. */
    public URI iamUrl() {
        return URI.create(vpcBase.substring(0, vpcBase.length() - "/v1".length()));
    }

    /** The admin API base URL ({@code .../sim}). */
    public URI adminUrl() {
        return URI.create(iamUrl() + "/sim");
    }

    /** The shared metadata listener: the calling instance is identified by the request's source address. */
    public URI metadataUrl() {
        return URI.create("http://" + hostForUrl(options.metadataHost()) + ":"
                + metadataServer.getAddress().getPort());
    }

    /** The metadata listener dedicated to one instance (by id or name). */
    public URI metadataUrlFor(String instance) {
        String id = instanceId(instance);
        URI uri = metadataUrls.get(id);
        if (uri == null) {
            throw new IllegalArgumentException("no per-instance metadata listener for " + instance);
        }
        return uri;
    }

    /** The id of an instance given its id or name. */
    public String instanceId(String idOrName) {
        return state.read(s -> SimulatorState.byIdOrName(s.instances, idOrName)
                .map(instance -> instance.id)
                .orElseThrow(() -> new IllegalArgumentException("unknown instance " + idOrName)));
    }

    /** The CA certificate (PEM) clients must trust; null when HTTPS is off. */
    public Path caCertificate() {
        return caCertificate;
    }

    public ForwardingOracle oracle() {
        return oracle;
    }

    public RequestJournal journal() {
        return journal;
    }

    public Faults faults() {
        return faults;
    }

    public SimulatorState state() {
        return state;
    }

    public Behaviour behaviour() {
        return behaviour;
    }

    public TokenService tokens() {
        return tokens;
    }

    /** What happened (instance status changes, member health changes, range moves), in order. */
    public EventLog events() {
        return state.events();
    }

    /** The pools' health monitors. */
    public HealthChecks healthChecks() {
        return healthChecks;
    }

    /** The simulation's clock (a {@link ManualClock} when the options gave one). */
    public SimulatorClock clock() {
        return state.clock();
    }

    public SimulatorOptions options() {
        return options;
    }

    /** How long construction took (scenario load, listeners, certificates). */
    public long startupMillis() {
        return startupMillis;
    }

    private JsonObject urlsJson() {
        Json.Obj urls = Json.object()
                .put("vpc", vpcUrl().toString())
                .put("iam", iamUrl().toString())
                .put("admin", adminUrl().toString())
                .put("metadata", metadataServer == null ? null : metadataUrl().toString())
                .put("ca_certificate", caCertificate == null ? null : caCertificate.toString());
        Json.Obj perInstance = Json.object();
        metadataUrls.forEach(
                (id, uri) -> perInstance.put(instanceName(id) == null ? id : instanceName(id), uri.toString()));
        return urls.put("metadata_per_instance", perInstance).build();
    }

    /** Per-instance metadata URLs keyed by instance name. */
    public Map<String, URI> metadataUrlsByName() {
        Map<String, URI> result = new LinkedHashMap<>();
        metadataUrls.forEach((id, uri) -> result.put(instanceName(id), uri));
        return result;
    }

    /** Stops every listener and interrupts calls held by faults; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (ticker != null) {
            ticker.close();
        }
        if (onAdvance != null && options.clock() instanceof ManualClock manual) {
            manual.removeListener(onAdvance);
        }
        healthChecks.close();
        for (HttpServer server : servers) {
            server.stop(0);
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
