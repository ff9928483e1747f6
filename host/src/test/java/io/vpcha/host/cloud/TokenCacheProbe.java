package io.vpcha.host.cloud;

import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.spi.ParameterValues;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** A separate process using the cloud as an action does: for the test that two processes share one token. */
public final class TokenCacheProbe {
    private TokenCacheProbe() {}

    /** Arguments: name=value resource parameters. Prints the number of floating IPs. */
    public static void main(String[] args) throws Exception {
        Map<String, String> parameters = new HashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            parameters.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        CloudSettings settings = CloudSettings.from(ParameterValues.of(CommonParameters.all(), parameters));
        Instant deadline = Instant.now().plusSeconds(20);
        HostCloudAccess cloud = new HostCloudAccess(settings, () -> deadline, new io.vpcha.host.testing.RecordingLog(),
                secret -> { });
        System.out.println(cloud.vpc().listFloatingIps().size());
    }
}
