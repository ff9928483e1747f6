package io.vpcha.host.ocf;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.files.PropertiesText;
import io.vpcha.host.files.SafeFiles;
import io.vpcha.host.files.SmallFile;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * One of the host's small records about a resource on this node, {@code <state root>/vpc-ha/<kind>/<instance>}
 * (e.g. {@code .stop}): beside the strategies' state directories, never in one (a strategy owns its
 * directory), in a directory whose name no resource's directory can have. Like every file vpc-ha writes
 * it is root's alone (0600 in 0700 directories), written to a new file and renamed into place, never
 * through a link; one that others could have written is not trusted. Emptied at boot with the state root.
 */
final class ResourceRecordFile {
    /** Far more than any record; a larger file is no record. */
    private static final int LARGEST_FILE = 64 * 1024;

    private final Path stateRoot;
    private final String kind;
    private final String resourceInstance;

    /** @param kind the directory of this kind of record below {@code <state root>/vpc-ha}, starting with '.' */
    ResourceRecordFile(Path stateRoot, String kind, String resourceInstance) {
        this.stateRoot = requireNonNull(stateRoot, "stateRoot is null");
        this.kind = requireNonNull(kind, "kind is null");
        this.resourceInstance = requireNonNull(resourceInstance, "resourceInstance is null");
        if (!kind.startsWith(".") || kind.contains("/")) {
            throw new IllegalArgumentException("not a record directory: " + kind);
        }
    }

    Path file() {
        return HostStrategyContext.stateDirectoryOf(stateRoot, resourceInstance)
                .resolveSibling(kind)
                .resolve(HostStrategyContext.safeName(resourceInstance));
    }

    /**
     * What is recorded; empty when nothing is, and when the record cannot be trusted, read or parsed,
     * which the log says.
     */
    Optional<Properties> read(System.Logger log) {
        Path file = file();
        Optional<String> problem = HostStrategyContext.ownDirectoryProblem(stateRoot, kind);
        if (problem.isPresent()) {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                log.log(Level.WARNING, "ignoring " + file + ": " + problem.get());
            }
            return Optional.empty();
        }
        byte[] content;
        try {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            Optional<String> fileProblem = SafeFiles.ownerOrModeProblem(file);
            if (fileProblem.isPresent()) {
                log.log(Level.WARNING, "ignoring " + file + ": " + fileProblem.get());
                return Optional.empty();
            }
            content = SmallFile.read(file, LARGEST_FILE);
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException | UncheckedIOException | UnsupportedOperationException e) {
            log.log(Level.WARNING, "ignoring " + file + ", which cannot be read: " + e.getMessage());
            return Optional.empty();
        }
        Properties values = new Properties();
        try {
            values.load(new StringReader(new String(content, StandardCharsets.UTF_8)));
            return Optional.of(values);
        } catch (IOException | IllegalArgumentException damaged) {
            logDamaged(log);
            return Optional.empty();
        }
    }

    void logDamaged(System.Logger log) {
        log.log(Level.WARNING, "ignoring " + file() + ", which is damaged");
    }

    /**
     * Records {@code values}, in the map's order, replacing what was recorded.
     *
     * @param comment the file's first line: one line of printable ASCII
     */
    void write(Map<String, String> values, String comment) throws IOException {
        byte[] text = PropertiesText.bytes(comment, values);
        Path directory = SafeFiles.privateDirectory(
                HostStrategyContext.ownDirectory(stateRoot).resolve(kind));
        SafeFiles.writeAtomically(
                directory.resolve(file().getFileName()), text, PosixFilePermissions.fromString("rw-------"));
    }

    /** Forgets the record; never through a directory that is not vpc-ha's own. */
    void clear(System.Logger log) {
        Path file = file();
        Optional<String> problem = HostStrategyContext.ownDirectoryProblem(stateRoot, kind);
        if (problem.isPresent()) {
            log.log(Level.DEBUG, () -> "not removing " + file + ": " + problem.get());
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.log(Level.WARNING, "cannot remove " + file + ": " + e.getMessage());
        }
    }
}
