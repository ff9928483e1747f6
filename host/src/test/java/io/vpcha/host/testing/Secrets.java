package io.vpcha.host.testing;

import java.util.Map;

/**
 * Checks that text shows no secret, without ever printing one, not even a test's fake key: AssertJ's
 * {@code doesNotContain(secret)} would put the secret into its failure message, and so into the build's
 * log. Check first, then assert what the text should say: a failure of that later assertion prints text
 * already known to hold no secret.
 */
public final class Secrets {
    private Secrets() {}

    /**
     * {@code text}, after failing with it masked if it holds one of {@code secrets}.
     *
     * @throws AssertionError naming which secret, by its position, and showing the text with every secret
     *     replaced by {@code <secret N>}
     */
    public static String neverShown(String text, String... secrets) {
        for (int i = 0; i < secrets.length; i++) {
            if (secrets[i].isEmpty()) {
                throw new IllegalArgumentException("secret " + (i + 1) + " is empty: it would be in every text");
            }
            if (text.contains(secrets[i])) {
                throw new AssertionError("secret " + (i + 1) + " of " + secrets.length + " is shown in (masked here):\n"
                        + masked(text, secrets));
            }
        }
        return text;
    }

    /** {@code text} with every value of {@code secrets} replaced by {@code <value of NAME>}. */
    public static String masked(String text, Map<String, String> secrets) {
        String shown = text;
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            shown = shown.replace(secret.getValue(), "<value of " + secret.getKey() + ">");
        }
        return shown;
    }

    private static String masked(String text, String... secrets) {
        String shown = text;
        for (int i = 0; i < secrets.length; i++) {
            shown = shown.replace(secrets[i], "<secret " + (i + 1) + ">");
        }
        return shown;
    }
}
