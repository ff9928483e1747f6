package io.vpcha.strategy.loadbalancer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which process listens on a TCP port, from Linux's {@code /proc}: the kernel's socket tables name
 * each listening socket's inode, and a process's open files name the inodes of its sockets. A connect
 * would only say that something answers; this says whose it is.
 */
final class ListeningSockets {
    /** TCP_LISTEN in the kernel's st column. */
    private static final String LISTEN = "0A";

    private final Path proc;

    ListeningSockets(Path proc) {
        this.proc = proc;
    }

    static ListeningSockets system() {
        return new ListeningSockets(Path.of("/proc"));
    }

    /** The inodes of the sockets listening on {@code port}, IPv4 and IPv6, on any address. */
    Set<String> listeningInodes(int port) {
        Set<String> inodes = new HashSet<>();
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        for (String table : List.of("net/tcp", "net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(proc.resolve(table), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                continue; // no IPv6 on this kernel
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                String[] fields = line.trim().split("\\s+", -1);
                if (fields.length > 9 && fields[1].endsWith(hexPort) && fields[3].equals(LISTEN)) {
                    inodes.add(fields[9]);
                }
            }
        }
        inodes.remove("0");
        return inodes;
    }

    /** Whether process {@code pid} holds one of the sockets listening on {@code port}. */
    boolean isListening(long pid, int port) {
        Set<String> inodes = listeningInodes(port);
        return !inodes.isEmpty() && holdsAny(pid, inodes);
    }

    /** A process holding a socket that listens on {@code port}, if any (and if this process may see it). */
    Optional<Long> listener(int port) {
        return listeners(port).stream().findFirst();
    }

    /** The processes holding a socket that listens on {@code port} (on any address), as far as this process may see. */
    List<Long> listeners(int port) {
        Set<String> inodes = listeningInodes(port);
        List<Long> holders = new ArrayList<>();
        if (inodes.isEmpty()) {
            return holders;
        }
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(proc, "[0-9]*")) {
            for (Path process : processes) {
                long pid;
                try {
                    pid = Long.parseLong(process.getFileName().toString());
                } catch (NumberFormatException notAProcess) {
                    continue;
                }
                if (holdsAny(pid, inodes)) {
                    holders.add(pid);
                }
            }
        } catch (IOException e) {
            return holders;
        }
        return holders;
    }

    private boolean holdsAny(long pid, Set<String> inodes) {
        try (DirectoryStream<Path> fds =
                Files.newDirectoryStream(proc.resolve(Long.toString(pid)).resolve("fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException | UnsupportedOperationException closedMeanwhile) {
                    continue;
                }
                if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
                    return true;
                }
            }
        } catch (IOException gone) {
            return false;
        }
        return false;
    }
}
