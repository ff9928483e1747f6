package io.vpcha.host.cloud;

import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.testing.RecordingLog;
import io.vpcha.spi.ParameterValues;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A separate process using the cloud as an action does, from several threads at once: for the test that
 * processes share one token.
 */
public final class TokenCacheProbe {
    static final int THREADS = 4;

    private TokenCacheProbe() {}

    /**
     * Reads name=value resource parameters, one a line, from standard input (never arguments: they
     * hold a key, and process arguments are visible to every user). Prints the number of floating IPs.
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> parameters = new HashMap<>();
        for (String line : new String(System.in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                parameters.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        CloudSettings settings = CloudSettings.from(ParameterValues.of(CommonParameters.all(), parameters));
        Instant deadline = Instant.now().plusSeconds(20);
        HostCloudAccess cloud = new HostCloudAccess(settings, () -> deadline, new RecordingLog(), secret -> {});
        // as custom-route does, several threads of the action call at once
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try (cloud) {
            List<Future<Integer>> sizes = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                sizes.add(threads.submit(() -> cloud.vpc().listFloatingIps().size()));
            }
            Set<Integer> distinct = new HashSet<>();
            for (Future<Integer> size : sizes) {
                distinct.add(size.get(30, TimeUnit.SECONDS));
            }
            System.out.println(distinct.size() == 1 ? distinct.iterator().next() : distinct);
        } finally {
            threads.shutdownNow();
        }
    }
}
