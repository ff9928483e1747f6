package io.vpcha.toolkit.net;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.Ipv4;
import io.vpcha.spi.StrategyException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * An IPv4 address of this node on one of its interfaces ({@code ip addr}, iproute2, as resource
 * agents do): what makes a node accept the traffic the cloud now sends it. Every operation is
 * idempotent, and stop-safe: removing an address from an interface that does not exist, or where
 * {@code ip} is not installed (so vpc-ha cannot have added it), is success.
 */
public final class LocalAddress {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern INTERFACE_NAME = Pattern.compile("[A-Za-z0-9_.:@-]{1,15}");
    private static final Pattern MAC = Pattern.compile("([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}");

    private final String address;
    private final int prefixLength;
    private final String interfaceName;
    private final System.Logger log;
    private final String ipProgram;

    /**
     * @param prefixLength the address's prefix on the interface: 32 for a VIP the cloud routes, the
     *     subnet's for an address of the subnet (so the node answers ARP for it)
     */
    public LocalAddress(String address, int prefixLength, String interfaceName, System.Logger log) {
        this(address, prefixLength, interfaceName, log, "ip");
    }

    /** @param ipProgram the iproute2 program: {@code ip} from the PATH, or a path to it */
    public LocalAddress(String address, int prefixLength, String interfaceName, System.Logger log, String ipProgram) {
        this.ipProgram = requireNonNull(ipProgram, "ipProgram is null");
        this.address = requireNonNull(address, "address is null");
        this.interfaceName = requireNonNull(interfaceName, "interfaceName is null");
        this.log = requireNonNull(log, "log is null");
        if (!Ipv4.isAddress(address)) {
            throw new IllegalArgumentException("'" + address + "' is not an IPv4 address");
        }
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is not 0 to 32");
        }
        if (!isInterfaceName(interfaceName)) {
            throw new IllegalArgumentException("'" + interfaceName + "' is not an interface name");
        }
        this.prefixLength = prefixLength;
    }

    /** Whether {@code name} can name a Linux network interface (at most 15 characters, no blanks or slashes). */
    public static boolean isInterfaceName(String name) {
        return name != null && INTERFACE_NAME.matcher(name).matches();
    }

    /**
     * The interface whose hardware address is {@code mac} (any case, colons or dashes), as the metadata
     * service names a VNI's or network interface's MAC: how a strategy finds the guest interface a
     * cloud interface appears as.
     */
    public static Optional<String> interfaceWithMac(String mac) throws StrategyException {
        if (mac == null || !MAC.matcher(mac).matches()) {
            throw new IllegalArgumentException("'" + mac + "' is not a MAC address");
        }
        String wanted = mac.replace('-', ':').toLowerCase(Locale.ROOT);
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                byte[] hardware = nic.getHardwareAddress();
                if (hardware != null
                        && hardware.length == 6
                        && macText(hardware).equals(wanted)) {
                    return Optional.of(nic.getName());
                }
            }
            return Optional.empty();
        } catch (SocketException e) {
            throw StrategyException.generic("cannot list this node's interfaces: " + e.getMessage());
        }
    }

    public String address() {
        return address;
    }

    public String interfaceName() {
        return interfaceName;
    }

    /** Whether the interface exists on this node. */
    public boolean interfaceExists() throws StrategyException {
        try {
            return NetworkInterface.getByName(interfaceName) != null;
        } catch (SocketException e) {
            throw StrategyException.generic("cannot look up interface " + interfaceName + ": " + e.getMessage());
        }
    }

    /** Whether the address is on the interface (a missing interface holds none). */
    public boolean isPresent() throws StrategyException {
        if (!interfaceExists()) {
            return false;
        }
        return hasAddress(run(List.of(ipProgram, "-4", "-o", "addr", "show", "dev", interfaceName)), address);
    }

    /**
     * Adds the address unless it is there.
     *
     * @throws StrategyException NOT_CONFIGURED when the interface does not exist on this node (the
     *     configuration names one no node has), NOT_INSTALLED when iproute2 is missing
     */
    public void add() throws StrategyException {
        if (!interfaceExists()) {
            throw StrategyException.notConfigured(
                    "interface " + interfaceName + " does not exist on this node; set interface to one that does");
        }
        if (!isPresent()) {
            run(List.of(ipProgram, "-4", "addr", "add", address + "/" + prefixLength, "dev", interfaceName));
            log.log(Level.INFO, () -> "added " + address + "/" + prefixLength + " to " + interfaceName);
        }
    }

    /**
     * Removes the address when it is there. An interface that does not exist holds no address, and
     * without iproute2 vpc-ha cannot have added one: both are success, as a stop needs.
     */
    public void remove() throws StrategyException {
        if (!interfaceExists()) {
            log.log(Level.DEBUG, () -> "interface " + interfaceName + " does not exist; " + address + " is not on it");
            return;
        }
        boolean present;
        try {
            present = isPresent();
        } catch (StrategyException e) {
            if (e.kind() != ErrorKind.NOT_INSTALLED) {
                throw e;
            }
            log.log(
                    Level.WARNING,
                    "cannot check " + address + " on " + interfaceName + " (" + e.reason()
                            + "); without iproute2 vpc-ha cannot have added it");
            return;
        }
        if (present) {
            run(List.of(ipProgram, "-4", "addr", "del", address + "/" + prefixLength, "dev", interfaceName));
            log.log(Level.INFO, () -> "removed " + address + " from " + interfaceName);
        }
    }

    /** Whether {@code ip -o addr show} output lists {@code address} (with any prefix). */
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

    private static String macText(byte[] hardware) {
        List<String> octets = new ArrayList<>();
        for (byte octet : hardware) {
            octets.add(HexFormat.of().toHexDigits(octet));
        }
        return String.join(":", octets);
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
                boolean noDevice = text.contains("Cannot find device") || text.contains("does not exist");
                throw new StrategyException(
                        noDevice ? ErrorKind.NOT_CONFIGURED : ErrorKind.GENERIC,
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
