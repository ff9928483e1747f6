package io.vpcha.host.accelerator;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * One action asked of the accelerator: the process that asks (the launcher, whose start is the
 * action's start), the OCF action and the action's whole environment.
 *
 * <p>On the wire, NUL-separated so that the launcher can write it with {@code printf} and
 * {@code env -0}: {@value #MAGIC}, the pid, the action, then {@code NAME=VALUE} entries up to the end
 * of the stream (the client shuts its side down).
 */
public record AcceleratorRequest(long clientPid, String action, Map<String, String> environment) {
    public static final String MAGIC = "vpc-ha-accelerator/1";
    /** An environment is a few kB; anything near this is not the launcher. */
    static final int MAX_BYTES = 1 << 20;

    public AcceleratorRequest {
        requireNonNull(action, "action is null");
        environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        if (action.isEmpty()) {
            throw new IllegalArgumentException("action is empty");
        }
    }

    /**
     * Reads a request to the end of {@code in}; a malformed one is an {@link IOException}, none at all
     * (the connection closed before a byte) {@link NoRequest}.
     */
    public static AcceleratorRequest read(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length == 0) {
            throw new NoRequest();
        }
        if (bytes.length > MAX_BYTES) {
            throw new IOException("request larger than " + MAX_BYTES + " bytes");
        }
        String[] fields = new String(bytes, StandardCharsets.UTF_8).split("\0", -1);
        if (fields.length < 3 || !fields[0].equals(MAGIC)) {
            throw new IOException("not a " + MAGIC + " request");
        }
        long pid;
        try {
            pid = Long.parseLong(fields[1]);
        } catch (NumberFormatException e) {
            throw new IOException("bad pid in request", e);
        }
        if (fields[2].isEmpty()) {
            throw new IOException("no action in request");
        }
        Map<String, String> environment = new HashMap<>();
        for (int i = 3; i < fields.length; i++) {
            int equals = fields[i].indexOf('=');
            if (equals > 0) {
                environment.put(fields[i].substring(0, equals), fields[i].substring(equals + 1));
            }
        }
        return new AcceleratorRequest(pid, fields[2], environment);
    }

    /** The request as the launcher writes it (tests and the bench's client). */
    public byte[] encode() {
        StringBuilder text = new StringBuilder(MAGIC)
                .append('\0')
                .append(clientPid)
                .append('\0')
                .append(action)
                .append('\0');
        environment.forEach(
                (name, value) -> text.append(name).append('=').append(value).append('\0'));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A connection that closed without a byte: the launcher's watchdog, which connects only so that
     * socket activation starts a fresh service after it killed a hung one (bin/vpc-ha).
     */
    public static final class NoRequest extends IOException {
        private static final long serialVersionUID = 1L;

        NoRequest() {
            super("no request");
        }
    }

    /** Never the environment: it may hold a secret. */
    @Override
    public String toString() {
        return "AcceleratorRequest[clientPid=" + clientPid + ", action=" + action + "]";
    }
}
