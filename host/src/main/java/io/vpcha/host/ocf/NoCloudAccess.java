package io.vpcha.host.ocf;

import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.ApiRequest;
import io.vpcha.spi.cloud.ApiResponse;
import io.vpcha.spi.cloud.CloudAccess;

/**
 * The cloud access of a host that has none configured: strategies that need no cloud (such as the
 * example state-file strategy) never call it; any other call fails with a reason instead of
 * hanging or guessing.
 */
final class NoCloudAccess implements CloudAccess {
    @Override
    public ApiResponse send(ApiRequest request) throws StrategyException {
        throw new StrategyException(ErrorKind.NOT_INSTALLED,
                "this vpc-ha host has no cloud access configured; cannot " + request.method() + " " + request.path());
    }
}
