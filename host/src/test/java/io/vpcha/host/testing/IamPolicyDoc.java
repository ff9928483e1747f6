package io.vpcha.host.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docs/iam-policy.md's tables of the calls each strategy makes, for tests that hold the IAM actions
 * written in the code (the host's {@code VpcCall}, a plugin's {@code IamActions}) and the docs together.
 */
public final class IamPolicyDoc {
    private static final Pattern ACTION = Pattern.compile("is\\.[a-z-]+(\\.[a-z-]+)+");

    private IamPolicyDoc() {}

    /** The policy document, found from the module's directory upwards. */
    public static Path file() {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs/iam-policy.md");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("no docs/iam-policy.md above " + System.getProperty("user.dir"));
    }

    public static List<String> lines() {
        try {
            return Files.readAllLines(file());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asserts that docs/iam-policy.md and the IAM actions a plugin's code names agree both ways: every
     * request of {@code needsByRequest} has a row in the strategies' tables, and each such row names every
     * action the code says the request needs ({@link #assertRowsNameTheActions}).
     */
    public static void assertListsEveryRequest(Map<String, String> needsByRequest) {
        assertThat(assertRowsNameTheActions(needsByRequest))
                .as("the requests of docs/iam-policy.md's table that the code names")
                .containsExactlyInAnyOrderElementsOf(needsByRequest.keySet());
    }

    /**
     * Asserts that every row of the strategies' tables whose call names one of {@code needsByRequest}'s
     * requests (e.g. {@code GET /subnets/{subnet}}, in backticks) names, in its IAM action cell, every
     * action the code says that request needs; "as above" takes the row above's actions.
     *
     * @return the requests some row names
     */
    public static Set<String> assertRowsNameTheActions(Map<String, String> needsByRequest) {
        Set<String> found = new LinkedHashSet<>();
        String previousActions = "";
        for (String line : lines()) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split(" \\| ", -1);
            if (cells.length < 3) {
                continue;
            }
            String actions = cells[cells.length - 1];
            if (actions.startsWith("as above")) {
                actions = previousActions;
            }
            previousActions = actions;
            for (Map.Entry<String, String> entry : needsByRequest.entrySet()) {
                if (!cells[0].contains("`" + entry.getKey() + "`")) {
                    continue;
                }
                Matcher action = ACTION.matcher(entry.getValue());
                while (action.find()) {
                    assertThat(actions)
                            .as("docs/iam-policy.md, the row of %s: %s", entry.getKey(), line)
                            .contains("`" + action.group() + "`");
                }
                found.add(entry.getKey());
            }
        }
        return found;
    }
}
