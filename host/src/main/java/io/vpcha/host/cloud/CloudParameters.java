package io.vpcha.host.cloud;

import io.vpcha.spi.ParameterSpec;
import io.vpcha.spi.ParameterType;
import java.util.List;

/**
 * The parameters every resource has for reaching IBM Cloud, whatever its strategy: endpoints,
 * credentials, timeouts. All reloadable: each action is a new process that reads them afresh, so a
 * changed key or timeout never needs a restart (which would move the address for nothing).
 */
public final class CloudParameters {
    public static final String REGION = "region";
    public static final String ENDPOINT_TYPE = "endpoint_type";
    public static final String VPC_URL = "vpc_url";
    public static final String IAM_URL = "iam_url";
    public static final String METADATA_URL = "metadata_url";
    public static final String METADATA_API_VERSION = "metadata_api_version";
    public static final String TRUSTED_PROFILE_ID = "trusted_profile_id";
    public static final String TRUSTED_PROFILE_CRN = "trusted_profile_crn";
    public static final String API_KEY_FILE = "api_key_file";
    public static final String API_KEY = "api_key";
    public static final String CA_FILE = "ca_file";
    public static final String API_VERSION = "api_version";
    public static final String REQUEST_TIMEOUT = "request_timeout";
    public static final String MAX_ATTEMPTS = "max_attempts";
    public static final String PAGE_LIMIT = "page_limit";
    public static final String TOKEN_CACHE_DIR = "token_cache_dir";

    /** The VPC API version date the client is written against. */
    public static final String PINNED_API_VERSION = "2026-03-24";

    public static final String DEFAULT_METADATA_URL = "http://169.254.169.254";

    private static final List<ParameterSpec> ALL = List.of(
            spec(
                    REGION,
                    ParameterType.STRING,
                    "IBM Cloud region",
                    "The region of the VPC, e.g. us-south or eu-de; with endpoint_type it gives the VPC and IAM "
                            + "endpoints. Default: the region of this instance's zone, from the metadata service."),
            ParameterSpec.builder(ENDPOINT_TYPE, ParameterType.ENUM)
                    .shortDescription("Public or private endpoints")
                    .longDescription("Whether to reach the VPC API and IAM through their private endpoints (from "
                            + "inside IBM Cloud, no public gateway needed) or their public ones.")
                    .allowedValues("private", "public")
                    .defaultValue("private")
                    .reloadable()
                    .build(),
            spec(
                    VPC_URL,
                    ParameterType.STRING,
                    "VPC API endpoint URL",
                    "The VPC API endpoint, e.g. https://us-south.private.iaas.cloud.ibm.com (with or without /v1); "
                            + "overrides region and endpoint_type. HTTPS is required except on loopback."),
            spec(
                    IAM_URL,
                    ParameterType.STRING,
                    "IAM endpoint URL",
                    "The IAM endpoint tokens come from. Default: https://private.iam.cloud.ibm.com, or "
                            + "https://iam.cloud.ibm.com with endpoint_type=public."),
            ParameterSpec.builder(METADATA_URL, ParameterType.STRING)
                    .shortDescription("Instance metadata service URL")
                    .longDescription("The instance metadata service, which gives this node's identity and, for a "
                            + "trusted profile, its IAM tokens. It must be enabled on every cluster instance.")
                    .defaultValue(DEFAULT_METADATA_URL)
                    .reloadable()
                    .build(),
            ParameterSpec.builder(METADATA_API_VERSION, ParameterType.ENUM)
                    .shortDescription("Metadata service API version")
                    .longDescription("auto tries the 2025-08-26 paths and falls back to 2022-03-01.")
                    .allowedValues("auto", "2025-08-26", "2022-03-01")
                    .defaultValue("auto")
                    .reloadable()
                    .build(),
            spec(
                    TRUSTED_PROFILE_ID,
                    ParameterType.STRING,
                    "Trusted profile id",
                    "Authenticate as this IAM trusted profile, through the instance metadata service: no secret on "
                            + "the node. The recommended credential. Without any credential parameter, the "
                            + "instance's default linked trusted profile is used."),
            spec(
                    TRUSTED_PROFILE_CRN,
                    ParameterType.STRING,
                    "Trusted profile CRN",
                    "As trusted_profile_id, naming the profile by CRN."),
            spec(
                    API_KEY_FILE,
                    ParameterType.STRING,
                    "File holding an API key",
                    "A file holding an IBM Cloud API key, raw or as JSON with an apikey field (as IBM Cloud downloads "
                            + "it). Refused unless owned by root and unreadable by group and others."),
            ParameterSpec.builder(API_KEY, ParameterType.STRING)
                    .shortDescription("API key (discouraged)")
                    .longDescription("An IBM Cloud API key. Discouraged: it is stored in the CIB; prefer a trusted "
                            + "profile or api_key_file. The form @/path reads the key from that file.")
                    .sensitive()
                    .reloadable()
                    .build(),
            spec(
                    CA_FILE,
                    ParameterType.STRING,
                    "Extra trusted CA certificates",
                    "A PEM file of CA certificates trusted in addition to the system trust store."),
            ParameterSpec.builder(API_VERSION, ParameterType.STRING)
                    .shortDescription("VPC API version date")
                    .longDescription("The version query parameter sent with every VPC API request.")
                    .defaultValue(PINNED_API_VERSION)
                    .reloadable()
                    .build(),
            ParameterSpec.builder(REQUEST_TIMEOUT, ParameterType.INTEGER)
                    .shortDescription("Seconds per API request")
                    .longDescription("The longest one request may take before it is abandoned (and retried when "
                            + "safe). The action's own timeout bounds all attempts together.")
                    .range(1, 300)
                    .defaultValue("10")
                    .reloadable()
                    .build(),
            ParameterSpec.builder(MAX_ATTEMPTS, ParameterType.INTEGER)
                    .shortDescription("Attempts per API request")
                    .longDescription("How often a request is tried on rate limits, server errors and connection "
                            + "failures, with exponential backoff and jitter, within the action's timeout.")
                    .range(1, 20)
                    .defaultValue("5")
                    .reloadable()
                    .build(),
            ParameterSpec.builder(PAGE_LIMIT, ParameterType.INTEGER)
                    .shortDescription("Items per page")
                    .longDescription("The limit asked for when listing collections (the API's default is 50, its "
                            + "largest 100).")
                    .range(1, 100)
                    .defaultValue("50")
                    .reloadable()
                    .build(),
            ParameterSpec.builder(TOKEN_CACHE_DIR, ParameterType.STRING)
                    .shortDescription("Token cache directory")
                    .longDescription("Where IAM tokens are shared between actions, never the key itself. Made with "
                            + "mode 0700 when missing; an existing directory must be owned by root and writable by no "
                            + "one else, nor any directory above it.")
                    .defaultValue("/run/vpc-ha")
                    .reloadable()
                    .build());

    private CloudParameters() {}

    public static List<ParameterSpec> all() {
        return ALL;
    }

    private static ParameterSpec spec(
            String name, ParameterType type, String shortDescription, String longDescription) {
        return ParameterSpec.builder(name, type)
                .shortDescription(shortDescription)
                .longDescription(longDescription)
                .reloadable()
                .build();
    }
}
