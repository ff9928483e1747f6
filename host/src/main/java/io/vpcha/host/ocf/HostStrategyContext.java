package io.vpcha.host.ocf;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.cloud.CloudAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

/** The {@link StrategyContext} of one OCF action. */
public final class HostStrategyContext implements StrategyContext {
    private final String nodeName;
    private final String resourceInstance;
    private final Instant deadline;
    private final System.Logger logger;
    private final Path stateDirectory;
    private final CloudAccess cloud;

    public HostStrategyContext(
            String nodeName,
            String resourceInstance,
            Instant deadline,
            System.Logger logger,
            Path stateDirectory,
            CloudAccess cloud) {
        this.nodeName = requireNonNull(nodeName, "nodeName is null");
        this.resourceInstance = requireNonNull(resourceInstance, "resourceInstance is null");
        this.deadline = requireNonNull(deadline, "deadline is null");
        this.logger = requireNonNull(logger, "logger is null");
        this.stateDirectory = requireNonNull(stateDirectory, "stateDirectory is null");
        this.cloud = requireNonNull(cloud, "cloud is null");
    }

    /** The state directory of a resource: {@code <state root>/vpc-ha/<instance>}, the instance made file-safe. */
    public static Path stateDirectoryOf(Path stateRoot, String resourceInstance) {
        String safe = resourceInstance.replaceAll("[^A-Za-z0-9_.:-]", "_");
        if (safe.startsWith(".")) {
            safe = "_" + safe.substring(1);
        }
        return stateRoot.resolve("vpc-ha").resolve(safe);
    }

    @Override
    public String nodeName() {
        return nodeName;
    }

    @Override
    public String resourceInstance() {
        return resourceInstance;
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public System.Logger logger() {
        return logger;
    }

    @Override
    public Path stateDirectory() {
        try {
            if (!Files.isDirectory(stateDirectory)) {
                Files.createDirectories(stateDirectory.getParent());
                Files.createDirectories(
                        stateDirectory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            return stateDirectory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the state directory " + stateDirectory, e);
        }
    }

    @Override
    public CloudAccess cloud() {
        return cloud;
    }
}
