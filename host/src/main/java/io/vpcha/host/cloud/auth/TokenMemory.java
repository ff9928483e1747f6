package io.vpcha.host.cloud.auth;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The tokens a JVM holds in memory, per token cache directory and credential identity ({@link
 * TokenSource#cacheIdentity()}: the hash of an API key and its IAM endpoint, or a trusted profile and
 * its metadata service). A cold action has one of its own; the resident accelerator keeps one across
 * its actions, so that a warm monitor finds its token without reading the cache file. The identity
 * keys every entry: two resources with different keys or profiles never see each other's token.
 */
public final class TokenMemory {
    private final ConcurrentMap<String, Held> held = new ConcurrentHashMap<>();

    /** A token held in memory, behind the lock its threads take. */
    static final class Held {
        final ReentrantLock lock = new ReentrantLock();
        AccessToken token;
        boolean fileRead;
    }

    Held entry(Optional<Path> directory, String identity) {
        String key = directory.map(Path::toString).orElse("") + '\0' + identity;
        return held.computeIfAbsent(key, k -> new Held());
    }

    /** How many credentials have a token (or a refresh under way) here. */
    public int size() {
        return held.size();
    }
}
