package io.vpcha.host.cloud.auth;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Reads an API key file: the raw key, or IBM Cloud's downloaded JSON with an {@code apikey} field.
 * A key file anyone but root could read, or that root does not own, is refused: the key would not be
 * a secret.
 */
public final class ApiKeyFiles {
    private static final Set<PosixFilePermission> TOO_OPEN = Set.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE);

    private ApiKeyFiles() {}

    public static String read(Path file) throws CloudException {
        try {
            if (!Files.isRegularFile(file)) {
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
            String content = Files.readString(file, StandardCharsets.UTF_8).strip();
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

    private static CloudException refused(String reason) {
        return new CloudException(CloudErrorKind.CONFIGURATION, 0, null, "api key file refused: " + reason, null, null);
    }
}
