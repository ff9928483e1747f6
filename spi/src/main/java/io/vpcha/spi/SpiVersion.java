package io.vpcha.spi;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version of this SPI, and the rule deciding whether a plugin compiled against another version
 * may run on this host.
 */
public final class SpiVersion {
    /** The jar manifest attribute in which a plugin names the SPI version it was compiled against. */
    public static final String MANIFEST_ATTRIBUTE = "VpcHa-Spi-Version";

    public static final int MAJOR = 1;
    public static final int MINOR = 2;

    private static final Pattern VERSION = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})");

    private SpiVersion() {}

    public static String current() {
        return MAJOR + "." + MINOR;
    }

    /**
     * Why a plugin that declares {@code declared} cannot run on this host, or empty when it can.
     * Same major and a minor no newer than the host's: a plugin built against a newer minor may call
     * default methods this host does not have.
     */
    public static Optional<String> incompatibility(String declared) {
        if (declared == null || declared.isBlank()) {
            return Optional.of("the jar manifest has no " + MANIFEST_ATTRIBUTE + " attribute");
        }
        Matcher matcher = VERSION.matcher(declared.trim());
        if (!matcher.matches()) {
            return Optional.of(MANIFEST_ATTRIBUTE + " '" + declared.trim() + "' is not MAJOR.MINOR");
        }
        int major = Integer.parseInt(matcher.group(1));
        int minor = Integer.parseInt(matcher.group(2));
        if (major != MAJOR) {
            return Optional.of("built for SPI " + major + "." + minor + ", this host provides SPI " + current()
                    + " (major versions differ)");
        }
        if (minor > MINOR) {
            return Optional.of("built for SPI " + major + "." + minor + ", newer than this host's SPI " + current()
                    + "; upgrade vpc-ha");
        }
        return Optional.empty();
    }
}
