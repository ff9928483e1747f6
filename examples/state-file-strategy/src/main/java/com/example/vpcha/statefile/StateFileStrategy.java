package com.example.vpcha.statefile;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.CheckLevel;
import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.FailoverStrategy;
import io.vpcha.spi.MonitorRequest;
import io.vpcha.spi.MonitorResult;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Keeps a state file while the resource runs on this node. Every action is idempotent. */
final class StateFileStrategy implements FailoverStrategy {
    private final String message;
    private final boolean failStart;
    private final StrategyContext context;

    StateFileStrategy(String message, boolean failStart, StrategyContext context) {
        this.message = requireNonNull(message, "message is null");
        this.failStart = failStart;
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public void start() throws StrategyException {
        validate(CheckLevel.SYNTAX);
        if (failStart) {
            throw new StrategyException(ErrorKind.GENERIC, "start failed on purpose (fail_start=true)");
        }
        write();
        context.logger().log(Level.INFO, "started on " + context.nodeName());
    }

    @Override
    public void stop() throws StrategyException {
        try {
            Files.deleteIfExists(stateFile());
        } catch (IOException e) {
            throw new StrategyException(ErrorKind.GENERIC, "cannot remove " + stateFile() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public MonitorResult monitor(MonitorRequest request) {
        // A probe on a node that never ran the resource finds no file: not running, which is no error.
        return Files.isRegularFile(stateFile()) ? MonitorResult.running()
                : MonitorResult.notRunning("no state file " + stateFile());
    }

    @Override
    public void validate(CheckLevel level) throws StrategyException {
        if (message.isBlank() || message.contains("\n")) {
            throw StrategyException.notConfigured("message must be one non-empty line");
        }
        if (level == CheckLevel.CLOUD && !Files.isWritable(context.stateDirectory())) {
            throw new StrategyException(ErrorKind.INSUFFICIENT_PRIVILEGES,
                    "cannot write the state directory " + context.stateDirectory());
        }
    }

    @Override
    public void reload() throws StrategyException {
        if (Files.isRegularFile(stateFile())) {
            write();
        }
    }

    private Path stateFile() {
        return context.stateDirectory().resolve("state");
    }

    /** Writes through a temporary file, so a monitor never sees half a file. */
    private void write() throws StrategyException {
        Path file = stateFile();
        Path temporary = file.resolveSibling("state.tmp");
        try {
            Files.writeString(temporary, message + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new StrategyException(ErrorKind.GENERIC, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
