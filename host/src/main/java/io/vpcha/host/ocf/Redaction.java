package io.vpcha.host.ocf;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text made fit to show: credentials in URLs masked, and exit reasons cut to what Pacemaker keeps.
 */
public final class Redaction {
    /**
     * Pacemaker keeps the first 128 bytes of an exit reason (EXIT_REASON_MAX_LEN in its executor): what
     * matters must come first, and a longer reason is cut here, visibly, with the whole of it in the log.
     */
    public static final int EXIT_REASON_LIMIT = 128;

    private static final String MASK = "***";
    private static final String CUT = "...";
    /** The userinfo of a URL: everything between "scheme://" and the last '@' of the authority. */
    private static final Pattern URL_USERINFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/?#\\s]*@");

    /**
     * What a refused call says it needs, at the end of its reason: {@code (needs IAM action A)} or {@code
     * (probably needs IAM action A)}, as the host's client (io.vpcha.host.cloud.http.ApiErrors) and the
     * plugin toolkit's RawApi write it. Strategies put their own words before a call's reason, so that
     * the action would be cut off the 128 bytes Pacemaker keeps: {@link #neededActionFirst} moves it first.
     */
    private static final Pattern NEEDED_ACTION = Pattern.compile("\\s*\\(((?:probably )?needs IAM actions? [^()]+)\\)");

    private Redaction() {}

    /**
     * {@code reason} with the IAM action a refused call names moved to its start ({@code needs IAM action
     * A: REST}), where the line Pacemaker keeps shows it; {@code reason} itself when it names none.
     */
    public static String neededActionFirst(String reason) {
        Matcher matcher = NEEDED_ACTION.matcher(reason);
        if (!matcher.find()) {
            return reason;
        }
        String needed = matcher.group(1);
        String rest = reason.replace(matcher.group(), "").strip();
        if (rest.isEmpty() || rest.startsWith(needed)) {
            return rest.isEmpty() ? needed : rest; // a strategy that put it first itself
        }
        return needed + ": " + rest;
    }

    /** {@code text} with the user and password of every URL in it masked: {@code https://***@host/}. */
    public static String maskUrlUserInfo(String text) {
        if (text == null || text.indexOf('@') < 0) {
            return text;
        }
        return URL_USERINFO.matcher(text).replaceAll("$1" + MASK + "@");
    }

    /** Whether {@link #exitReason} would cut {@code reason}. */
    public static boolean isTooLongForAnExitReason(String reason) {
        return reason.getBytes(StandardCharsets.UTF_8).length > EXIT_REASON_LIMIT;
    }

    /** {@code text} on one line: its line breaks, and the blanks around them, made "; ". */
    public static String oneLine(String text) {
        return text.replaceAll("\\s*[\\r\\n]+\\s*", "; ");
    }

    /**
     * {@code reason} on one line, cut to {@link #EXIT_REASON_LIMIT} bytes of UTF-8 (never inside a
     * character) with "..." at the end when it was longer.
     */
    public static String exitReason(String reason) {
        String line = oneLine(reason);
        if (!isTooLongForAnExitReason(line)) {
            return line;
        }
        int budget = EXIT_REASON_LIMIT - CUT.length();
        StringBuilder cut = new StringBuilder();
        int used = 0;
        for (int i = 0; i < line.length(); ) {
            int codePoint = line.codePointAt(i);
            int bytes = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (used + bytes > budget) {
                break;
            }
            cut.appendCodePoint(codePoint);
            used += bytes;
            i += Character.charCount(codePoint);
        }
        return cut.toString().stripTrailing() + CUT;
    }
}
