package io.vpcha.simulator.vpc;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Matches a withheld-permission rule against a call. A rule is {@code "METHOD /v1/path/glob"} (method
 * {@code *} for any; {@code *} matches one path segment, {@code **} any number), or just a path glob.
 */
public final class Permissions {
    private Permissions() {}

    public static boolean matches(String rule, String method, String path) {
        String trimmed = rule.trim();
        String ruleMethod = "*";
        String glob = trimmed;
        int space = trimmed.indexOf(' ');
        if (space > 0) {
            ruleMethod = trimmed.substring(0, space).toUpperCase(Locale.ROOT);
            glob = trimmed.substring(space + 1).trim();
        }
        if (!ruleMethod.equals("*") && !ruleMethod.equals(method)) {
            return false;
        }
        return toRegex(glob).matcher(path).matches();
    }

    private static Pattern toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else {
                    regex.append("[^/]*");
                }
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
