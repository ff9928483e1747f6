package io.vpcha.spi;

/** How deep validate-all checks (OCF_CHECK_LEVEL). */
public enum CheckLevel {
    /** Level 0: parameters and their combinations only; no network, no cloud, no side effect. */
    SYNTAX,
    /** Level 10 and above: may also ask the cloud (credentials, the resources named, permissions). */
    CLOUD;

    /** The level for an OCF_CHECK_LEVEL value; anything from 10 up asks the cloud. */
    public static CheckLevel fromOcfCheckLevel(int level) {
        return level >= 10 ? CLOUD : SYNTAX;
    }
}
