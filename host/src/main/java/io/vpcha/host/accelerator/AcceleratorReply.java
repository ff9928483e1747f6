package io.vpcha.host.accelerator;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What the accelerator answers, in lines the launcher reads with the shell's {@code read}:
 *
 * <ul>
 *   <li>{@code .}: the action still runs (sent every {@link AcceleratorService#HEARTBEAT}): a client
 *       that hears nothing for its inactivity timeout falls back to the cold path, so a hung
 *       (stopped) service costs an action at most that timeout;
 *   <li>{@code refused REASON}: run the action cold (the last line);
 *   <li>{@code 1 TEXT} and {@code 2 TEXT}: a line the action wrote to stdout or stderr;
 *   <li>{@code end CODE}: the action's OCF exit code (the last line). A reply without it (the service
 *       died) is no answer: the client runs the action cold.
 * </ul>
 *
 * <p>The action's output is sent only when it ended, so a client never prints half of it.
 */
final class AcceleratorReply {
    private final OutputStream out;

    AcceleratorReply(OutputStream out) {
        this.out = requireNonNull(out, "out is null");
    }

    synchronized void heartbeat() throws IOException {
        write(".\n");
    }

    synchronized void refused(String reason) throws IOException {
        write("refused " + oneLine(reason) + "\n");
    }

    synchronized void finished(int code, String stdout, String stderr) throws IOException {
        StringBuilder reply = new StringBuilder();
        appendLines(reply, '1', stdout);
        appendLines(reply, '2', stderr);
        reply.append("end ").append(code).append('\n');
        write(reply.toString());
    }

    private static void appendLines(StringBuilder reply, char stream, String text) {
        if (text.isEmpty()) {
            return;
        }
        String[] lines = text.split("\n", -1);
        // a text ending in a newline has an empty last element, which is no line
        int count = lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
        for (int i = 0; i < count; i++) {
            reply.append(stream).append(' ').append(lines[i].replace("\r", "")).append('\n');
        }
    }

    private static String oneLine(String text) {
        return text.replace('\n', ' ').replace('\r', ' ');
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
