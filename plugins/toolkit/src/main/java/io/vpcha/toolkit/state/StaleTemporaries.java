package io.vpcha.toolkit.state;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Removes the temporaries of {@link StateStore} writes that a killed action left behind. Every action
 * is a cold JVM that Pacemaker may kill at its timeout; one killed between creating
 * {@code .NAME.<uuid>.tmp} and moving it over {@code NAME} leaves it there for good, and a monitor every
 * 10 s for years adds them up. So each write of {@code NAME} removes what its own earlier, dead writes
 * left: only {@code .NAME.<uuid>.tmp} of that very name, a regular file (not a link), owned by this user,
 * unchanged for {@link #STALE} (a live write takes well under a second), and only in a directory no
 * other user may write. Best effort: nothing here fails or delays a write.
 *
 * <p>The host's {@code SafeFiles} does the same for its files, but plugins see only the SPI and bundle
 * the toolkit, so this is the toolkit's own copy, including the check of the directory (the host's
 * context checked it when it handed it over; this one looks again before removing anything).
 */
final class StaleTemporaries {
    /** How long a temporary stays untouched before it is certainly not a live write's. */
    static final Duration STALE = Duration.ofHours(1);

    private static final String SUFFIX = ".tmp";
    private static final int UUID_LENGTH = 36;
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final int GROUP_OR_OTHERS_WRITE = 0022;

    private StaleTemporaries() {}

    /** The temporary a write of {@code name} in {@code directory} goes through. */
    static Path temporaryOf(Path directory, String name) {
        return directory.resolve("." + name + "." + UUID.randomUUID() + SUFFIX);
    }

    /**
     * Removes the stale temporaries of {@code name}, just written into {@code directory}, as of {@code now};
     * any failure is ignored. Lists one directory with a filter on the exact name (not a glob: {@code
     * .NAME.*.tmp} also matches {@code .NAME.other.<uuid>.tmp}, another record's temporary).
     */
    static void removeOf(Path directory, String name, Instant now) {
        try {
            // the user this process runs as: the owner of the file it has just moved into place
            int self = (Integer) Files.getAttribute(directory.resolve(name), "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (!writableOnlyBy(directory, self)) {
                return; // another user could have put anything there: nothing is removed
            }
            FileTime staleBefore = FileTime.from(now.minus(STALE));
            try (DirectoryStream<Path> temporaries = Files.newDirectoryStream(directory, new TemporariesOf(name))) {
                for (Path temporary : temporaries) {
                    removeIfStale(temporary, self, staleBefore);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort: the write succeeded, and the next one tries again
        }
    }

    /**
     * The directory's entries that are {@code NAME}'s temporaries. A class, not a lambda: a cold JVM
     * spins a class for every lambda the first time it runs (the class-data-sharing archive holds none of
     * a plugin's), and every action is a first time.
     */
    private static final class TemporariesOf implements DirectoryStream.Filter<Path> {
        private final String name;

        TemporariesOf(String name) {
            this.name = name;
        }

        @Override
        public boolean accept(Path entry) {
            return isTemporaryOf(entry.getFileName().toString(), name);
        }
    }

    /** Whether {@code candidate} is exactly {@code .NAME.<uuid>.tmp} for {@code name}. */
    static boolean isTemporaryOf(String candidate, String name) {
        int uuidStart = name.length() + 2;
        return candidate.length() == uuidStart + UUID_LENGTH + SUFFIX.length()
                && candidate.charAt(0) == '.'
                && candidate.startsWith(name, 1)
                && candidate.charAt(uuidStart - 1) == '.'
                && candidate.endsWith(SUFFIX)
                && UUID_TEXT
                        .matcher(candidate.substring(uuidStart, uuidStart + UUID_LENGTH))
                        .matches();
    }

    /** The host's rule for a state directory: a real directory of root or this user, no one else writes. */
    private static boolean writableOnlyBy(Path directory, int self) throws IOException {
        Map<String, Object> attributes =
                Files.readAttributes(directory, "unix:uid,mode,isDirectory", LinkOption.NOFOLLOW_LINKS);
        int owner = (Integer) attributes.get("uid");
        return Boolean.TRUE.equals(attributes.get("isDirectory"))
                && (owner == self || owner == 0)
                && ((Integer) attributes.get("mode") & GROUP_OR_OTHERS_WRITE) == 0;
    }

    private static void removeIfStale(Path temporary, int self, FileTime staleBefore) {
        try {
            Map<String, Object> attributes = Files.readAttributes(
                    temporary, "unix:uid,isRegularFile,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            if (Boolean.TRUE.equals(attributes.get("isRegularFile"))
                    && (Integer) attributes.get("uid") == self
                    && ((FileTime) attributes.get("lastModifiedTime")).compareTo(staleBefore) < 0) {
                // unlink: removes the entry itself, never what a link (not one here) would lead to
                Files.deleteIfExists(temporary);
            }
        } catch (IOException | RuntimeException ignored) {
            // gone meanwhile (another action removed it), or not ours to remove
        }
    }
}
