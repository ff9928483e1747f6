package io.vpcha.host.cloud.auth;

/** The cache file names the token cache uses, so tests can find and age a cached token. */
public final class TokenCacheNames {
    private TokenCacheNames() {}

    public static String hash(String text) {
        return TokenCache.hash(text);
    }

    /** The file name's suffix for a cache identity. */
    public static String of(String cacheIdentity) {
        return TokenCache.hash(cacheIdentity).substring(0, 32);
    }
}
