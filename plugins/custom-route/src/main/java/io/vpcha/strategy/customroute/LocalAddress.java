package io.vpcha.strategy.customroute;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.StrategyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The VIP as a local address of this node ({@code ip addr} on the configured interface), so the node
 * accepts what the routes deliver. Uses iproute2, as resource agents do.
 */
final class LocalAddress {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

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
