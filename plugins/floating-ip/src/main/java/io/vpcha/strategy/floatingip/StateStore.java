package io.vpcha.strategy.floatingip;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.StrategyException;
import io.vpcha.strategy.floatingip.CachedState.KnownFloatingIp;
import io.vpcha.strategy.floatingip.CachedState.KnownTarget;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The resource's state directory on this node (emptied at boot): the "started here" marker and the
 * cached ids. Every file is written to a temporary file and moved into place, so an action killed
 * half-way never leaves half a file for the next one.
 */
final class StateStore {
    static final String MARKER = "started";
    static final String CACHE = "cache.properties";

    private final Supplier<Path> directory;

    /** @param directory the state directory, created on first use (as the host's context does) */
    StateStore(Supplier<Path> directory) {
        this.directory = requireNonNull(directory, "directory is null");
    }

    boolean isStarted() throws StrategyException {
        return Files.isRegularFile(directory().resolve(MARKER));
    }

    void markStarted(String nodeName, Instant when) throws StrategyException {
        write(MARKER, "started on " + nodeName + " at " + when + "\n");
    }

    void clearStarted() throws StrategyException {
        Path marker = directory().resolve(MARKER);
        try {
            Files.deleteIfExists(marker);
        } catch (IOException e) {
            throw new StrategyException(ErrorKind.GENERIC, "cannot remove " + marker + ": " + e.getMessage(), e);
        }
    }

    /** The cached state; empty when there is none or it cannot be read (it is only a cache). */
    CachedState read() throws StrategyException {
        Path file = directory().resolve(CACHE);
        if (!Files.isRegularFile(file)) {
            return CachedState.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            return CachedState.empty();
        }
        return new CachedState(floatingIp(properties), target(properties), instant(properties, "last_verified"));
    }

    void write(CachedState state) throws StrategyException {
        Properties properties = new Properties();
        state.floatingIp().ifPresent(known -> {
            properties.setProperty("floating_ip.parameter", known.parameter());
            properties.setProperty("floating_ip.id", known.id());
            properties.setProperty("floating_ip.name", known.name());
            properties.setProperty("floating_ip.address", known.address());
            properties.setProperty("floating_ip.zone", known.zone());
        });
        state.target().ifPresent(known -> {
            NodeTarget target = known.target();
            properties.setProperty("target.selection", known.selectionKey());
            properties.setProperty("target.id", target.id());
            properties.setProperty("target.kind", target.kind().name());
            target.zone().ifPresent(zone -> properties.setProperty("target.zone", zone));
            properties.setProperty("target.node_interfaces", String.join(",", target.nodeInterfaceIds()));
        });
        state.lastVerified().ifPresent(when -> properties.setProperty("last_verified", when.toString()));
        StringWriter text = new StringWriter();
        try {
            properties.store(text, "vpc-ha floating-ip: cached ids of this resource on this node");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(CACHE, text.toString());
    }

    private static Optional<KnownFloatingIp> floatingIp(Properties properties) {
        String parameter = properties.getProperty("floating_ip.parameter");
        String id = properties.getProperty("floating_ip.id");
        String name = properties.getProperty("floating_ip.name", "");
        String address = properties.getProperty("floating_ip.address");
        String zone = properties.getProperty("floating_ip.zone");
        if (parameter == null || id == null || address == null || zone == null) {
            return Optional.empty();
        }
        return Optional.of(new KnownFloatingIp(parameter, id, name, address, zone));
    }

    private static Optional<KnownTarget> target(Properties properties) {
        String selection = properties.getProperty("target.selection");
        String id = properties.getProperty("target.id");
        String kind = properties.getProperty("target.kind");
        String interfaces = properties.getProperty("target.node_interfaces", "");
        if (selection == null || id == null || kind == null) {
            return Optional.empty();
        }
        List<String> nodeInterfaces = Arrays.stream(interfaces.split(","))
                .map(String::trim)
                .filter(value -> !value.isEmpty())
                .toList();
        try {
            return Optional.of(new KnownTarget(
                    selection,
                    new NodeTarget(
                            id,
                            TargetKind.valueOf(kind),
                            Optional.ofNullable(properties.getProperty("target.zone")),
                            nodeInterfaces)));
        } catch (IllegalArgumentException corrupt) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> instant(Properties properties, String key) {
        String value = properties.getProperty(key);
        try {
            return value == null ? Optional.empty() : Optional.of(Instant.parse(value));
        } catch (DateTimeParseException corrupt) {
            return Optional.empty();
        }
    }

    private void write(String name, String content) throws StrategyException {
        Path target = directory().resolve(name);
        Path temporary = null;
        try {
            temporary = Files.createTempFile(target.getParent(), name + ".", ".tmp");
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw new StrategyException(ErrorKind.GENERIC, "cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the failure that matters is reported by the caller
            }
        }
    }

    private Path directory() throws StrategyException {
        try {
            return directory.get();
        } catch (UncheckedIOException e) {
            throw new StrategyException(
                    ErrorKind.GENERIC, e.getMessage() + ": " + e.getCause().getMessage(), e);
        }
    }
}
