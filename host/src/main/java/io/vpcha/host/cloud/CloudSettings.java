package io.vpcha.host.cloud;

import static io.vpcha.host.cloud.CloudParameters.API_KEY;
import static io.vpcha.host.cloud.CloudParameters.API_KEY_FILE;
import static io.vpcha.host.cloud.CloudParameters.API_VERSION;
import static io.vpcha.host.cloud.CloudParameters.CA_FILE;
import static io.vpcha.host.cloud.CloudParameters.DEFAULT_METADATA_URL;
import static io.vpcha.host.cloud.CloudParameters.ENDPOINT_TYPE;
import static io.vpcha.host.cloud.CloudParameters.IAM_URL;
import static io.vpcha.host.cloud.CloudParameters.MAX_ATTEMPTS;
import static io.vpcha.host.cloud.CloudParameters.METADATA_API_VERSION;
import static io.vpcha.host.cloud.CloudParameters.METADATA_URL;
import static io.vpcha.host.cloud.CloudParameters.PAGE_LIMIT;
import static io.vpcha.host.cloud.CloudParameters.REGION;
import static io.vpcha.host.cloud.CloudParameters.REQUEST_TIMEOUT;
import static io.vpcha.host.cloud.CloudParameters.TOKEN_CACHE_DIR;
import static io.vpcha.host.cloud.CloudParameters.TRUSTED_PROFILE_CRN;
import static io.vpcha.host.cloud.CloudParameters.TRUSTED_PROFILE_ID;
import static io.vpcha.host.cloud.CloudParameters.VPC_URL;
import static java.util.Objects.requireNonNull;

import io.vpcha.host.cloud.metadata.MetadataApiVersion;
import io.vpcha.host.ocf.Redaction;
import io.vpcha.host.parameter.ConfigurationException;
import io.vpcha.spi.ParameterValues;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The cloud parameters of a resource, checked together: endpoints normalised, one credential chosen,
 * HTTPS enforced. Pure: reads no file and asks no network, so validate-all at level 0 can use it.
 *
 * @param vpcUrl the VPC API base URL ending in /v1; empty: derive it from the region of this instance
 * @param credentialChoice which credential parameters are set (files are read on first use)
 */
