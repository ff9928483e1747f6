package io.vpcha.simulator;

import io.vpcha.simulator.scenario.Scenario;
import io.vpcha.simulator.state.Behaviour;
import io.vpcha.simulator.time.SimulatorClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/** How to start a {@link VpcSimulator}. Build with {@link #builder()}; every setting has a default. */
public final class SimulatorOptions {
    private final Scenario scenario;
    private final String host;
    private final int port;
    private final String metadataHost;
    private final int metadataPort;
    private final boolean perInstanceMetadata;
    private final int metadataPortBase;
    private final boolean https;
    private final Path caCertificateFile;
    private final List<String> tlsNames;
    private final Duration tokenLifetime;
    private final Behaviour behaviour;
    private final int journalCapacity;
    private final long randomSeed;
    private final SimulatorClock clock;

    private SimulatorOptions(Builder builder) {
        this.scenario = builder.scenario;
        this.host = builder.host;
        this.port = builder.port;
        this.metadataHost = builder.metadataHost != null ? builder.metadataHost : builder.host;
        this.metadataPort = builder.metadataPort;
        this.perInstanceMetadata = builder.perInstanceMetadata;
        this.metadataPortBase = builder.metadataPortBase;
        this.https = builder.https;
        this.caCertificateFile = builder.caCertificateFile;
        this.tlsNames = List.copyOf(builder.tlsNames);
        this.tokenLifetime = builder.tokenLifetime;
        this.behaviour = new Behaviour();
        this.behaviour.copyFrom(builder.behaviour);
        this.journalCapacity = builder.journalCapacity;
        this.randomSeed = builder.randomSeed;
        this.clock = builder.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: the three-zone example scenario on 127.0.0.1, ephemeral ports, plain HTTP. */
    public static SimulatorOptions defaults() {
        return builder().build();
    }

    public Scenario scenario() {
        return scenario;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String metadataHost() {
        return metadataHost;
    }

    public int metadataPort() {
        return metadataPort;
    }

    public boolean perInstanceMetadata() {
        return perInstanceMetadata;
    }

    public int metadataPortBase() {
        return metadataPortBase;
    }

    public boolean https() {
        return https;
    }

    public Path caCertificateFile() {
        return caCertificateFile;
    }

    public List<String> tlsNames() {
        return tlsNames;
    }

    public Duration tokenLifetime() {
        return tokenLifetime;
    }

    /** A copy of the configured behaviour. */
    public Behaviour behaviour() {
        Behaviour copy = new Behaviour();
        copy.copyFrom(behaviour);
        return copy;
    }

    public int journalCapacity() {
        return journalCapacity;
    }

    public long randomSeed() {
        return randomSeed;
    }

    /** The clock every simulated delay, expiry and health-check interval follows. */
    public SimulatorClock clock() {
        return clock;
    }

    public static final class Builder {
        private Scenario scenario;
        private String host = "127.0.0.1";
        private int port;
        private String metadataHost;
        private int metadataPort;
        private boolean perInstanceMetadata = true;
        private int metadataPortBase;
        private boolean https;
        private Path caCertificateFile;
        private final List<String> tlsNames = new ArrayList<>();
        private Duration tokenLifetime = Duration.ofHours(1);
        private final Behaviour behaviour = new Behaviour();
        private int journalCapacity = 10_000;
        private long randomSeed = 42;
        private SimulatorClock clock = SimulatorClock.system();

        private Builder() {}

        public Builder scenario(Scenario scenario) {
            this.scenario = Objects.requireNonNull(scenario, "scenario is null");
            return this;
        }

        /** Address of the VPC + IAM + admin listener (default 127.0.0.1). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host is null");
            return this;
        }

        /** Port of the VPC + IAM + admin listener; 0 (default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Address of the metadata listeners (default: same as {@link #host}). */
        public Builder metadataHost(String metadataHost) {
            this.metadataHost = metadataHost;
            return this;
        }

        /** Port of the shared metadata listener (caller identified by source address); 0 picks one. */
        public Builder metadataPort(int metadataPort) {
            this.metadataPort = metadataPort;
            return this;
        }

        /** One extra metadata listener per instance (default on). */
        public Builder perInstanceMetadata(boolean enabled) {
            this.perInstanceMetadata = enabled;
            return this;
        }

        /** When non-zero, instance i (scenario order) gets metadata port base + i; else ephemeral ports. */
        public Builder metadataPortBase(int base) {
            this.metadataPortBase = base;
            return this;
        }

        /** Serve VPC, IAM and admin over HTTPS with a freshly generated CA. */
        public Builder https(boolean https) {
            this.https = https;
            return this;
        }

        /** Where to write the CA certificate (PEM); default a temporary file. */
        public Builder caCertificateFile(Path file) {
            this.caCertificateFile = file;
            return this;
        }

        /** Extra DNS names or IP addresses for the server certificate. */
        public Builder tlsName(String name) {
            this.tlsNames.add(name);
            return this;
        }

        /** Lifetime of IAM access tokens (default one hour); short values make expiry testable. */
        public Builder tokenLifetime(Duration lifetime) {
            this.tokenLifetime = Objects.requireNonNull(lifetime, "lifetime is null");
            return this;
        }

        /** Adjusts behaviour the API reference leaves unpublished. */
        public Builder behaviour(Consumer<Behaviour> change) {
            change.accept(behaviour);
            return this;
        }

        public Builder journalCapacity(int capacity) {
            this.journalCapacity = capacity;
            return this;
        }

        /** Seed for fault rates and jitter. */
        public Builder randomSeed(long seed) {
            this.randomSeed = seed;
            return this;
        }

        /**
         * The clock of the simulation (default the system clock). With a
         * {@link io.vpcha.simulator.time.ManualClock}, time stands still until the test advances it:
         * lifecycle delays, token expiry, delayed PATCHes and health-check intervals become testable
         * without sleeping.
         */
        public Builder clock(SimulatorClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock is null");
            return this;
        }

        public SimulatorOptions build() {
            if (scenario == null) {
                scenario = Scenario.threeZone();
            }
            return new SimulatorOptions(this);
        }

        /** Builds the options and starts a simulator with them. */
        public VpcSimulator start() {
            return VpcSimulator.start(build());
        }
    }
}
