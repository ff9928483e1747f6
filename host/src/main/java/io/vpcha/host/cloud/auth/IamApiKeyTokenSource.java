package io.vpcha.host.cloud.auth;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vpcha.host.cloud.http.ApiErrors;
import io.vpcha.host.cloud.http.CallExecutor;
import io.vpcha.host.cloud.http.HttpCall;
import io.vpcha.host.cloud.http.HttpResult;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** IAM access tokens for an API key: {@code POST /identity/token} with the apikey grant. */
public final class IamApiKeyTokenSource implements TokenSource {
    private final URI iamUrl;
    private final String apiKey;
    private final CallExecutor executor;

    public IamApiKeyTokenSource(URI iamUrl, String apiKey, CallExecutor executor) {
        this.iamUrl = requireNonNull(iamUrl, "iamUrl is null");
        this.apiKey = requireNonNull(apiKey, "apiKey is null");
        this.executor = requireNonNull(executor, "executor is null");
    }

    @Override
    public AccessToken fetch() throws CloudException {
        String form =
                "grant_type=" + URLEncoder.encode("urn:ibm:params:oauth:grant-type:apikey", StandardCharsets.UTF_8)
                        + "&apikey=" + URLEncoder.encode(apiKey, StandardCharsets.UTF_8) + "&response_type=cloud_iam";
        String what = "get an IAM token from " + iamUrl;
        HttpResult result = executor.execute(
                new HttpCall(
                        "POST",
                        URI.create(iamUrl + "/identity/token"),
                        Map.of("Content-Type", "application/x-www-form-urlencoded", "Accept", "application/json"),
                        Optional.of(form.getBytes(StandardCharsets.UTF_8))),
                true,
                what);
        if (!result.isSuccess()) {
            throw ApiErrors.from(result, what);
        }
        try {
            JsonObject json = JsonParser.parseString(result.body()).getAsJsonObject();
            Instant now = Instant.now();
            Instant expiration = json.has("expiration")
                    ? Instant.ofEpochSecond(json.get("expiration").getAsLong())
                    : now.plusSeconds(json.get("expires_in").getAsLong());
            return new AccessToken(json.get("access_token").getAsString(), now, expiration);
        } catch (RuntimeException e) {
            // never include the body: it holds the token
            throw new CloudException(
                    CloudErrorKind.TRANSIENT,
                    result.status(),
                    null,
                    what + ": unexpected answer (" + e.getClass().getSimpleName() + ")",
                    null,
                    null);
        }
    }

    /** The key's hash, never the key, and the IAM endpoint: tokens of one key at one IAM are shared. */
    @Override
    public String cacheIdentity() {
        return "apikey:" + TokenCache.hash(apiKey) + "@" + iamUrl;
    }
}
