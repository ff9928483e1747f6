package io.vpcha.host.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Pacemaker's crm_attribute and crm_master as the agent calls them, outside a cluster: a directory to
 * give as HA_SBIN_DIR whose tools record their arguments, one call a line, and succeed. What attrd then
 * does with the values is Pacemaker's part, exercised in the cluster tests.
 */
public final class RecordedPacemakerTools {
    private final Path directory;

    private RecordedPacemakerTools(Path directory) {
        this.directory = directory;
    }

    public static RecordedPacemakerTools in(Path directory) {
        try {
            Files.createDirectories(directory);
            for (String tool : List.of("crm_attribute", "crm_master")) {
                Path script = directory.resolve(tool);
                Files.writeString(
                        script,
                        "#!/bin/sh\nprintf '%s %s\\n' \"$(basename \"$0\")\" \"$*\" >> \"$(dirname \"$0\")/calls\"\n",
                        StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            return new RecordedPacemakerTools(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value for HA_SBIN_DIR. */
    public String directory() {
        return directory.toString();
    }

    /** Every call so far, e.g. {@code crm_attribute --promotion -v 100}; then forgets them. */
    public List<String> takeCalls() {
        Path calls = directory.resolve("calls");
        try {
            if (!Files.exists(calls)) {
                return List.of();
            }
            List<String> lines = Files.readAllLines(calls, StandardCharsets.UTF_8);
            Files.delete(calls);
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
