package io.vpcha.host.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TestPropertiesText {
    /** Every character store() escapes or treats specially, and some it writes as they are. */
    private static final String SPECIALS = "\\=:#! \t\n\r\f\u0000\u0001\u001b\u007f\u0080\u00e9\u00ff\u0100\u20ac\uffff"
            + "\ud83d\ude00" // a surrogate pair
            + "azAZ09.,;'\"$%&/()[]{}<>?~`^|@*+-_";

    @Test
    void everySpecialCharacterAloneAtTheStartInsideAndAtTheEndOfAKeyAndAValueReadsBackTheSame() throws Exception {
        for (int i = 0; i < SPECIALS.length(); i++) {
            String s = String.valueOf(SPECIALS.charAt(i));
            for (String text : List.of(s, s + "x", "x" + s, "x" + s + "y", s + s, " " + s + " ")) {
                Map<String, String> values = new LinkedHashMap<>();
                values.put(text, text);
                values.put("k", text);
                values.put(text + "k", "v");
                assertThat(load(PropertiesText.of("c", values)))
                        .as("key and value %s", Arrays.toString(text.chars().toArray()))
                        .isEqualTo(values);
            }
        }
    }

    @Test
    void writesWhatStoreWritesForItsLatin1ContractWithoutTheDateLine() throws Exception {
        Map<String, String> values = new TreeMap<>();
        values.put("plain", "value");
        values.put(" key with spaces ", " value with spaces ");
        values.put("k=e:y#!", "v=a:l#u!e");
        values.put("controls\t\n\r\f", "\t\n\r\f\u0000\u001b\u007f");
        values.put("non-ascii-\u00e9", "\u00e9\u20ac\ud83d\ude00 and \\ a backslash");
        values.put("empty", "");
        values.put("", "empty key");
        values.put("at", "2026-11-30T05:00:00.123Z");
        Properties properties = new Properties();
        properties.putAll(values);
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        properties.store(stored, "a comment");
        List<String> storedLines =
                stored.toString(StandardCharsets.ISO_8859_1).lines().toList();

        String text = PropertiesText.of("a comment", values);

        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).isEqualTo(storedLines.get(0)).isEqualTo("#a comment");
        assertThat(storedLines.get(1)).as("store's date line").startsWith("#");
        assertThat(lines.subList(1, lines.size()))
                .as("store's pairs (store's order is its hash table's), and no date line")
                .containsExactlyInAnyOrderElementsOf(storedLines.subList(2, storedLines.size()));
        assertThat(text).endsWith("\n");
    }

    @Test
    void escapesExactlyAsStoreDoes() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(" a b", " c d ");
        values.put("=:#!\\", "=:#!\\");
        values.put("\t\n\r\f", "\t\n\r\f");
        values.put("\u00e9\u20ac\u0001\u007f", "\u00e9\u20ac\u0001\u007f");

        assertThat(PropertiesText.of("comment", values)).isEqualTo("""
                        #comment
                        \\ a\\ b=\\ c d\s
                        \\=\\:\\#\\!\\\\=\\=\\:\\#\\!\\\\
                        \\t\\n\\r\\f=\\t\\n\\r\\f
                        \\u00E9\\u20AC\\u0001\\u007F=\\u00E9\\u20AC\\u0001\\u007F
                        """);
    }

    @Test
    void arbitraryStringsReadBackTheSame() throws Exception {
        Random random = new Random(20261130);
        for (int round = 0; round < 500; round++) {
            Map<String, String> values = new LinkedHashMap<>();
            for (int pair = 0; pair < 5; pair++) {
                values.put(arbitrary(random), arbitrary(random));
            }
            String text = PropertiesText.of("round " + round, values);

            assertThat(load(text)).as("round %d: %s", round, text).isEqualTo(values);
            assertThat(text.chars().allMatch(c -> c == '\n' || (c >= 0x20 && c <= 0x7e)))
                    .as("plain printable ASCII lines: %s", text)
                    .isTrue();
            assertThat(text.lines().filter(line -> line.startsWith("#")))
                    .as("the comment, and no date line")
                    .containsExactly("#round " + round);
            assertThat(PropertiesText.bytes("round " + round, values)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aCommentIsOneLineOfPrintableAscii() {
        Map<String, String> values = Map.of("k", "v");
        for (String comment : List.of("two\nlines", "a\rb", "tab\t", "caf\u00e9")) {
            assertThatThrownBy(() -> PropertiesText.of(comment, values))
                    .as(comment)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(PropertiesText.of("", values)).isEqualTo("#\nk=v\n");
    }

    /** Strings of every kind of character, leading and trailing blanks included. */
    private static String arbitrary(Random random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(6)) {
                case 0 -> text.append(SPECIALS.charAt(random.nextInt(SPECIALS.length())));
                case 1 -> text.append((char) random.nextInt(0x20));
                case 2 -> text.append((char) (0x20 + random.nextInt(0x5f)));
                case 3 -> text.append((char) (0x7f + random.nextInt(0x81)));
                case 4 -> text.append((char) random.nextInt(0x10000)); // lone surrogates too
                default -> text.appendCodePoint(0x10000 + random.nextInt(0x100000));
            }
        }
        return text.toString();
    }

    private static Map<String, String> load(String text) throws Exception {
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        Map<String, String> values = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key)));
        return values;
    }
}
