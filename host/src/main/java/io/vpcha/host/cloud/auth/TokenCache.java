package io.vpcha.host.cloud.auth;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Tokens shared by every action of every resource on this node, in one file per credential under a
 * root-only directory (0700, files 0600; by default /run/vpc-ha, a tmpfs emptied at boot). A monitor
 * every few seconds then costs no IAM round trip until the token is old.
 *
 * <p>The file holds the token and its lifetime, never the key it came from; its name is a hash of the
 * credential's non-secret identity. Refreshing takes an exclusive file lock, so concurrent actions
 * on one node make one IAM request between them, not one each. A refresh that fails while the cached
 * token is still valid falls back to it.
 */
public final class TokenCache {
    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private final Optional<Path> directory;
    private final Supplier<Instant> deadline;
    private final System.Logger log;
    private final Consumer<String> secretSink;

    /**
     * @param directory where to keep tokens; empty to keep them in this process only
     * @param secretSink told every token, so logs can mask it
     */
    public TokenCache(
            Optional<Path> directory, Supplier<Instant> deadline, System.Logger log, Consumer<String> secretSink) {
        this.directory = requireNonNull(directory, "directory is null");
        this.deadline = requireNonNull(deadline, "deadline is null");
        this.log = requireNonNull(log, "log is null");
        this.secretSink = requireNonNull(secretSink, "secretSink is null");
    }

    /**
     * A valid token from {@code source}: the cached one while fresh, else a new one.
     *
     * @param rejected a token the API just refused (401): never return it again
     */
    @SuppressWarnings("try") // the lock is held for the whole block, never referenced in it
    public AccessToken token(TokenSource source, Optional<AccessToken> rejected) throws CloudException {
        if (directory.isEmpty()) {
            return remember(source.fetch());
        }
        Path file = file(source);
        Optional<AccessToken> cached = read(file)
                .filter(token ->
                        rejected.map(r -> !r.value().equals(token.value())).orElse(true));
        if (cached.isPresent() && cached.get().isFreshAt(Instant.now())) {
            return remember(cached.get());
        }
        try {
            ensureDirectory();
            try (FileChannel lockChannel = FileChannel.open(
                            file.resolveSibling(file.getFileName() + ".lock"),
                            Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                            PosixFilePermissions.asFileAttribute(FILE_MODE));
                    FileLock lock = lock(lockChannel)) {
                // another process may have refreshed while this one waited for the lock
                cached = read(file)
                        .filter(token -> rejected.map(r -> !r.value().equals(token.value()))
                                .orElse(true));
                if (cached.isPresent() && cached.get().isFreshAt(Instant.now())) {
                    return remember(cached.get());
                }
                AccessToken fresh;
                try {
                    fresh = source.fetch();
                } catch (CloudException e) {
                    if (cached.isPresent() && cached.get().isValidAt(Instant.now())) {
                        log.log(
                                Level.WARNING,
                                "token refresh failed, using the cached token until it expires at "
                                        + cached.get().expiration() + ": " + e.reason());
                        return remember(cached.get());
                    }
                    throw e;
                }
                write(file, fresh);
                return remember(fresh);
            }
        } catch (IOException e) {
            // A cache that cannot be used costs an IAM round trip, never the action.
            log.log(
                    Level.WARNING,
                    "token cache " + directory.get() + " unusable (" + e.getMessage()
                            + "); asking the issuer directly");
            if (cached.isPresent() && cached.get().isValidAt(Instant.now())) {
                return remember(cached.get());
            }
            return remember(source.fetch());
        }
    }

    private AccessToken remember(AccessToken token) {
        secretSink.accept(token.value());
        return token;
    }

    private FileLock lock(FileChannel channel) throws IOException, CloudException {
        while (true) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
            if (Instant.now().plusMillis(50).isAfter(deadline.get())) {
                throw new CloudException(
                        CloudErrorKind.TRANSIENT,
                        0,
                        null,
                        "another action held the token cache lock until the deadline",
                        null,
                        null);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the token cache lock");
            }
        }
    }

    private Path file(TokenSource source) {
        return directory
                .orElseThrow()
                .resolve("token-" + hash(source.cacheIdentity()).substring(0, 32));
    }

    private Optional<AccessToken> read(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            JsonObject json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                    .getAsJsonObject();
            return Optional.of(new AccessToken(
                    json.get("access_token").getAsString(),
                    Instant.ofEpochSecond(json.get("issued_at").getAsLong()),
                    Instant.ofEpochSecond(json.get("expiration").getAsLong())));
        } catch (IOException | RuntimeException e) {
            log.log(
                    Level.DEBUG,
                    () -> "ignoring unreadable token cache file " + file + ": "
                            + e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    private void write(Path file, AccessToken token) throws IOException {
        JsonObject json = new JsonObject();
        json.addProperty("access_token", token.value());
        json.addProperty("issued_at", token.issuedAt().getEpochSecond());
        json.addProperty("expiration", token.expiration().getEpochSecond());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        try (FileChannel channel = FileChannel.open(
                temporary,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(FILE_MODE))) {
            channel.write(ByteBuffer.wrap(json.toString().getBytes(StandardCharsets.UTF_8)));
        }
        try {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void ensureDirectory() throws IOException {
        Path dir = directory.orElseThrow();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
        }
        if (!Files.getPosixFilePermissions(dir).equals(DIRECTORY_MODE)) {
            Files.setPosixFilePermissions(dir, DIRECTORY_MODE);
        }
    }

    static String hash(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
