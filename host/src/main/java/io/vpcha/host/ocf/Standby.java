package io.vpcha.host.ocf;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.files.PropertiesText;
import io.vpcha.host.files.SafeFiles;
import io.vpcha.spi.Readiness;
import io.vpcha.spi.ReadinessProblem;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The host's record that an instance of a promotable resource runs on this node in the Unpromoted
 * role, with the last readiness seen: {@code <state root>/vpc-ha/.standby/<instance>}. It sits beside
 * the strategies' state directories, never in one (a strategy owns its directory), under a name no
 * resource's directory can have (theirs never start with a dot). Emptied at boot with the state root,
 * as a stopped instance must be.
 */
final class Standby {
    private static final int LARGEST_FILE = 16 * 1024;

    private final Path stateRoot;
    private final String resourceInstance;

    Standby(Path stateRoot, String resourceInstance) {
        this.stateRoot = requireNonNull(stateRoot, "stateRoot is null");
        this.resourceInstance = requireNonNull(resourceInstance, "resourceInstance is null");
    }

    /**
     * The readiness last recorded and when.
     *
     * @param promoted whether the instance was promoted here and not demoted since
     */
    record Seen(Readiness readiness, Instant at, boolean promoted) {
        Seen {
            requireNonNull(readiness, "readiness is null");
            requireNonNull(at, "at is null");
        }
    }

    Path file() {
        return stateRoot.resolve("vpc-ha").resolve(".standby").resolve(HostStrategyContext.safeName(resourceInstance));
    }

    /** Whether the instance was started here (Unpromoted) and not stopped since. */
    boolean isStarted() {
        return Files.isRegularFile(file(), LinkOption.NOFOLLOW_LINKS);
    }

    /** The last readiness recorded; empty when none or unreadable. */
    Optional<Seen> last() {
        Path file = file();
        byte[] content;
        try (SeekableByteChannel channel = Files.newByteChannel(
                        file, Set.<OpenOption>of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
                InputStream in = Channels.newInputStream(channel)) {
            if (channel.size() > LARGEST_FILE) {
                return Optional.empty();
            }
            content = in.readNBytes(LARGEST_FILE);
        } catch (NoSuchFileException missing) {
            return Optional.empty();
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
        Properties values = new Properties();
        try {
            values.load(new StringReader(new String(content, StandardCharsets.UTF_8)));
            Instant at = Instant.parse(values.getProperty("at", ""));
            boolean promoted = "true".equals(values.getProperty("promoted"));
            if ("true".equals(values.getProperty("ready"))) {
                return Optional.of(new Seen(Readiness.ready(), at, promoted));
            }
            ReadinessProblem problem = ReadinessProblem.valueOf(
                    values.getProperty("problem", "OTHER").toUpperCase(Locale.ROOT));
            String reason = values.getProperty("reason", "");
            return Optional.of(
                    new Seen(Readiness.notReady(problem, reason.isBlank() ? "unknown" : reason), at, promoted));
        } catch (IOException | IllegalArgumentException | DateTimeParseException damaged) {
            return Optional.empty();
        }
    }

    /** Records that the instance runs here, in the role {@code promoted}, with its readiness at {@code at}. */
    void record(Readiness readiness, Instant at, boolean promoted) throws IOException {
        write(readiness, at, promoted);
    }

    /** Records that the instance was promoted here, with the readiness its promotion proved. */
    void promoted(Readiness readiness, Instant at) throws IOException {
        write(readiness, at, true);
    }

    /** Records the instance's role: promoted here, or not (demoted, or only started). */
    void promoted(boolean promoted, Instant at) throws IOException {
        write(last().map(Seen::readiness).orElse(Readiness.ready()), at, promoted);
    }

    private void write(Readiness readiness, Instant at, boolean promoted) throws IOException {
        Map<String, String> values = new TreeMap<>();
        values.put("promoted", Boolean.toString(promoted));
        values.put("ready", Boolean.toString(readiness.isReady()));
        if (readiness.problem().isPresent()) {
            values.put("problem", readiness.problem().get().code());
        }
        values.put("reason", readiness.reason());
        values.put("at", at.toString());
        // not Properties.store, whose date line costs every Unpromoted monitor ≈ 12 ms (PropertiesText)
        byte[] text = PropertiesText.bytes("vpc-ha: this instance of a promotable clone runs here", values);
        Path standby = SafeFiles.privateDirectory(
                HostStrategyContext.ownDirectory(stateRoot).resolve(".standby"));
        SafeFiles.writeAtomically(
                standby.resolve(file().getFileName()), text, PosixFilePermissions.fromString("rw-------"));
    }

    /** Forgets the instance (stop); a record that cannot be removed is reported as the IOException. */
    void clear() throws IOException {
        Files.deleteIfExists(file());
    }
}
