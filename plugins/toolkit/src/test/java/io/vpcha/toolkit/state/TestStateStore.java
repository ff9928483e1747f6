package io.vpcha.toolkit.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vpcha.host.testing.RecordingLog;
import io.vpcha.host.testing.TestClock;
import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestStateStore {
    @TempDir
    Path directory;

    private final TestClock clock = new TestClock();
    private final RecordingLog log = new RecordingLog();

    private StateStore store() {
        return new StateStore(() -> directory, clock, log, "node-b");
    }

    @Test
    void recordsAreWrittenPrivatelyAndReadBack() throws Exception {
        StateStore store = store();

        store.write("cache", Map.of("floating_ip.id", "r006-1", "zone", "us-south-1", "odd", "a=b\\c\n"));

        assertThat(store.read("cache"))
                .hasValue(Map.of("floating_ip.id", "r006-1", "zone", "us-south-1", "odd", "a=b\\c\n"));
        assertThat(Files.getPosixFilePermissions(directory.resolve("cache")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).as("no temporary file left").containsExactly(directory.resolve("cache"));
        }
        assertThat(store.read("other")).isEmpty();
    }

    @Test
    void everyCharacterOfKeysAndValuesIsReadBackAsWritten() throws Exception {
        StateStore store = store();
        Map<String, String> values = Map.of(
                "plain", "r006-1",
                " key with blanks ", "  value with leading and trailing blanks  ",
                "k=e:y#!", "v=a:l#u!e",
                "back\\slash", "c:\\dir\\",
                "lines", "one\ntwo\r\nthree\tfour\ffive",
                "control", "\u0000\u0001\u007f",
                "unicode ✓", "zürich-1 東京 \ud83d\ude80",
                "#not a comment", "!not one either",
                "empty", "");

        store.write("odd", values);

        assertThat(store.read("odd")).hasValue(values);
        assertThat(Files.readString(directory.resolve("odd")))
                .as("one line per pair, plain ASCII, no date")
                .startsWith("# vpc-ha state of this resource on this node\n")
                .hasLineCount(values.size() + 1)
                .matches("\\p{ASCII}*");
    }

    @Test
    void theMarkerAndTheLastVerificationFollowTheActionsClock() throws Exception {
        StateStore store = store();
        assertThat(store.isStarted()).isFalse();
        assertThat(store.lastVerified()).isEmpty();

        clock.advance(Duration.ofHours(1));
        store.markStarted();
        store.verifiedNow();

        assertThat(store.isStarted()).isTrue();
        assertThat(Files.readString(directory.resolve(StrategyContext.STARTED_MARKER)))
                .as("the marker the host looks for when the plugin is gone")
                .startsWith("started on node-b at ");
        assertThat(store.lastVerified())
                .hasValueSatisfying(at ->
                        assertThat(Duration.between(clock.instant(), at).abs()).isLessThan(Duration.ofMinutes(1)));
        store.clearStarted();
        store.clearStarted();
        assertThat(store.isStarted()).isFalse();
    }

    @Test
    void aMonitorsVerificationKeepsItsRecordsFirstThenTheTime() throws Exception {
        StateStore store = store();
        clock.advance(Duration.ofHours(1));

        store.verifiedNowBestEffort(() -> store.write("cache", Map.of("route.id", "r1")));

        assertThat(store.read("cache")).hasValue(Map.of("route.id", "r1"));
        assertThat(store.lastVerified())
                .as("by the action's clock")
                .hasValueSatisfying(at ->
                        assertThat(Duration.between(clock.instant(), at).abs()).isLessThan(Duration.ofMinutes(1)));
        assertThat(log.lines()).isEmpty();
    }

    @Test
    void aMonitorsVerificationThatCannotBeKeptIsAWarningNotAFailure() {
        StateStore store = store();

        assertThatCode(() -> store.verifiedNowBestEffort(() -> {
                    throw StrategyException.notConfigured("state directory is full");
                }))
                .doesNotThrowAnyException();

        assertThat(store.lastVerified())
                .as("the records first: no time without them")
                .isEmpty();
        assertThat(log.text()).isEqualTo("WARNING cannot record the verification: state directory is full");
    }

    @Test
    void aDamagedOrOversizedFileIsNoState() throws Exception {
        Files.writeString(directory.resolve("cache"), "floating_ip.id=\\u00zz\n");
        Files.writeString(directory.resolve("verified"), "at=yesterday\n");
        Files.write(directory.resolve("big"), new byte[(1 << 20) + 1]);

        assertThat(store().read("cache")).isEmpty();
        assertThat(store().lastVerified()).isEmpty();
        assertThat(store().read("big")).isEmpty();
        assertThat(log.text()).contains("is damaged; ignored").contains("is larger than any vpc-ha writes");
    }

    @Test
    void nothingIsWrittenOrReadThroughAPlantedLink() throws Exception {
        Path victim = Files.writeString(directory.resolveSibling(directory.getFileName() + "-victim"), "precious\n");
        Files.createSymbolicLink(directory.resolve("started"), victim);
        Files.createSymbolicLink(directory.resolve("cache"), victim);

        assertThat(store().isStarted()).as("a link is no marker").isFalse();
        assertThat(store().read("cache")).isEmpty();
        store().markStarted();
        store().write("cache", Map.of("a", "b"));

        assertThat(victim).hasContent("precious");
        assertThat(Files.isSymbolicLink(directory.resolve("started")))
                .as("the link was replaced")
                .isFalse();
        assertThat(store().read("cache")).hasValue(Map.of("a", "b"));
    }

    @Test
    void aStateDirectoryThatCannotBeUsedHoldsNothingAndStopStillSucceeds() {
        StateStore refused = new StateStore(
                () -> {
                    throw new UncheckedIOException(
                            "cannot use the state directory /run/x/vpc-ha/vip: /run/x/vpc-ha is a symbolic link",
                            new AccessDeniedException("/run/x/vpc-ha"));
                },
                clock,
                log,
                "node-b");
        StateStore full = new StateStore(
                () -> {
                    throw new UncheckedIOException(
                            "cannot use the state directory: no space", new IOException("ENOSPC"));
                },
                clock,
                log,
                "node-b");

        assertThat(refused.isStarted()).isFalse();
        assertThat(refused.read("cache")).isEmpty();
        assertThat(refused.lastVerified()).isEmpty();
        assertThatCode(refused::clearStarted).doesNotThrowAnyException();
        assertThatThrownBy(refused::markStarted)
                .isInstanceOf(StrategyException.class)
                .hasMessageContaining("is a symbolic link")
                .satisfies(
                        e -> assertThat(((StrategyException) e).kind()).isEqualTo(ErrorKind.INSUFFICIENT_PRIVILEGES));
        assertThatThrownBy(() -> full.write("cache", Map.of()))
                .satisfies(e -> assertThat(((StrategyException) e).kind()).isEqualTo(ErrorKind.GENERIC));
    }

    @Test
    void aNameIsAFileNameInTheDirectoryNothingElse() {
        assertThatThrownBy(() -> store().read("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store().read("")).isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ temporaries killed writes left

    @Test
    void aWriteRemovesTheTemporariesItsKilledPredecessorsLeft() throws Exception {
        Path stale = temporary("cache", clock.instant().minus(Duration.ofHours(2)));
        Path justOverAnHourOld = temporary("cache", clock.instant().minus(Duration.ofMinutes(61)));

        store().write("cache", Map.of("a", "b"));

        assertThat(stale).doesNotExist();
        assertThat(justOverAnHourOld).doesNotExist();
        assertThat(store().read("cache")).as("the target itself").hasValue(Map.of("a", "b"));
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).containsExactly(directory.resolve("cache"));
        }
    }

    @Test
    void aTemporaryThatALiveWriteMayStillUseIsKeptByTheActionsClock() throws Exception {
        Path justMade = temporary("cache", clock.instant());
        Path almostAnHourOld = temporary("cache", clock.instant().minus(Duration.ofMinutes(59)));

        store().write("cache", Map.of("a", "b"));

        assertThat(justMade).exists();
        assertThat(almostAnHourOld).exists();

        clock.advance(Duration.ofMinutes(2));
        store().write("cache", Map.of("a", "c"));

        assertThat(justMade).exists();
        assertThat(almostAnHourOld).as("over an hour old by the action's clock").doesNotExist();
        assertThat(store().read("cache")).hasValue(Map.of("a", "c"));
    }

    @Test
    void anotherRecordsTemporariesAndLookAlikesAreKept() throws Exception {
        Instant old = clock.instant().minus(Duration.ofHours(2));
        // ".cache.*.tmp" would match the first: another record's temporary, not this one's
        Path longerName = temporary("cache.old", old);
        Path otherName = temporary("verified", old);
        Path notAUuid = setTime(Files.writeString(directory.resolve(".cache.backup.tmp"), "kept"), old);

        store().write("cache", Map.of("a", "b"));

        assertThat(longerName).exists();
        assertThat(otherName).exists();
        assertThat(notAUuid).exists();
    }

    @Test
    void aLinkOrADirectoryNamedLikeATemporaryIsKeptAndWhatTheLinkLeadsToUntouched() throws Exception {
        Instant old = clock.instant().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        Path victim = setTime(
                Files.writeString(
                        Files.createDirectory(directory.resolve("elsewhere")).resolve("victim"), "precious"),
                old);
        Path link = Files.createSymbolicLink(temporaryName("cache"), victim);
        Files.getFileAttributeView(link, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(FileTime.from(old), null, null);
        Path subdirectory = setTime(Files.createDirectory(temporaryName("cache")), old);

        store().write("cache", Map.of("a", "b"));

        assertThat(Files.isSymbolicLink(link)).as("the link").isTrue();
        assertThat(victim).hasContent("precious");
        assertThat(Files.getLastModifiedTime(victim).toInstant()).isEqualTo(old);
        assertThat(subdirectory).isDirectory();
        assertThat(store().read("cache")).hasValue(Map.of("a", "b"));
    }

    @Test
    void nothingIsRemovedFromADirectoryOthersCanWrite() throws Exception {
        Path stale = temporary("cache", clock.instant().minus(Duration.ofHours(2)));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));

        store().write("cache", Map.of("a", "b"));

        assertThat(stale).as("anyone could have put it there").exists();
        assertThat(store().read("cache")).hasValue(Map.of("a", "b"));
    }

    @Test
    void anotherUsersTemporaryIsKept() throws Exception {
        assumeTrue(
                Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")),
                "only root can give a file to another user");
        Path foreign = temporary("cache", clock.instant().minus(Duration.ofHours(2)));
        Files.setAttribute(foreign, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);

        store().write("cache", Map.of("a", "b"));

        assertThat(foreign).exists();
    }

    private Path temporaryName(String name) {
        return directory.resolve("." + name + "." + UUID.randomUUID() + ".tmp");
    }

    private Path temporary(String name, Instant modified) throws IOException {
        return setTime(Files.writeString(temporaryName(name), "half a write"), modified);
    }

    private static Path setTime(Path path, Instant modified) throws IOException {
        Files.setLastModifiedTime(path, FileTime.from(modified));
        return path;
    }
}
