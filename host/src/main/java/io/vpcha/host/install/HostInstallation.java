package io.vpcha.host.install;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where this vpc-ha is installed and where its plugins are. The launcher passes the installation
 * directory as the system property {@value #HOME_PROPERTY}; without it (tests, a plain
 * {@code java -jar}) the directory is the parent of the {@code lib/} folder holding the host jar.
 */
public final class HostInstallation {
    public static final String HOME_PROPERTY = "vpcha.home";
    public static final String PLUGINS_ENVIRONMENT = "VPC_HA_PLUGINS";
    /**
     * The installation directory in the launcher's environment (bin/vpc-ha exports it; its JVM gets it as
     * {@value #HOME_PROPERTY}): what an accelerator request says it is for.
     */
    public static final String HOME_ENVIRONMENT = "VPC_HA_HOME";

    private HostInstallation() {}

    public static Path home() {
        String property = System.getProperty(HOME_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        try {
            Path codeSource = Path.of(HostInstallation.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            Path lib = codeSource.getParent();
            return lib.getParent() == null ? lib : lib.getParent();
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of(".").toAbsolutePath();
        }
    }

    /** The plugins directory: an explicit choice, else {@value #PLUGINS_ENVIRONMENT}, else {@code <home>/plugins}. */
    public static Path pluginsDirectory(Optional<Path> explicit, Map<String, String> environment) {
        requireNonNull(explicit, "explicit is null");
        return explicit.isPresent() ? explicit.get() : pluginsDirectory(home(), environment);
    }

    /**
     * The plugins directory of the installation {@code home} for an action with {@code environment}:
     * {@value #PLUGINS_ENVIRONMENT}, else {@code <home>/plugins}.
     */
    public static Path pluginsDirectory(Path home, Map<String, String> environment) {
        String fromEnvironment = environment.get(PLUGINS_ENVIRONMENT);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Path.of(fromEnvironment);
        }
        return home.resolve("plugins");
    }

    /** The version of vpc-ha. */
    public static String version() {
        Properties properties = new Properties();
        try (InputStream in = HostInstallation.class.getResourceAsStream("/io/vpcha/host/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "unknown");
    }
}
