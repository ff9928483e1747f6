package io.vpcha.host.files;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
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
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Files and directories that root writes into, kept out of reach of other users: every directory
 * vpc-ha writes into is a real directory (not a link) owned by the user vpc-ha runs as (root under
 * Pacemaker) and writable by nobody else; every file is created new, without following a link, and
 * moved into place. One helper for the state directories, the plugin index and the token cache.
 */
public final class SafeFiles {
    private static final Set<PosixFilePermission> OTHERS_WRITE =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
    private static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final int STICKY = 01000;

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
     * target. A reader sees the old content or the new, never half of it.
     */
    public static void writeAtomically(Path file, byte[] content, Set<PosixFilePermission> permissions)
            throws IOException {
        Path temporary = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(
                    temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                // the mode is set before any content is written
                Files.setPosixFilePermissions(temporary, permissions);
                out.write(content);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
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
