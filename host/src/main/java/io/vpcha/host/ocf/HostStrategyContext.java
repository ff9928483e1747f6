package io.vpcha.host.ocf;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.files.SafeFiles;
import io.vpcha.host.files.WriteFence;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.cloud.CloudAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/** The {@link StrategyContext} of one OCF action. */
public final class HostStrategyContext implements StrategyContext {
    /** File names are at most 255 bytes; a longer resource id is shortened and made unique by a hash. */
    private static final int LONGEST_NAME = 200;

    private final String nodeName;
    private final String resourceInstance;
    private final Instant deadline;
    private final System.Logger logger;
    private final Path stateRoot;
    private final CloudAccess cloud;
    private final Clock clock;
    private final WriteFence fence;
    private volatile UncheckedIOException stateDirectoryFailure;

    /**
     * @param stateRoot where resource agents keep state ({@code $HA_RSCTMP}); this resource's directory
     *     is {@link #stateDirectoryOf(Path, String)} below it
     * @param fence asked every time the strategy asks for its state directory: the toolkit's state store
     *     asks right before each file it writes (and reads), so a warm action whose client gave up finds
     *     no state directory and writes nothing there; {@link WriteFence#OPEN} where nothing can give up
     */
    public HostStrategyContext(
            String nodeName,
            String resourceInstance,
            Instant deadline,
            System.Logger logger,
            Path stateRoot,
            CloudAccess cloud,
            Clock clock,
            WriteFence fence) {
        this.fence = requireNonNull(fence, "fence is null");
        this.nodeName = requireNonNull(nodeName, "nodeName is null");
        this.resourceInstance = requireNonNull(resourceInstance, "resourceInstance is null");
        this.deadline = requireNonNull(deadline, "deadline is null");
        this.logger = requireNonNull(logger, "logger is null");
        this.stateRoot = requireNonNull(stateRoot, "stateRoot is null");
        this.cloud = requireNonNull(cloud, "cloud is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * The state directory of a resource: {@code <state root>/vpc-ha/<instance>}, the instance made
     * file-safe (and, when very long, shortened and suffixed with a hash of the whole id).
     */
    public static Path stateDirectoryOf(Path stateRoot, String resourceInstance) {
        return stateRoot.resolve("vpc-ha").resolve(safeName(resourceInstance));
    }

    static String safeName(String resourceInstance) {
        String safe = resourceInstance.replaceAll("[^A-Za-z0-9_.:-]", "_");
        if (safe.startsWith(".")) {
            safe = "_" + safe.substring(1);
        }
        if (safe.length() > LONGEST_NAME) {
            safe = safe.substring(0, LONGEST_NAME - 17) + "-"
                    + sha256(resourceInstance).substring(0, 16);
        }
        return safe;
    }

    /**
     * Why the state directory of a resource may not be used, without creating anything; empty when it
     * may (or does not exist yet, below a root that may hold it).
     */
    public static Optional<String> stateDirectoryProblem(Path stateRoot, String resourceInstance) {
        return ownDirectoryProblem(stateRoot, safeName(resourceInstance));
    }

    /**
     * Why {@code <state root>/vpc-ha/<below...>} may not be used (read, written or removed), without
     * creating anything: the root and every directory down to it must be vpc-ha's own (real directories
     * of root that no one else may write to). Empty when it may, or when a level does not exist yet below
     * one that may hold it.
     */
    static Optional<String> ownDirectoryProblem(Path stateRoot, String... below) {
        if (!stateRoot.isAbsolute()) {
            return Optional.of("the state root '" + stateRoot + "' (HA_RSCTMP) is not absolute");
        }
        Path root;
        try {
            root = stateRoot.toRealPath();
        } catch (IOException missing) {
            return Optional.empty();
        }
        Optional<String> rootProblem = SafeFiles.directoryProblem(root, true);
        if (rootProblem.isPresent()) {
            return rootProblem;
        }
        Path level = root.resolve("vpc-ha");
        for (int i = 0; i <= below.length; i++) {
            if (i > 0) {
                level = level.resolve(below[i - 1]);
            }
            if (!Files.exists(level, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            Optional<String> problem = SafeFiles.directoryProblem(level, false);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    /**
     * vpc-ha's own directory below the state root, {@code <state root>/vpc-ha}, where each resource's
     * state directory and the host's records are: made (mode 0700) when missing, below a state root
     * that may hold it (made when missing, never the current directory).
     *
     * @throws AccessDeniedException naming the problem, when the root or the directory is not safe
     */
    static Path ownDirectory(Path stateRoot) throws IOException {
        if (!stateRoot.isAbsolute()) {
            throw new AccessDeniedException(
                    stateRoot.toString(), null, "the state root '" + stateRoot + "' (HA_RSCTMP) is not absolute");
        }
        if (!Files.exists(stateRoot)) {
            Files.createDirectories(stateRoot);
        }
        Path root = stateRoot.toRealPath();
        Optional<String> rootProblem = SafeFiles.directoryProblem(root, true);
        if (rootProblem.isPresent()) {
            throw new AccessDeniedException(root.toString(), null, rootProblem.get());
        }
        return SafeFiles.privateDirectory(root.resolve("vpc-ha"));
    }

    @Override
    public String nodeName() {
        return nodeName;
    }

    @Override
    public String resourceInstance() {
        return resourceInstance;
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public System.Logger logger() {
        return logger;
    }

    /**
     * Creates the directory on first use (mode 0700) below a state root owned by root and writable by
     * nobody else; refuses a directory that is a link, is owned by another user or that others may
     * write to (an {@link AccessDeniedException} as the cause).
     */
    @Override
    public Path stateDirectory() {
        try {
            fence.check();
            return SafeFiles.privateDirectory(ownDirectory(stateRoot).resolve(safeName(resourceInstance)));
        } catch (IOException e) {
            String reason = e instanceof AccessDeniedException denied && denied.getReason() != null
                    ? denied.getReason()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            UncheckedIOException failure = new UncheckedIOException(
                    "cannot use the state directory " + stateDirectoryOf(stateRoot, resourceInstance) + ": " + reason,
                    e);
            stateDirectoryFailure = failure;
            throw failure;
        }
    }

    /** The failure of {@link #stateDirectory()}, if it failed in this action. */
    Optional<UncheckedIOException> stateDirectoryFailure() {
        return Optional.ofNullable(stateDirectoryFailure);
    }

    @Override
    public CloudAccess cloud() {
        return cloud;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
