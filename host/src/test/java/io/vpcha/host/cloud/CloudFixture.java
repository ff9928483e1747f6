package io.vpcha.host.cloud;

import io.vpcha.host.cloud.http.HttpTransport;
import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.testing.RecordingLog;
import io.vpcha.host.testing.SimulatedCluster;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.spi.ParameterValues;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Builds the host's cloud access from resource parameters, as an action does, against a simulator.
 * Closing it closes every cloud access it built (their connections), as an action's end does.
 */
final class CloudFixture implements AutoCloseable {
    static final String HA_KEY = "sim-test-apikey-ha-0000000000000001";
    static final String READONLY_KEY = "sim-test-apikey-readonly-000000002";

    final VpcSimulator simulator;
    final Path tokenCache;
    final RecordingLog log = new RecordingLog();
    final List<String> secrets = new CopyOnWriteArrayList<>();
    private final List<HostCloudAccess> built = new CopyOnWriteArrayList<>();

    CloudFixture(VpcSimulator simulator, Path tokenCache) {
        this.simulator = simulator;
        this.tokenCache = tokenCache;
    }

    /** Parameters pointing at the simulator, acting as {@code instance}, plus {@code extra} (name, value pairs). */
    Map<String, String> parameters(String instance, String... extra) {
        return SimulatedCluster.parameters(
                Map.of(
                        "strategy",
                        "any",
                        CloudParameters.VPC_URL,
                        simulator.vpcUrl().toString(),
                        CloudParameters.IAM_URL,
                        simulator.iamUrl().toString(),
                        CloudParameters.METADATA_URL,
                        simulator.metadataUrlFor(instance).toString(),
                        CloudParameters.TOKEN_CACHE_DIR,
                        tokenCache.toString()),
                extra);
    }

    HostCloudAccess access(Map<String, String> parameters, Duration timeLeft) throws Exception {
        CloudSettings settings = CloudSettings.from(ParameterValues.of(CommonParameters.all(), parameters));
        Instant deadline = Instant.now().plus(timeLeft);
        return keep(new HostCloudAccess(settings, () -> deadline, log, secrets::add));
    }

    /** Cloud access through {@code transport} instead of the network. */
    HostCloudAccess access(Map<String, String> parameters, HttpTransport transport) throws Exception {
        CloudSettings settings = CloudSettings.from(ParameterValues.of(CommonParameters.all(), parameters));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        return keep(new HostCloudAccess(settings, () -> deadline, log, secrets::add, transport));
    }

    private HostCloudAccess keep(HostCloudAccess access) {
        built.add(access);
        return access;
    }

    @Override
    public void close() {
        built.forEach(HostCloudAccess::close);
        built.clear();
    }

    HostCloudAccess access(Map<String, String> parameters) throws Exception {
        return access(parameters, Duration.ofSeconds(20));
    }

    long iamRequests() {
        return simulator.journal().find(entry -> entry.service().equals("iam")).size();
    }

    long vpcRequests(String method, String pathFragment) {
        return simulator
                .journal()
                .find(entry -> entry.service().equals("vpc")
                        && entry.method().equals(method)
                        && entry.path().contains(pathFragment))
                .size();
    }
}