public record CloudSettings(
        Optional<URI> vpcUrl,
        Optional<String> region,
        boolean privateEndpoints,
        URI iamUrl,
        URI metadataUrl,
        Optional<MetadataApiVersion> metadataApiVersion,
        CredentialChoice credentialChoice,
        Optional<Path> caFile,
        String apiVersion,
        Duration requestTimeout,
        int maxAttempts,
        int pageLimit,
        Path tokenCacheDirectory) {

    /** Which credential the resource configured; at most one may be. */
    public sealed interface CredentialChoice {
        record TrustedProfile(Optional<String> id, Optional<String> crn) implements CredentialChoice {}

        record ApiKeyFile(Path file) implements CredentialChoice {}

        /** The api_key parameter: a key, or @/path meaning a file. */
        record ApiKeyValue(String value) implements CredentialChoice {
            @Override
            public String toString() {
                return "ApiKeyValue[***]";
            }
        }
    }

    private static final Pattern DOTTED_QUAD = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

    public CloudSettings {
        requireNonNull(vpcUrl, "vpcUrl is null");
        requireNonNull(region, "region is null");
        requireNonNull(iamUrl, "iamUrl is null");
        requireNonNull(metadataUrl, "metadataUrl is null");
        requireNonNull(metadataApiVersion, "metadataApiVersion is null");
        requireNonNull(credentialChoice, "credentialChoice is null");
        requireNonNull(caFile, "caFile is null");
        requireNonNull(apiVersion, "apiVersion is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        requireNonNull(tokenCacheDirectory, "tokenCacheDirectory is null");
    }

    public static CloudSettings from(ParameterValues values) throws ConfigurationException {
        List<String> problems = new ArrayList<>();
        boolean privateEndpoints = values.require(ENDPOINT_TYPE).equals("private");
        Optional<String> region = values.string(REGION).map(String::trim).map(r -> r.toLowerCase(Locale.ROOT));
        region.filter(r -> !r.matches("[a-z]{2}-[a-z]{2,}"))
                .ifPresent(r -> problems.add(REGION + ": '" + r + "' is not a region name such as us-south"));
        Optional<URI> vpcUrl = values.string(VPC_URL).flatMap(url -> apiUrl(VPC_URL, url, true, problems));
        URI iamUrl = values.string(IAM_URL)
                .flatMap(url -> apiUrl(IAM_URL, url, false, problems))
                .orElse(URI.create(
                        privateEndpoints ? "https://private.iam.cloud.ibm.com" : "https://iam.cloud.ibm.com"));
        URI metadataUrl = url(METADATA_URL, values.require(METADATA_URL), problems)
                .map(uri -> stripTrailingSlash(uri))
                .orElse(URI.create(DEFAULT_METADATA_URL));
        String versionChoice = values.require(METADATA_API_VERSION);
        Optional<MetadataApiVersion> metadataApiVersion = versionChoice.equals("auto")
                ? Optional.empty()
                : Optional.of(MetadataApiVersion.fromDate(versionChoice));

        Optional<String> profileId = values.string(TRUSTED_PROFILE_ID);
        Optional<String> profileCrn = values.string(TRUSTED_PROFILE_CRN);
        Optional<String> keyFile = values.string(API_KEY_FILE);
        Optional<String> key = values.string(API_KEY);
        List<String> chosen = new ArrayList<>();
        profileId.ifPresent(v -> chosen.add(TRUSTED_PROFILE_ID));
        profileCrn.ifPresent(v -> chosen.add(TRUSTED_PROFILE_CRN));
        keyFile.ifPresent(v -> chosen.add(API_KEY_FILE));
        key.ifPresent(v -> chosen.add(API_KEY));
        if (chosen.size() > 1) {
            problems.add("set one credential, not " + String.join(" and ", chosen));
        }
        profileId
                .filter(String::isBlank)
                .ifPresent(v -> problems.add(TRUSTED_PROFILE_ID + ": empty; remove it or " + "set the profile's id"));
        profileCrn
                .filter(String::isBlank)
                .ifPresent(v -> problems.add(TRUSTED_PROFILE_CRN + ": empty; remove it or " + "set the profile's CRN"));
        key.filter(String::isBlank).ifPresent(v -> problems.add(API_KEY + ": empty"));
        Optional<Path> keyFilePath = keyFile.flatMap(file -> absolutePath(API_KEY_FILE, file, problems));
        // the ClusterLabs agents' convention: api_key=@/path names a file
        key.filter(value -> value.startsWith("@"))
                .ifPresent(value -> absolutePath(API_KEY + "=@", value.substring(1), problems));
        CredentialChoice credential = keyFilePath
                .<CredentialChoice>map(CredentialChoice.ApiKeyFile::new)
                .or(() -> key.map(CredentialChoice.ApiKeyValue::new))
                .orElseGet(() -> new CredentialChoice.TrustedProfile(profileId, profileCrn));

        Optional<Path> caFile = values.string(CA_FILE).flatMap(file -> absolutePath(CA_FILE, file, problems));
        Optional<Path> tokenCacheDirectory = absolutePath(TOKEN_CACHE_DIR, values.require(TOKEN_CACHE_DIR), problems);
        // their ranges are declared (CloudParameters) and checked before this runs
        long timeout = values.integer(REQUEST_TIMEOUT).orElseThrow();
        long attempts = values.integer(MAX_ATTEMPTS).orElseThrow();
        long pageLimit = values.integer(PAGE_LIMIT).orElseThrow();
        String apiVersion = values.require(API_VERSION);
        if (!apiVersion.matches("\\d{4}-\\d{2}-\\d{2}")) {
            problems.add(API_VERSION + ": '" + apiVersion + "' is not a date YYYY-MM-DD");
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        return new CloudSettings(
                vpcUrl,
                region,
                privateEndpoints,
                iamUrl,
                metadataUrl,
                metadataApiVersion,
                credential,
                caFile,
                apiVersion,
                Duration.ofSeconds(timeout),
                (int) attempts,
                (int) pageLimit,
                tokenCacheDirectory.orElseThrow());
    }

    /** The VPC API base URL of a region. */
    public URI vpcUrlOfRegion(String regionName) {
        return URI.create("https://" + regionName + (privateEndpoints ? ".private" : "") + ".iaas.cloud.ibm.com/v1");
    }

    /** The region of a zone: {@code us-south-2} is in {@code us-south}. */
    public static String regionOfZone(String zone) {
        int dash = zone.lastIndexOf('-');
        return dash > 0 ? zone.substring(0, dash) : zone;
    }

    /**
     * A file or directory parameter's path: absolute (a relative one, or an empty value, would be taken
     * from the working directory Pacemaker happens to give), and one this JVM can name (a character its
     * locale cannot encode makes no path at all).
     */
    private static Optional<Path> absolutePath(String name, String text, List<String> problems) {
        if (!text.startsWith("/")) {
            problems.add(name + ": '" + text + "' is not an absolute path");
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(text));
        } catch (InvalidPathException e) {
            problems.add(name + ": '" + text + "' is not a usable path (" + e.getReason() + "; "
                    + "characters outside ASCII need a UTF-8 locale)");
            return Optional.empty();
        }
    }

    private static Optional<URI> apiUrl(String name, String text, boolean vpc, List<String> problems) {
        Optional<URI> parsed = url(name, text, problems);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        URI uri = stripTrailingSlash(parsed.get());
        if (uri.getScheme().equals("http") && !isLoopback(uri.getHost())) {
            problems.add(name + ": '" + text + "' must use https (plain http is allowed to a loopback address only)");
            return Optional.empty();
        }
        if (vpc && !uri.getPath().endsWith("/v1")) {
            uri = URI.create(uri + "/v1");
        }
        return Optional.of(uri);
    }

    private static Optional<URI> url(String name, String text, List<String> problems) {
        try {
            URI uri = new URI(text.trim());
            if (uri.getScheme() == null
                    || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))
                    || uri.getHost() == null
                    || uri.getRawQuery() != null
                    || uri.getRawUserInfo() != null) {
                problems.add(name + ": '" + Redaction.maskUrlUserInfo(text)
                        + "' is not an http(s) URL without query or user");
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            problems.add(name + ": '" + Redaction.maskUrlUserInfo(text) + "' is not a URL");
            return Optional.empty();
        }
    }

    private static URI stripTrailingSlash(URI uri) {
        String text = uri.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text);
    }

    /**
     * Whether a URL's host is this machine's loopback, where plain HTTP carries a token nowhere: the name
     * {@code localhost}, or an address literal in 127.0.0.0/8 or {@code ::1}. Any other name is not,
     * whatever it looks like ({@code 127.attacker.example} is a name anyone's DNS may answer for), and no
     * name is looked up here.
     */
    static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        boolean ipv6Literal = host.startsWith("[") && host.endsWith("]");
        if (!ipv6Literal && !DOTTED_QUAD.matcher(host).matches()) {
            return false;
        }
        try {
            // a literal: parsed, never resolved
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
