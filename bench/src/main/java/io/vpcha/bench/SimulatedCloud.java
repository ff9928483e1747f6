package io.vpcha.bench;

import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.scenario.Scenario;
import io.vpcha.simulator.wire.ProxiedEndpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cloud a benchmark's agents run against: the simulator over TLS, reached through proxies that
 * charge a round-trip time and count each endpoint's connections, and the HA key in a file only its
 * owner may read (as an administrator keeps it).
 */
final class SimulatedCloud implements AutoCloseable {
    final VpcSimulator simulator;
    final ProxiedEndpoints endpoints;
    /** The simulator's CA certificate, for {@code ca_file}. */
    final Path ca;
    /** The HA key, for {@code api_key_file}. */
    final Path keyFile;

    /** Starts the simulator with the built-in {@code scenario} and its proxies; files go into {@code work}. */
    SimulatedCloud(Path work, String scenario, Duration rtt) throws IOException {
        ca = work.resolve("ca.pem");
        simulator = VpcSimulator.builder()
                .scenario(Scenario.builtIn(scenario))
                .https(true)
                .caCertificateFile(ca)
                .perInstanceMetadata(true)
                .start();
        endpoints = ProxiedEndpoints.start(simulator, rtt);
        keyFile = keyFile(work, simulator);
    }

    /** Writes the simulator's HA key into {@code work/api.key}, readable by its owner only. */
    static Path keyFile(Path work, VpcSimulator simulator) throws IOException {
        Path keyFile = work.resolve("api.key");
        Files.writeString(keyFile, ActionBench.apiKey(simulator));
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        return keyFile;
    }

    /** The agent's environment for the cloud, as seen from {@code node}: endpoints through the proxies, trust and key. */
    Map<String, String> agentEnvironment(String node) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("OCF_RESKEY_vpc_url", endpoints.vpcUrl().toString());
        environment.put("OCF_RESKEY_iam_url", endpoints.iamUrl().toString());
        environment.put("OCF_RESKEY_ca_file", ca.toString());
        environment.put("OCF_RESKEY_api_key_file", keyFile.toString());
        environment.put(
                "OCF_RESKEY_metadata_url", endpoints.metadataUrlFor(node).toString());
        return environment;
    }

    @Override
    public void close() {
        endpoints.close();
        simulator.close();
    }
}
