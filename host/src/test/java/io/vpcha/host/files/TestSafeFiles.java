package io.vpcha.host.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestSafeFiles {
    private static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
    private static final String NAME = "token.json";

    @TempDir
    Path directory;

    /** Older than any live write can be: what a write killed two hours ago left. */
    private final FileTime twoHoursAgo =
            FileTime.from(Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS));

    @Test
    void aWriteRemovesTheTemporariesItsKilledPredecessorsLeft() throws Exception {
        Path stale = temporary(NAME, twoHoursAgo);
        Path otherStale = temporary(NAME, twoHoursAgo);

        write("new");

        assertThat(stale).doesNotExist();
        assertThat(otherStale).doesNotExist();
        assertThat(directory.resolve(NAME)).as("the target itself").hasContent("new");
        try (Stream<Path> left = Files.list(directory)) {
            assertThat(left).containsExactly(directory.resolve(NAME));
        }
    }

    @Test
    void aTemporaryThatALiveWriteMayStillUseIsKept() throws Exception {
        Path justMade = temporary(NAME, FileTime.from(Instant.now()));
        Path almostAnHourOld = temporary(NAME, FileTime.from(Instant.now().minus(Duration.ofMinutes(59))));
        Path justOverAnHourOld = temporary(NAME, FileTime.from(Instant.now().minus(Duration.ofMinutes(61))));

        write("new");

        assertThat(justMade).exists();
        assertThat(almostAnHourOld).exists();
        assertThat(justOverAnHourOld).doesNotExist();
        assertThat(directory.resolve(NAME)).hasContent("new");
    }

    @Test
    void anotherFilesTemporariesAndLookAlikesAreKept() throws Exception {
        // ".token.json.*.tmp" would match the first: another file's temporary, not this one's
        Path longerName = temporary(NAME + ".old", twoHoursAgo);
        Path otherName = temporary("other", twoHoursAgo);
        Path notAUuid = old(Files.writeString(directory.resolve("." + NAME + ".backup.tmp"), "kept"));
        Path upperCaseUuid = old(Files.writeString(
                directory.resolve(
                        "." + NAME + "." + UUID.randomUUID().toString().toUpperCase(Locale.ROOT) + ".tmp"),
                "kept"));
        Path noDot = old(Files.writeString(directory.resolve(NAME + "." + UUID.randomUUID() + ".tmp"), "kept"));

        write("new");

        assertThat(longerName).exists();
        assertThat(otherName).exists();
        assertThat(notAUuid).exists();
        assertThat(upperCaseUuid).exists();
        assertThat(noDot).exists();
    }

    @Test
    void aLinkOrADirectoryNamedLikeATemporaryIsKeptAndWhatTheLinkLeadsToUntouched() throws Exception {
        Path victim = old(Files.writeString(
                Files.createDirectory(directory.resolve("elsewhere")).resolve("victim"), "precious"));
        Path link = Files.createSymbolicLink(temporaryName(NAME), victim);
        oldLink(link);
        Path subdirectory = old(Files.createDirectory(temporaryName(NAME)));

        write("new");

        assertThat(Files.isSymbolicLink(link)).as("the link").isTrue();
        assertThat(victim).hasContent("precious");
        assertThat(Files.getLastModifiedTime(victim)).isEqualTo(twoHoursAgo);
        assertThat(subdirectory).isDirectory();
        assertThat(directory.resolve(NAME)).hasContent("new");
    }

    @Test
    void nothingIsRemovedFromADirectoryOthersCanWrite() throws Exception {
        Path stale = temporary(NAME, twoHoursAgo);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));

        write("new");

        assertThat(stale).as("anyone could have put it there").exists();
        assertThat(directory.resolve(NAME)).hasContent("new");
    }

    @Test
    void anotherUsersTemporaryIsKept() throws Exception {
        assumeTrue(SafeFiles.currentUid() == 0, "only root can give a file to another user");
        Path foreign = temporary(NAME, twoHoursAgo);
        Files.setAttribute(foreign, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);

        write("new");

        assertThat(foreign).exists();
    }

    @Test
    void aTemporaryNameIsTheDotTheFilesNameAUuidAndTmp() {
        String uuid = UUID.randomUUID().toString();
        assertThat(StaleTemporaries.temporaryOf(directory.resolve(NAME))
                        .getFileName()
                        .toString())
                .matches("\\.token\\.json\\.[0-9a-f-]{36}\\.tmp")
                .satisfies(name ->
                        assertThat(StaleTemporaries.isTemporaryOf(name, NAME)).isTrue());
        assertThat(StaleTemporaries.isTemporaryOf("." + NAME + "." + uuid + ".tmp", NAME))
                .isTrue();
        assertThat(StaleTemporaries.isTemporaryOf(NAME, NAME)).isFalse();
        assertThat(StaleTemporaries.isTemporaryOf("." + NAME + ".x" + uuid.substring(1) + ".tmp", NAME))
                .isFalse();
        assertThat(StaleTemporaries.isTemporaryOf("." + NAME + "." + uuid + ".tmq", NAME))
                .isFalse();
        assertThat(StaleTemporaries.isTemporaryOf(".token.jsox." + uuid + ".tmp", NAME))
                .isFalse();
        assertThat(StaleTemporaries.isTemporaryOf("." + NAME + "." + uuid + ".tmp", "token.jso"))
                .isFalse();
    }

    private void write(String content) throws IOException {
        SafeFiles.writeAtomically(directory.resolve(NAME), content.getBytes(StandardCharsets.UTF_8), PRIVATE_FILE);
    }

    private Path temporaryName(String name) {
        return directory.resolve("." + name + "." + UUID.randomUUID() + ".tmp");
    }

    private Path temporary(String name, FileTime modified) throws IOException {
        Path temporary = Files.writeString(temporaryName(name), "half a write");
        Files.setLastModifiedTime(temporary, modified);
        return temporary;
    }

    private Path old(Path path) throws IOException {
        Files.setLastModifiedTime(path, twoHoursAgo);
        return path;
    }

    /** The link's own time, not its target's. */
    private void oldLink(Path link) throws IOException {
        Files.getFileAttributeView(link, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(twoHoursAgo, null, null);
        assertThat(Files.getLastModifiedTime(link, LinkOption.NOFOLLOW_LINKS)).isEqualTo(twoHoursAgo);
    }
}
