package io.vpcha.host.files;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/**
 * The text of the host's small record files ({@code key=value} lines that {@link Properties#load}
 * reads back), written without {@link Properties#store}: store always writes a date comment first,
 * and {@code Date.toString()} loads the time zone data and the locale bundles, ≈ 12 ms of a cold
 * action, and the standby record is rewritten by every Unpromoted monitor (docs/performance.md).
 *
 * <p>The escaping is store's: in keys and values a backslash, {@code = : # !}, tab, newline, carriage
 * return and form feed are escaped, every space of a key and a value's leading space; every character
 * outside printable ASCII is written as {@code \}{@code uXXXX}, as store does for its Latin-1 contract,
 * so the file is plain ASCII whatever the charset a reader assumes, and a reason quoted from the cloud
 * cannot put terminal control codes into a file an administrator prints. Unlike store, nothing is
 * written but the comment line and the pairs, in the map's order.
 *
 * <p>The plugin toolkit's {@code StateStore} writes its records the same way: the host never loads the
 * toolkit (a plugin sees only the SPI, the host none of a plugin's code), so each has its own.
 */
public final class PropertiesText {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PropertiesText() {}

    /**
     * The text of {@code values}, in the map's iteration order (a {@code TreeMap}'s, a
     * {@code LinkedHashMap}'s), after the line {@code #comment}.
     *
     * @param comment one line of printable ASCII, never a secret: every reader of the file can see it
     * @throws IllegalArgumentException when {@code comment} is not one line of printable ASCII
     */
    public static String of(String comment, Map<String, String> values) {
        requireNonNull(comment, "comment is null");
        requireNonNull(values, "values is null");
        for (int i = 0; i < comment.length(); i++) {
            char c = comment.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("a comment is one line of printable ASCII: " + comment);
            }
        }
        StringBuilder text = new StringBuilder(64 + 32 * values.size());
        text.append('#').append(comment).append('\n');
        // a loop, not forEach(lambda): no lambda to link in a cold action
        for (Map.Entry<String, String> pair : values.entrySet()) {
            if (pair.getKey() == null || pair.getValue() == null) {
                throw new NullPointerException("a key or value is null");
            }
            appendEscaped(pair.getKey(), true, text);
            text.append('=');
            appendEscaped(pair.getValue(), false, text);
            text.append('\n');
        }
        return text.toString();
    }

    /** {@link #of}, as the bytes of the file (ASCII, hence UTF-8 and Latin-1 alike). */
    public static byte[] bytes(String comment, Map<String, String> values) {
        return of(comment, values).getBytes(StandardCharsets.US_ASCII);
    }

    private static void appendEscaped(String text, boolean key, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\', '=', ':', '#', '!' -> out.append('\\').append(c);
                // a blank ends a key, and load() drops the blanks before a value
                case ' ' -> out.append(key || i == 0 ? "\\ " : " ");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append("\\u")
                                .append(HEX[(c >> 12) & 0xF])
                                .append(HEX[(c >> 8) & 0xF])
                                .append(HEX[(c >> 4) & 0xF])
                                .append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
