package io.vpcha.host.cloud.metadata;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vpcha.host.cloud.auth.AccessToken;
import io.vpcha.host.cloud.auth.TokenCache;
import io.vpcha.host.cloud.auth.TokenSource;
import io.vpcha.host.cloud.http.ApiErrors;
import io.vpcha.host.cloud.http.CallExecutor;
import io.vpcha.host.cloud.http.HttpCall;
import io.vpcha.host.cloud.http.HttpResult;
import io.vpcha.host.cloud.vpc.VpcJson;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.Instance;
import io.vpcha.spi.cloud.InstanceMetadata;
import io.vpcha.spi.cloud.NetworkInterface;
import io.vpcha.spi.cloud.VirtualNetworkInterface;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The instance metadata service: this instance's identity token (cached like IAM tokens), IAM tokens
 * for a trusted profile, and this instance's own description. The service knows the caller by where
 * the request comes from, so it needs no credential.
 *
 * <p>Both API versions are supported; with none pinned, the newer paths are tried first and the older
 * ones used for the rest of the action when the service answers 404.
 */
public final class MetadataClient implements InstanceMetadata {
    /** The identity token's lifetime asked for: the longest allowed, since it is cached. */
    private static final int IDENTITY_TOKEN_SECONDS = 3600;

    private final URI baseUrl;
    private final CallExecutor executor;
    private final TokenCache tokenCache;
    private final boolean versionPinned;
    private volatile MetadataApiVersion version;
    private Instance instance;

    /**
     * @param version the API version to use; empty to find out (newest first)
     */
    public MetadataClient(
            URI baseUrl, Optional<MetadataApiVersion> version, CallExecutor executor, TokenCache tokenCache) {
        this.baseUrl = requireNonNull(baseUrl, "baseUrl is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.tokenCache = requireNonNull(tokenCache, "tokenCache is null");
        this.versionPinned = version.isPresent();
        this.version = version.orElse(MetadataApiVersion.V2025_08_26);
    }

    /** An IAM token for the trusted profile given by id or CRN, or for the instance's default linked profile. */
    public AccessToken iamToken(Optional<String> profileId, Optional<String> profileCrn) throws CloudException {
        JsonObject body = new JsonObject();
        if (profileId.isPresent() || profileCrn.isPresent()) {
            JsonObject profile = new JsonObject();
            profileId.ifPresent(id -> profile.addProperty("id", id));
            profileCrn.ifPresent(crn -> profile.addProperty("crn", crn));
            body.add("trusted_profile", profile);
        }
        String what = "get an IAM token for trusted profile "
                + profileId.or(() -> profileCrn).orElse("(default linked)") + " from the metadata service";
        HttpResult result = withIdentity("POST", version.iamTokenPath(), Optional.of(body.toString()), what);
        return token(result, what);
    }

    @Override
    public synchronized Instance instance() throws CloudException {
        if (instance == null) {
            instance = read("/metadata/v1/instance", "describe this instance", VpcJson::instance);
        }
        return instance;
    }

    @Override
    public List<NetworkInterface> networkInterfaces() throws CloudException {
        return read(
                "/metadata/v1/instance/network_interfaces",
                "list this instance's network interfaces",
                json -> VpcJson.list(json, "network_interfaces", VpcJson::networkInterface));
    }

    @Override
    public List<VirtualNetworkInterface> virtualNetworkInterfaces() throws CloudException {
        return read(
                "/metadata/v1/virtual_network_interfaces",
                "list this instance's virtual network interfaces",
                json -> VpcJson.list(json, "virtual_network_interfaces", VpcJson::virtualNetworkInterface));
    }

    private <T> T read(String path, String what, Function<JsonObject, T> reader) throws CloudException {
        HttpResult result = withIdentity("GET", path, Optional.empty(), what);
        if (!result.isSuccess()) {
            throw ApiErrors.from(result, what);
        }
        try {
            return reader.apply(JsonParser.parseString(result.body()).getAsJsonObject());
        } catch (RuntimeException e) {
            throw new CloudException(
                    CloudErrorKind.TRANSIENT,
                    result.status(),
                    null,
                    what + ": unexpected answer: " + e.getMessage(),
                    null,
                    e);
        }
    }

    /**
     * A call with this instance's identity token; a cached token the service no longer accepts (401:
     * expired early, or the service restarted) is replaced once.
     */
    private HttpResult withIdentity(String method, String path, Optional<String> json, String what)
            throws CloudException {
        IdentityTokenSource source = new IdentityTokenSource();
        AccessToken identity = tokenCache.token(source, Optional.empty());
        HttpResult result = send(method, path, Optional.of(identity), json, what);
        if (result.status() == 401) {
            identity = tokenCache.token(source, Optional.of(identity));
            result = send(method, path, Optional.of(identity), json, what);
        }
        return result;
    }

    /** Asks the service for an identity token, finding the API version on the way when none is pinned. */
    private final class IdentityTokenSource implements TokenSource {
        @Override
        public AccessToken fetch() throws CloudException {
            String what = "get an identity token from the metadata service at " + baseUrl;
            String body = "{\"expires_in\":" + IDENTITY_TOKEN_SECONDS + "}";
            HttpResult result = send("PUT", version.identityTokenPath(), Optional.empty(), Optional.of(body), what);
            if (result.status() == 404 && !versionPinned && version == MetadataApiVersion.V2025_08_26) {
                version = MetadataApiVersion.V2022_03_01;
                result = send("PUT", version.identityTokenPath(), Optional.empty(), Optional.of(body), what);
            }
            return token(result, what);
        }

        @Override
        public String cacheIdentity() {
            return "metadata-identity@" + baseUrl;
        }
    }

    private HttpResult send(
            String method, String path, Optional<AccessToken> bearer, Optional<String> json, String what)
            throws CloudException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Metadata-Flavor", "ibm");
        headers.put("Accept", "application/json");
        bearer.ifPresent(token -> headers.put("Authorization", "Bearer " + token.value()));
        json.ifPresent(body -> headers.put("Content-Type", "application/json"));
        URI uri = URI.create(baseUrl + path + "?version=" + version.date());
        return executor.execute(
                new HttpCall(method, uri, headers, json.map(body -> body.getBytes(StandardCharsets.UTF_8))),
                true,
                what);
    }

    /** Reads {@code access_token}, {@code created_at}/{@code expires_at} or {@code expires_in} of a token answer. */
    static AccessToken token(HttpResult result, String what) throws CloudException {
        if (!result.isSuccess()) {
            throw ApiErrors.from(result, what);
        }
        try {
            JsonObject json = JsonParser.parseString(result.body()).getAsJsonObject();
            Instant now = Instant.now();
            Instant expiration = VpcJson.text(json, "expires_at")
                    .map(Instant::parse)
                    .orElseGet(() -> {
                        JsonElement expiresIn = json.get("expires_in");
                        return now.plusSeconds(expiresIn == null ? 300 : expiresIn.getAsLong());
                    });
            Instant created =
                    VpcJson.text(json, "created_at").map(Instant::parse).orElse(now);
            return new AccessToken(VpcJson.required(json, "access_token"), created, expiration);
        } catch (RuntimeException e) {
            throw new CloudException(
                    CloudErrorKind.TRANSIENT,
                    result.status(),
                    null,
                    what + ": unexpected answer: " + e.getClass().getSimpleName(),
                    null,
                    e);
        }
    }
}
