package io.vpcha.host.cloud.auth;

import io.vpcha.spi.cloud.CloudException;
import java.util.Optional;

/** Gives the bearer token for API calls. */
public interface Authenticator {
    /**
     * The token to send.
     *
     * @param rejected a token the API just answered 401 to: return another one
     */
    AccessToken token(Optional<AccessToken> rejected) throws CloudException;
}
