package io.vpcha.host.files;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The directories vpc-ha writes into (the token cache, a resource's state) and reads code or secrets
 * from (plugins), and how files are made in them. Root runs every action, so a directory another
 * user can change is a way for that user to make root write through a planted symbolic link, or load
 * a planted jar.
 *
 * <p>A directory is safe when it is owned by root or by the user running vpc-ha, no one else may
 * write to it, and the same holds for every directory above it, except that a directory above may be
 * writable by others when its sticky bit is set (as {@code /tmp} is): there only an entry's owner may
 * rename or remove it, and that owner is checked at the next level. A symbolic link on the way is
 * followed and its target checked. This is the rule OpenSSH's StrictModes and sudo apply to the files
 * they trust, relaxed for sticky directories.
 *
 * <p>Files are created without following links (create-new, then an atomic rename over the old one),
 * with mode 0600; a directory vpc-ha creates gets 0700, and one it did not create is never chmod'ed.
 */
public final class SafeDirectory {
    private static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
    private static final int ROOT = 0;
    private static final int GROUP_WRITE = 0020;
    private static final int OTHERS_WRITE = 0002;
    private static final int STICKY = 01000;

    private SafeDirectory() {}

    /**
     * Why {@code directory} is not safe to write into, as a fix first (Pacemaker shows the first 128
     * characters of a reason); empty when it is safe. A directory that does not exist is not safe.
     */
    public static Optional<String> problem(Path directory) {
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
        try {
            if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(directory + " is not a directory");
            }
            Optional<String> leafProblem = ownerOrModeProblem(real, false);
            if (leafProblem.isPresent()) {
                return leafProblem.map(p -> describe(directory, real, p));
            }
            for (Path above = real.getParent(); above != null; above = above.getParent()) {
                Optional<String> aboveProblem = ownerOrModeProblem(above, true);
                if (aboveProblem.isPresent()) {
                    return aboveProblem.map(p -> describe(directory, real, p));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(
                    "cannot inspect " + directory + ": " + e.getClass().getSimpleName());
        } catch (UnsupportedOperationException e) {
            return Optional.of("cannot check the owner and mode of " + directory + " on this file system");
        }
    }

    /**
     * Makes {@code directory} if it does not exist (missing parents 0755, the directory itself 0700),
     * then checks it is safe. An existing directory is used as it is, never chmod'ed.
     *
     * @throws UnsafeDirectoryException when it is not safe, saying why and what to do
     * @throws IOException when it cannot be made
     */
    public static Path ensure(Path directory) throws IOException {
        requireNonNull(directory, "directory is null");
        if (!directory.isAbsolute()) {
            throw new UnsafeDirectoryException("'" + directory + "' is not an absolute path");
        }
        if (!Files.isDirectory(directory)) {
            Path parent = directory.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PRIVATE_DIRECTORY));
            } catch (FileAlreadyExistsException raced) {
                // made meanwhile by a concurrent action, or a file or dangling link is in the way: checked below
            }
        }
        Optional<String> problem = problem(directory);
        if (problem.isPresent()) {
            throw new UnsafeDirectoryException(problem.get());
        }
        return directory;
    }

    /**
     * Replaces {@code directory/name} with {@code content}, mode 0600, atomically: readers see the old
     * file or the new one, never a part; a link planted at either name is replaced, never followed.
     */
    public static void writeFile(Path directory, String name, byte[] content) throws IOException {
        Path target = directory.resolve(name);
        Path temporary = directory.resolve(name + ".tmp-"
                + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId());
        Files.deleteIfExists(temporary);
        try (FileChannel channel = FileChannel.open(
                temporary,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(PRIVATE_FILE))) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        try {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Opens (creating if needed, mode 0600) {@code directory/name} for writing without following a
     * link, e.g. a lock file: a link planted there makes this fail instead of opening its target.
     */
    public static FileChannel openPrivateFile(Path directory, String name) throws IOException {
        Set<OpenOption> options =
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        return FileChannel.open(directory.resolve(name), options, PosixFilePermissions.asFileAttribute(PRIVATE_FILE));
    }

    /** The user this process runs as: the owner of {@code /proc/self}. */
    public static int currentUid() {
        return CurrentUser.UID;
    }

    /**
     * Why {@code path} (a file or directory) may not be trusted on its own: an owner other than root or
     * this user, or a mode that lets group or others write; empty when neither.
     */
    public static Optional<String> ownerOrModeProblem(Path path) throws IOException {
        return ownerOrModeProblem(path, false);
    }

    /** Owner root or this user, not writable by others; above the leaf, others may write when sticky. */
    private static Optional<String> ownerOrModeProblem(Path path, boolean above) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(path, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
        int owner = (Integer) attributes.get("uid");
        int mode = (Integer) attributes.get("mode");
        if (owner != ROOT && owner != currentUid()) {
            return Optional.of("chown root " + path + " (it is owned by uid " + owner + ")");
        }
        boolean othersWrite = (mode & (GROUP_WRITE | OTHERS_WRITE)) != 0;
        boolean sticky = (mode & STICKY) != 0;
        if (othersWrite && !(above && sticky)) {
            return Optional.of("chmod go-w " + path + " (others can write to it)");
        }
        return Optional.empty();
    }

    private static String describe(Path given, Path real, String problem) {
        return real.equals(given) ? problem : problem + "; " + given + " leads there";
    }

    /** Looked up once, on first use. */
    private static final class CurrentUser {
        static final int UID = lookUp();

        private static int lookUp() {
            try {
                return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            } catch (IOException | RuntimeException e) {
                return ROOT;
            }
        }
    }
}
