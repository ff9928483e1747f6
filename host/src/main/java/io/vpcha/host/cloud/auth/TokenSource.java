package io.vpcha.host.cloud.auth;

import io.vpcha.spi.cloud.CloudException;

/** Obtains a new token from its issuer (IAM, or the metadata service). */
public interface TokenSource {
    AccessToken fetch() throws CloudException;

    /**
     * A stable, non-secret identity of what this source issues tokens for, e.g. the hash of an API
     * key and the IAM endpoint: the name of its cache file.
     */
    String cacheIdentity();
}
