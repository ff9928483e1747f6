package io.vpcha.host.cloud;

import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.spi.ParameterValues;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** A separate process using the cloud as an action does: for the test that two processes share one token. */
public final class TokenCacheProbe {
    private TokenCacheProbe() {}

    /**
     * Reads name=value resource parameters, one a line, from standard input (never arguments: they
     * hold a key, and process arguments are visible to every user). Prints the number of floating IPs.
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> parameters = new HashMap<>();
        for (String line :
                new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n", -1)) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                parameters.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        CloudSettings settings = CloudSettings.from(ParameterValues.of(CommonParameters.all(), parameters));
        Instant deadline = Instant.now().plusSeconds(20);
        HostCloudAccess cloud =
                new HostCloudAccess(settings, () -> deadline, new io.vpcha.host.testing.RecordingLog(), secret -> {});
        System.out.println(cloud.vpc().listFloatingIps().size());
    }
}
