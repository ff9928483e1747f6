package io.vpcha.toolkit.state;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What a strategy keeps on this node between actions, in the resource's state directory (private to
 * the resource, emptied at boot): the "started here" marker, when the resource was last verified
 * (the start of a monitor's grace), and named records of {@code key=value} pairs (ids looked up once).
 *
 * <p>Every file is written as a new file (never through a link, mode 0600) and moved into place, so an
 * action killed half-way never leaves half a file, and a reader sees the old content or the new. A
 * file that cannot be read, is too large or is not a properties file is no state at all: it is only a
 * cache, and the next action rebuilds it. A write also removes the temporaries that earlier writes of
 * the same file, killed before their move, left (see {@code StaleTemporaries}).
 *
 * <p>Stop never fails for want of a state directory: one that cannot be made or used holds no marker.
 */
public final class StateStore {
    /** The SPI's name, the one the host looks for when the strategy's plugin is gone. */
    private static final String STARTED = StrategyContext.STARTED_MARKER;

    private static final String VERIFIED = "verified";
    private static final int LARGEST_FILE = 1 << 20;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private final Supplier<Path> directory;
    private final Clock clock;
    private final System.Logger log;
    private final String nodeName;

    /**
     * @param directory the state directory, created on first use (as the host's context does); an
     *     {@link UncheckedIOException} when it cannot be
     */
    public StateStore(Supplier<Path> directory, Clock clock, System.Logger log, String nodeName) {
        this.directory = requireNonNull(directory, "directory is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.log = requireNonNull(log, "log is null");
        this.nodeName = requireNonNull(nodeName, "nodeName is null");
    }

    /** The store of the resource an action is for. */
    public static StateStore of(StrategyContext context) {
        return new StateStore(context::stateDirectory, context.clock(), context.logger(), context.nodeName());
    }

    // ------------------------------------------------------------------ the "started here" marker

    /** Whether the resource was started on this node and not stopped since. */
    public boolean isStarted() {
        return usableDirectory()
                .map(dir -> Files.isRegularFile(dir.resolve(STARTED), LinkOption.NOFOLLOW_LINKS))
                .orElse(false);
    }

    /** Records that the resource runs on this node now. */
    public void markStarted() throws StrategyException {
        writeText(STARTED, "started on " + nodeName + " at " + clock.instant() + "\n");
    }

    /**
     * Removes the marker first thing in a stop. A state directory that cannot be made or used holds
     * none, which is success.
     *
     * @throws StrategyException when a marker that is there cannot be removed (a later probe would
     *     report the resource running here)
     */
    public void clearStarted() throws StrategyException {
        delete(STARTED);
    }

    // ------------------------------------------------------------------ the last verification

    /** When the resource was last seen working from this node; empty when never (or unreadable). */
    public Optional<Instant> lastVerified() {
        return read(VERIFIED).map(values -> values.get("at")).flatMap(text -> {
            try {
                return Optional.of(Instant.parse(text));
            } catch (DateTimeParseException corrupt) {
                return Optional.empty();
            }
        });
    }

    /** Records that the resource was seen working from this node at {@code when}. */
    public void verified(Instant when) throws StrategyException {
        write(VERIFIED, Map.of("at", when.toString()));
    }

    /** Records that the resource was seen working now, by the action's clock. */
    public void verifiedNow() throws StrategyException {
        verified(clock.instant());
    }

    /**
     * What a monitor that saw the resource working keeps: {@code records} first (e.g. ids it looked up,
     * written when they changed), then the time of this verification. Never throws: the monitor's answer
     * is right either way, only the grace of a later monitor is shorter, so a failure is a warning.
     */
    public void verifiedNowBestEffort(RecordWrites records) {
        try {
            records.write();
            verifiedNow();
        } catch (StrategyException e) {
            log.log(Level.WARNING, "cannot record the verification: " + e.reason());
        }
    }

    /** Writes of named records that come with a verification ({@link #verifiedNowBestEffort}). */
    @FunctionalInterface
    public interface RecordWrites {
        void write() throws StrategyException;
    }

    // ------------------------------------------------------------------ named records

    /** The pairs of record {@code name}; empty when there is none or it cannot be read. */
    public Optional<Map<String, String>> read(String name) {
        checkName(name);
        Optional<Path> dir = usableDirectory();
        if (dir.isEmpty()) {
            return Optional.empty();
        }
        Path file = dir.get().resolve(name);
        byte[] content;
        try (SeekableByteChannel channel = Files.newByteChannel(
                        file, Set.<OpenOption>of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
                InputStream in = Channels.newInputStream(channel)) {
            if (channel.size() > LARGEST_FILE) {
                log.log(Level.WARNING, "state file " + file + " is larger than any vpc-ha writes; ignored");
                return Optional.empty();
            }
            content = in.readNBytes(LARGEST_FILE + 1);
        } catch (NoSuchFileException missing) {
            return Optional.empty();
        } catch (IOException | RuntimeException unreadable) {
            log.log(Level.WARNING, "state file " + file + " cannot be read; ignored: " + unreadable.getMessage());
            return Optional.empty();
        }
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(new String(content, StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException corrupt) {
            log.log(Level.WARNING, "state file " + file + " is damaged; ignored");
            return Optional.empty();
        }
        Map<String, String> values = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key)));
        return Optional.of(Collections.unmodifiableMap(values));
    }

    /** Replaces record {@code name} with {@code values}, atomically. */
    public void write(String name, Map<String, String> values) throws StrategyException {
        checkName(name);
        StringBuilder body = new StringBuilder("# vpc-ha state of this resource on this node\n");
        new TreeMap<>(values).forEach((key, value) -> {
            appendEscaped(key, true, body);
            body.append('=');
            appendEscaped(value, false, body);
            body.append('\n');
        });
        writeText(name, body.toString());
    }

    /**
     * Appends {@code text} as {@link Properties#load} reads it back. Not {@link Properties#store}: it always
     * writes a date comment first, and {@code Date.toString()} loads the time zone data and locale bundles,
     * ≈ 12 ms of every cold monitor, which writes the "verified" record (JDK 17; docs/performance.md).
     */
    private static void appendEscaped(String text, boolean key, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\', '=', ':', '#', '!' -> out.append('\\').append(c);
                // a blank ends a key, and load() drops the blanks before a value
                case ' ' -> out.append(key || i == 0 ? "\\ " : " ");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append("\\u")
                                .append(Integer.toHexString(c | 0x10000).substring(1));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }

    /** Removes record {@code name}; a missing one, or a state directory that cannot be used, is fine. */
    public void delete(String name) throws StrategyException {
        checkName(name);
        Optional<Path> dir = usableDirectory();
        if (dir.isEmpty()) {
            return;
        }
        Path file = dir.get().resolve(name);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new StrategyException(ErrorKind.GENERIC, "cannot remove " + file + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ files

    private void writeText(String name, String text) throws StrategyException {
        Path dir = directory();
        Path target = dir.resolve(name);
        Path temporary = StaleTemporaries.temporaryOf(dir, name);
        try {
            try (SeekableByteChannel channel = Files.newByteChannel(
                    temporary,
                    Set.<OpenOption>of(
                            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // the failure that matters is the one reported
            }
            throw new StrategyException(ErrorKind.GENERIC, "cannot write " + target + ": " + e.getMessage(), e);
        }
        // what earlier writes of this file, killed before their move, left behind
        StaleTemporaries.removeOf(dir, name, clock.instant());
    }

    /** The state directory, or the failure to make it as the strategy reports it. */
    private Path directory() throws StrategyException {
        try {
            return directory.get();
        } catch (UncheckedIOException e) {
            ErrorKind kind = e.getCause() instanceof AccessDeniedException
                    ? ErrorKind.INSUFFICIENT_PRIVILEGES
                    : ErrorKind.GENERIC;
            throw new StrategyException(kind, e.getMessage(), e);
        }
    }

    /** The state directory, or empty when it cannot be made or used: then it holds nothing. */
    private Optional<Path> usableDirectory() {
        try {
            return Optional.of(directory.get());
        } catch (UncheckedIOException e) {
            log.log(Level.DEBUG, () -> e.getMessage() + "; nothing recorded there");
            return Optional.empty();
        }
    }

    private static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a state file name");
        }
    }
}
