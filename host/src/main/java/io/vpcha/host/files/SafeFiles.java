package io.vpcha.host.files;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Files and directories that root writes into, kept out of reach of other users: every directory
 * vpc-ha writes into is a real directory (not a link) owned by the user vpc-ha runs as (root under
 * Pacemaker) and writable by nobody else; every file is created new, without following a link, and
 * moved into place. One helper for the state directories, the plugin index and the token cache.
 *
 * <p>Directories that configuration names and vpc-ha trusts (the token cache, the plugins) are judged
 * with every directory above them ({@link #trustedDirectoryProblem}): the rule OpenSSH's StrictModes
 * and sudo apply, relaxed for sticky directories.
 */
public final class SafeFiles {
    private static final Set<PosixFilePermission> OTHERS_WRITE =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
    private static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
    private static final int STICKY = 01000;
    private static final int GROUP_WRITE_BIT = 0020;
    private static final int OTHERS_WRITE_BIT = 0002;

    private SafeFiles() {}

    /**
     * Why this process must not write into {@code directory}; empty when it may. The directory itself
     * is looked at, not what a link would lead to: a link is refused.
     *
     * @param shared a directory that every user may write to but that is sticky ({@code /tmp}) is
     *     acceptable as a place to create a private directory in; never as a place for files
     */
    public static Optional<String> directoryProblem(Path directory, boolean shared) {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(directory, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.of(directory + " does not exist");
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("cannot inspect " + directory + ": " + e.getMessage());
        }
        if (attributes.isSymbolicLink()) {
            return Optional.of(directory + " is a symbolic link; vpc-ha writes only into real directories");
        }
        if (!attributes.isDirectory()) {
            return Optional.of(directory + " is not a directory");
        }
        int owner = uid(directory);
        int self = currentUid();
        if (owner != self && owner != 0) {
            return Optional.of(directory + " is owned by uid " + owner + ", not by root or this process (uid " + self
                    + "); remove it or fix its owner");
        }
        boolean writableByOthers = attributes.permissions().stream().anyMatch(OTHERS_WRITE::contains);
        if (writableByOthers && !(shared && isSticky(directory))) {
            return Optional.of(directory + " is writable by group or others (mode "
                    + PosixFilePermissions.toString(attributes.permissions()) + "); chmod go-w it");
        }
        return Optional.empty();
    }

    /**
     * Makes sure {@code directory} exists as a private directory of this process: created with mode
     * 0700 when missing (its parent must already exist and be acceptable), checked when present.
     *
     * @throws AccessDeniedException naming the problem, when the directory or its parent is not safe
     * @throws IOException when it cannot be created (no space, a file in the way, a name too long)
     */
    public static Path privateDirectory(Path directory) throws IOException {
        requireNonNull(directory, "directory is null");
        Path parent = directory.toAbsolutePath().getParent();
        if (parent != null) {
            Optional<String> parentProblem = directoryProblem(parent, true);
            if (parentProblem.isPresent()) {
                throw new AccessDeniedException(directory.toString(), null, parentProblem.get());
            }
        }
        try {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PRIVATE_DIRECTORY));
        } catch (FileAlreadyExistsException exists) {
            // made earlier, or by someone else: checked below either way
        }
        Optional<String> problem = directoryProblem(directory, false);
        if (problem.isPresent()) {
            throw new AccessDeniedException(directory.toString(), null, problem.get());
        }
        return directory;
    }

    /**
     * Writes {@code content} to {@code file} atomically: into a new file (never through a link, never
     * over another's file) in the same directory, with mode {@code permissions}, then moved over the
     * target. A reader sees the old content or the new, never half of it. Then removes the temporaries
     * that earlier writes of the same file, killed before their move, left (best effort, see {@code
     * StaleTemporaries}).
     */
    public static void writeAtomically(Path file, byte[] content, Set<PosixFilePermission> permissions)
            throws IOException {
        writeAtomically(file, content, permissions, WriteFence.OPEN);
    }

    /**
     * {@link #writeAtomically(Path, byte[], Set)}, if {@code fence} lets the action write: asked after
     * the new file is written and right before it is moved into place, so that the move follows the
     * check as closely as a process can make it.
     *
     * @throws WriteFence.Closed when it does not: the file is left as it was
     */
    public static void writeAtomically(
            Path file, byte[] content, Set<PosixFilePermission> permissions, WriteFence fence) throws IOException {
        requireNonNull(fence, "fence is null");
        Path temporary = StaleTemporaries.temporaryOf(file);
        try {
            try (OutputStream out = Files.newOutputStream(
                    temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                // the mode is set before any content is written
                Files.setPosixFilePermissions(temporary, permissions);
                out.write(content);
            }
            fence.check();
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        // what earlier writes of this file, killed before their move, left behind
        StaleTemporaries.removeOf(file, Instant.now());
    }

    /**
     * Deletes what {@code directory} holds and the directory, without following links: a link inside
     * is removed, never what it points at.
     */
    public static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path visited, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.deleteIfExists(visited);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Why a directory named by configuration (a token cache, the plugins) may not be trusted, fix first
     * (Pacemaker shows 128 characters of a reason); empty when it may. Such a directory may be reached
     * through a link, so it is judged by where it leads: that directory and every one above it must be
     * owned by root or this process, and writable by no one else; a directory above may be writable by
     * others when it is sticky ({@code /tmp}), where only an entry's owner may rename or remove the entry,
     * and that owner is checked next. (A directory whose owner can rename it, or one above it, can have
     * another put in its place.) A directory that does not exist is not trusted.
     */
    public static Optional<String> trustedDirectoryProblem(Path directory) {
        requireNonNull(directory, "directory is null");
        if (!directory.isAbsolute()) {
            return Optional.of("'" + directory + "' is not an absolute path");
        }
        Path real;
        try {
            real = directory.toRealPath();
        } catch (NoSuchFileException e) {
            return Optional.of(directory + " does not exist");
        } catch (IOException e) {
            return Optional.of(
                    "cannot inspect " + directory + ": " + e.getClass().getSimpleName());
        }
        if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(directory + " is not a directory");
        }
        try {
            Optional<String> problem = ownerOrModeProblem(real, false);
            for (Path above = real.getParent(); problem.isEmpty() && above != null; above = above.getParent()) {
                problem = ownerOrModeProblem(above, true);
            }
            return problem.map(found -> real.equals(directory) ? found : found + "; " + directory + " leads there");
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("cannot check the owner and mode of " + directory + ": "
                    + e.getClass().getSimpleName());
        }
    }

    /**
     * Makes a directory named by configuration if it does not exist (missing parents with the usual mode,
     * the directory itself 0700), then checks it may be trusted ({@link #trustedDirectoryProblem}). An
     * existing directory is used as it is, never chmod'ed: it may be another program's.
     *
     * @throws AccessDeniedException naming the problem, fix first, when it may not be trusted
     * @throws IOException when it cannot be made
     */
    public static Path trustedDirectory(Path directory) throws IOException {
        requireNonNull(directory, "directory is null");
        if (!directory.isAbsolute()) {
            throw new AccessDeniedException(directory.toString(), null, "'" + directory + "' is not an absolute path");
        }
        if (!Files.isDirectory(directory)) {
            Path parent = directory.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PRIVATE_DIRECTORY));
            } catch (FileAlreadyExistsException raced) {
                // made meanwhile by another action, or a file or a dangling link in the way: checked below
            }
        }
        Optional<String> problem = trustedDirectoryProblem(directory);
        if (problem.isPresent()) {
            throw new AccessDeniedException(directory.toString(), null, problem.get());
        }
        return directory;
    }

    /**
     * Why a file or directory may not be trusted by itself (a link is judged as itself): an owner other
     * than root or this process, or a mode that lets group or others write. Empty when neither.
     */
    public static Optional<String> ownerOrModeProblem(Path path) throws IOException {
        return ownerOrModeProblem(path, false);
    }

    /**
     * Opens {@code directory/name} for writing, created with mode 0600 when missing, without following a
     * link (a lock file, say): a link planted there makes this fail instead of opening its target.
     */
    public static FileChannel openPrivateFile(Path directory, String name) throws IOException {
        return FileChannel.open(
                directory.resolve(name),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(PRIVATE_FILE));
    }

    /** Owner root or this process, not writable by others; above the leaf, writable by others when sticky. */
    private static Optional<String> ownerOrModeProblem(Path path, boolean above) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(path, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
        int owner = (Integer) attributes.get("uid");
        int mode = (Integer) attributes.get("mode");
        if (owner != 0 && owner != currentUid()) {
            return Optional.of("chown root " + path + " (it is owned by uid " + owner + ")");
        }
        boolean othersWrite = (mode & (GROUP_WRITE_BIT | OTHERS_WRITE_BIT)) != 0;
        if (othersWrite && !(above && (mode & STICKY) != 0)) {
            return Optional.of("chmod go-w " + path + " (others can write to it)");
        }
        return Optional.empty();
    }

    /** The user this process runs as: the owner of {@code /proc/self}. */
    public static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            // not Linux: the owner of a file this process creates
            try {
                Path probe = Files.createTempFile("vpc-ha-uid", ".tmp");
                try {
                    return uid(probe);
                } finally {
                    Files.deleteIfExists(probe);
                }
            } catch (IOException unlikely) {
                throw new IllegalStateException("cannot tell which user this process runs as", unlikely);
            }
        }
    }

    private static int uid(Path path) {
        try {
            return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static boolean isSticky(Path directory) {
        try {
            return ((Integer) Files.getAttribute(directory, "unix:mode", LinkOption.NOFOLLOW_LINKS) & STICKY) != 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
