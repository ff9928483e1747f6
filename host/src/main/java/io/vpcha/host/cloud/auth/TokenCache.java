package io.vpcha.host.cloud.auth;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vpcha.host.files.SafeFiles;
import io.vpcha.host.files.SmallFile;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Tokens shared by every action of every resource on this node, in one file per credential under a
 * root-only directory (by default /run/vpc-ha, a tmpfs emptied at boot; files 0600). A monitor every
 * few seconds then costs no IAM round trip until the token is old.
 *
 * <p>The file holds the token and its lifetime, never the key it came from; its name is a hash of the
 * credential's non-secret identity. Within one action (one JVM) the token is held in memory ({@link
 * TokenMemory}; the resident accelerator's outlives the action), behind a lock: the file is read once per action, and threads asking at once (custom-route's parallel table
 * calls, all answered 401 by a revoked token) wait for one refresh instead of making one each. Across
 * processes, refreshing takes an exclusive file lock, so concurrent actions on one node make one IAM
 * request between them, not one each. A refresh that fails while the cached token is still valid falls
 * back to it.
 *
 * <p>The directory must be safe (see {@link SafeFiles#trustedDirectoryProblem}): one that another user
 * owns or may write to is refused, since a file planted there (a link as the lock file, a token of the planter's) would
 * be followed or used by root. A directory vpc-ha makes is 0700; an existing one is never chmod'ed.
 * Files are created without following links.
 */
public final class TokenCache {
    /** Larger than any token file; a bigger one is not ours and is ignored. */
    private static final int MAX_FILE_SIZE = 64 * 1024;

    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    /**
     * One lock per cache file in this JVM. File locks are held by the whole JVM: a second channel of the
     * same JVM locking the file fails at once (OverlappingFileLockException) instead of waiting.
     */
    private static final ConcurrentMap<Path, ReentrantLock> FILE_LOCKS = new ConcurrentHashMap<>();

    /**
     * How long a refresh waits for another process's: its holder makes one IAM request, which takes well
     * under this even at a long round-trip time. A holder that takes longer is stopped (SIGSTOP, a frozen
     * cgroup, a resident accelerator stopped mid-refresh) or hung, and must not make every action on the
     * node wait for its deadline; when IAM itself is that slow, a waiter costs one more IAM request.
     */
    static final Duration LOCK_PATIENCE = Duration.ofSeconds(5);

    private final Optional<Path> directory;
    private final Supplier<Instant> deadline;
    private final System.Logger log;
    private final Consumer<String> secretSink;
    /** The token held per cache identity, and whether the file was read for it: this action's, or the JVM's. */
    private final TokenMemory memory;
    /** Whether the directory was checked (or made) for this action; empty: not yet. */
    private Optional<Boolean> directoryUsable = Optional.empty();

    /**
     * @param directory where to keep tokens; empty to keep them in this process only
     * @param secretSink told every token, so logs can mask it
     */
    public TokenCache(
            Optional<Path> directory, Supplier<Instant> deadline, System.Logger log, Consumer<String> secretSink) {
        this(directory, deadline, log, secretSink, new TokenMemory());
    }

    /**
     * @param memory the tokens held in memory: the action's own, or those a long-lived JVM keeps across
     *     actions (the file is still read when the held token is no longer fresh, and written on refresh)
     */
    public TokenCache(
            Optional<Path> directory,
            Supplier<Instant> deadline,
            System.Logger log,
            Consumer<String> secretSink,
            TokenMemory memory) {
        this.directory = requireNonNull(directory, "directory is null");
        this.deadline = requireNonNull(deadline, "deadline is null");
        this.log = requireNonNull(log, "log is null");
        this.secretSink = requireNonNull(secretSink, "secretSink is null");
        this.memory = requireNonNull(memory, "memory is null");
    }

    /**
     * A valid token from {@code source}: the one held while fresh, else the cached one while fresh, else
     * a new one.
     *
     * @param rejected a token the API just refused (401): never return it again
     * @throws CloudException when no token can be had, or the directory is refused (a configuration error)
     */
    public AccessToken token(TokenSource source, Optional<AccessToken> rejected) throws CloudException {
        // checked first, also for a token held in memory: an unsafe directory is refused as on the cold path
        boolean useDirectory = useDirectory();
        TokenMemory.Held entry = memory.entry(directory, source.cacheIdentity());
        lock(entry.lock, "another thread refreshing the token");
        try {
            Instant now = Instant.now();
            if (isUsable(entry.token, rejected) && entry.token.isFreshAt(now)) {
                return remember(entry.token);
            }
            if (!useDirectory) {
                entry.token =
                        fetch(source, Optional.ofNullable(entry.token).filter(token -> isUsable(token, rejected)));
                return remember(entry.token);
            }
            Path file = file(source);
            if (!entry.fileRead) {
                entry.fileRead = true;
                Optional<AccessToken> cached = read(file).filter(token -> isUsable(token, rejected));
                if (cached.isPresent() && cached.get().isFreshAt(now)) {
                    entry.token = cached.get();
                    return remember(entry.token);
                }
            }
            entry.token = refresh(source, file, rejected, entry.token);
            return remember(entry.token);
        } finally {
            entry.lock.unlock();
        }
    }

    /** A new token, written to the file, under the JVM's lock and the file lock of other processes. */
    @SuppressWarnings("try") // the lock is held for the whole block, never referenced in it
    private AccessToken refresh(TokenSource source, Path file, Optional<AccessToken> rejected, AccessToken held)
            throws CloudException {
        Optional<AccessToken> fallback = Optional.ofNullable(held).filter(token -> isUsable(token, rejected));
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        ReentrantLock jvmLock = FILE_LOCKS.computeIfAbsent(lockFile, path -> new ReentrantLock());
        lock(jvmLock, "another action of this process refreshing the token");
        try (FileChannel lockChannel = SafeFiles.openPrivateFile(
                        directory.orElseThrow(), lockFile.getFileName().toString());
                FileLockHeld lock = lock(lockChannel)) {
            // another process may have refreshed while this one waited for the lock
            Optional<AccessToken> cached = read(file).filter(token -> isUsable(token, rejected));
            if (cached.isPresent() && cached.get().isFreshAt(Instant.now())) {
                return cached.get();
            }
            if (!lock.held()) {
                log.log(
                        Level.WARNING,
                        "another process held the token cache lock for " + LOCK_PATIENCE.toSeconds()
                                + " s (stopped or hung?); asking the issuer directly");
            }
            AccessToken fresh = fetch(source, cached.or(() -> fallback));
            // an atomic rename: safe without the lock too, and the next action finds a fresh token
            write(file, fresh);
            return fresh;
        } catch (IOException e) {
            // A cache that cannot be used costs an IAM round trip, never the action.
            log.log(
                    Level.WARNING,
                    "token cache " + directory.get() + " unusable (" + e.getMessage()
                            + "); asking the issuer directly");
            return fetch(source, fallback);
        } finally {
            jvmLock.unlock();
        }
    }

    /** A new token from the issuer; when that fails, {@code fallback} while it is still valid. */
    private AccessToken fetch(TokenSource source, Optional<AccessToken> fallback) throws CloudException {
        try {
            return source.fetch();
        } catch (CloudException e) {
            if (fallback.isPresent() && fallback.get().isValidAt(Instant.now())) {
                log.log(
                        Level.WARNING,
                        "token refresh failed, using the cached token until it expires at "
                                + fallback.get().expiration() + ": " + e.reason());
                return fallback.get();
            }
            throw e;
        }
    }

    private static boolean isUsable(AccessToken token, Optional<AccessToken> rejected) {
        return token != null
                && token.isValidAt(Instant.now())
                && rejected.map(r -> !r.value().equals(token.value())).orElse(true);
    }

    /**
     * Whether tokens go to the directory: it is made if missing and checked once per action. One that
     * cannot be made (a full or read-only /run) only costs IAM requests; an unsafe one is refused.
     */
    private synchronized boolean useDirectory() throws CloudException {
        if (directory.isEmpty()) {
            return false;
        }
        if (directoryUsable.isEmpty()) {
            try {
                SafeFiles.trustedDirectory(directory.get());
                directoryUsable = Optional.of(true);
            } catch (AccessDeniedException e) {
                throw new CloudException(
                        CloudErrorKind.CONFIGURATION,
                        0,
                        null,
                        "token_cache_dir refused: " + (e.getReason() != null ? e.getReason() : e.getMessage()),
                        null,
                        null);
            } catch (IOException e) {
                log.log(
                        Level.WARNING,
                        "token cache " + directory.get() + " cannot be made ("
                                + e.getClass().getSimpleName() + ": " + e.getMessage()
                                + "); asking the issuer directly");
                directoryUsable = Optional.of(false);
            }
        }
        return directoryUsable.get();
    }

    private AccessToken remember(AccessToken token) {
        secretSink.accept(token.value());
        return token;
    }

    /** Takes {@code lock}, waiting no longer than the deadline. */
    private void lock(ReentrantLock lock, String holder) throws CloudException {
        long millis =
                Math.max(0, Duration.between(Instant.now(), deadline.get()).toMillis());
        try {
            if (lock.tryLock(millis, TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new CloudException(
                CloudErrorKind.TRANSIENT, 0, null, "waited until the deadline for " + holder, null, null);
    }

    /**
     * The file lock, or none after {@link #LOCK_PATIENCE} (or just before the deadline): a holder that
     * takes longer is stopped or hung, and waiting for it would cost this action its deadline.
     */
    private FileLockHeld lock(FileChannel channel) throws IOException {
        Instant giveUp = Collections.min(
                List.of(Instant.now().plus(LOCK_PATIENCE), deadline.get().minusMillis(50)));
        while (true) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return new FileLockHeld(Optional.of(lock));
            }
            if (Instant.now().isAfter(giveUp)) {
                return new FileLockHeld(Optional.empty());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the token cache lock");
            }
        }
    }

    /** The refresh lock across processes, when it could be had in time. */
    private record FileLockHeld(Optional<FileLock> lock) implements AutoCloseable {
        boolean held() {
            return lock.isPresent();
        }

        @Override
        public void close() throws IOException {
            if (lock.isPresent()) {
                lock.get().close();
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
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            JsonObject json = JsonParser.parseString(
                            new String(SmallFile.read(file, MAX_FILE_SIZE), StandardCharsets.UTF_8))
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
        SafeFiles.writeAtomically(file, json.toString().getBytes(StandardCharsets.UTF_8), FILE_MODE);
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
