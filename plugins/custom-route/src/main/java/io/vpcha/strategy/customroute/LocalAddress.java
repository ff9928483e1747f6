package io.vpcha.strategy.customroute;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.StrategyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The VIP as a local address of this node ({@code ip addr} on the configured interface), so the node
 * accepts what the routes deliver. Uses iproute2, as resource agents do.
 *
 * <p>Start records the address and interface in the resource's state directory before adding it, and
 * stop removes what the record names: what this node added, whatever the configuration says by then
 * (a changed vip, or values that no longer pass their checks).
 */
final class LocalAddress {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    /** The record of the address start added: "ADDRESS INTERFACE". */
    private static final String RECORD = "local-address";

    private final String address;
    private final String interfaceName;

    LocalAddress(String address, String interfaceName) {
        this.address = requireNonNull(address, "address is null");
        this.interfaceName = requireNonNull(interfaceName, "interfaceName is null");
    }

    boolean isPresent() throws StrategyException {
        String output = run(List.of("ip", "-4", "-o", "addr", "show", "dev", interfaceName));
        return hasAddress(output, address);
    }

    void add() throws StrategyException {
        if (!isPresent()) {
            run(List.of("ip", "-4", "addr", "add", address + "/32", "dev", interfaceName));
        }
    }

    void remove() throws StrategyException {
        if (isPresent()) {
            run(List.of("ip", "-4", "addr", "del", address + "/32", "dev", interfaceName));
        }
    }

    /** Records in {@code stateDirectory} that this address is to be added: before adding it. */
    void record(Path stateDirectory) throws StrategyException {
        Path file = stateDirectory.resolve(RECORD);
        Path temporary = stateDirectory.resolve(RECORD + ".tmp");
        try {
            Files.deleteIfExists(temporary);
            Files.write(
                    temporary,
                    (address + " " + interfaceName + "\n").getBytes(StandardCharsets.US_ASCII),
                    StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw StrategyException.generic("cannot write the state directory: " + e.getMessage());
        }
    }

    /** The address a start recorded in {@code stateDirectory}; empty when none (or unreadable). */
    static Optional<LocalAddress> recorded(Path stateDirectory) {
        Path file = stateDirectory.resolve(RECORD);
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > 256) {
                return Optional.empty();
            }
            String[] words =
                    Files.readString(file, StandardCharsets.US_ASCII).strip().split(" ", -1);
            if (words.length != 2
                    || !words[0].matches("\\d{1,3}(\\.\\d{1,3}){3}")
                    || !CustomRouteConfig.isInterfaceName(words[1])) {
                return Optional.empty();
            }
            return Optional.of(new LocalAddress(words[0], words[1]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Forgets the record, once the address is gone. */
    static void forget(Path stateDirectory) throws IOException {
        Files.deleteIfExists(stateDirectory.resolve(RECORD));
    }

    String address() {
        return address;
    }

    String interfaceName() {
        return interfaceName;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LocalAddress that
                && address.equals(that.address)
                && interfaceName.equals(that.interfaceName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, interfaceName);
    }

    @Override
    public String toString() {
        return address + "/32 on " + interfaceName;
    }

    /** Whether {@code ip -o addr show} output lists {@code address} (as a /32 or any prefix). */
    static boolean hasAddress(String ipOutput, String address) {
        for (String line : ipOutput.split("\n", -1)) {
            String[] words = line.trim().split("\\s+", -1);
            for (int i = 0; i + 1 < words.length; i++) {
                if (words[i].equals("inet") && words[i + 1].startsWith(address + "/")) {
                    return true;
                }
            }
        }
        return false;
    }

    private String run(List<String> command) throws StrategyException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new StrategyException(ErrorKind.NOT_INSTALLED, "cannot run ip (iproute2): " + e.getMessage());
        }
        try {
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw StrategyException.generic(String.join(" ", command) + " did not finish");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new StrategyException(
                        text.contains("Cannot find device") ? ErrorKind.NOT_CONFIGURED : ErrorKind.GENERIC,
                        String.join(" ", command) + " failed: " + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw StrategyException.generic(String.join(" ", command) + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw StrategyException.generic(String.join(" ", command) + " was interrupted");
        }
    }
}
