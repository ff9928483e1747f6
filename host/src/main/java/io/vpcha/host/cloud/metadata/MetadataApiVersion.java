package io.vpcha.host.cloud.metadata;

/**
 * The instance metadata service's API versions and their token paths: from 2025-08-26 the identity
 * paths moved, and the old ones answer 404 for the new version.
 */
public enum MetadataApiVersion {
    V2025_08_26("2025-08-26", "/identity/v1/token", "/identity/v1/iam_tokens"),
    V2022_03_01("2022-03-01", "/instance_identity/v1/token", "/instance_identity/v1/iam_token");

    private final String date;
    private final String identityTokenPath;
    private final String iamTokenPath;

    MetadataApiVersion(String date, String identityTokenPath, String iamTokenPath) {
        this.date = date;
        this.identityTokenPath = identityTokenPath;
        this.iamTokenPath = iamTokenPath;
    }

    public String date() {
        return date;
    }

    String identityTokenPath() {
        return identityTokenPath;
    }

    String iamTokenPath() {
        return iamTokenPath;
    }

    public static MetadataApiVersion fromDate(String date) {
        for (MetadataApiVersion version : values()) {
            if (version.date.equals(date)) {
                return version;
            }
        }
        throw new IllegalArgumentException("no metadata API version " + date);
    }
}
