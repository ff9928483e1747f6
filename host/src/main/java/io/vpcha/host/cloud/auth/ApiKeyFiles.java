package io.vpcha.host.cloud.auth;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.vpcha.host.files.SmallFile;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an API key file: the raw key, or IBM Cloud's downloaded JSON with an {@code apikey} field.
 * A key file anyone but root could read, or that root does not own, is refused: the key would not be
 * a secret. So is a symbolic link (its own owner and mode say nothing of the file it names, which is
 * what would be read) and a file too large to be a key file, which is never read into memory whole:
 * an action's heap is small, and a mistaken path (a disk image, a log) would exhaust it.
 *
 * <p>Reasons put the fix first: Pacemaker shows only the first 128 characters of an exit reason.
 */
public final class ApiKeyFiles {
    /** IBM Cloud's JSON download of a key is about 300 bytes; nothing that is a key file comes near this. */
    static final int MAX_SIZE = 64 * 1024;

    private static final Set<PosixFilePermission> TOO_OPEN = Set.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE);

    private ApiKeyFiles() {}

    public static String read(Path file) throws CloudException {
        try {
            if (Files.isSymbolicLink(file)) {
                throw refused("name the key file itself: " + file + " is a symbolic link"
                        + target(file).map(target -> " to " + target).orElse(""));
            }
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw refused(file + " does not exist or is not a file");
            }
            Object owner = Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (!Integer.valueOf(0).equals(owner)) {
                throw refused("chown root " + file + " (it is owned by uid " + owner + ")");
            }
            Set<PosixFilePermission> open = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            open.retainAll(TOO_OPEN);
            if (!open.isEmpty()) {
                throw refused("chmod 600 " + file + " (group or others can read or write it)");
            }
            String content;
            try {
                content = new String(SmallFile.read(file, MAX_SIZE), StandardCharsets.UTF_8).strip();
            } catch (SmallFile.TooLargeException e) {
                throw refused("name the key file itself: " + file + " holds more than " + (MAX_SIZE / 1024)
                        + " KiB, which no key file does");
            }
            if (content.startsWith("{")) {
                try {
                    JsonElement key =
                            JsonParser.parseString(content).getAsJsonObject().get("apikey");
                    if (key == null || !key.isJsonPrimitive()) {
                        throw refused(file + " is JSON without an apikey field");
                    }
                    content = key.getAsString().strip();
                } catch (RuntimeException e) {
                    throw refused(file + " is neither a raw key nor JSON with an apikey field");
                }
            }
            if (content.isEmpty() || content.contains("\n")) {
                throw refused(file + " holds no API key on one line");
            }
            return content;
        } catch (IOException e) {
            throw refused("cannot read " + file + ": " + e.getClass().getSimpleName());
        } catch (UnsupportedOperationException e) {
            throw refused("cannot check the owner and mode of " + file + " on this file system");
        }
    }

    private static Optional<Path> target(Path link) {
        try {
            return Optional.of(Files.readSymbolicLink(link));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static CloudException refused(String reason) {
        return new CloudException(CloudErrorKind.CONFIGURATION, 0, null, "api key file refused: " + reason, null, null);
    }
}
