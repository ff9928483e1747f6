package io.vpcha.simulator.iam;

import com.google.gson.JsonElement;
import io.vpcha.simulator.http.ApiException;
import io.vpcha.simulator.http.Json;
import io.vpcha.simulator.http.Request;
import io.vpcha.simulator.http.Response;
import io.vpcha.simulator.http.Router;
import io.vpcha.simulator.http.Service;
import io.vpcha.simulator.state.Principal;
import io.vpcha.simulator.state.SimulatorState;
import java.time.Instant;
import java.util.Map;

/**
 * IAM's token endpoint: {@code POST /identity/token} with the API-key grant (and the refresh-token
 * grant). Errors use IAM's own format: {@code {"errorCode","errorMessage","context":{"requestId",...}}}.
 */
public final class IamService implements Service {
    public static final String APIKEY_GRANT = "urn:ibm:params:oauth:grant-type:apikey";

    private final SimulatorState state;
    private final TokenService tokens;
    private final Router router = new Router();

    public IamService(SimulatorState state, TokenService tokens) {
        this.state = state;
        this.tokens = tokens;
        router.add("POST", "/identity/token", this::token);
    }

    @Override
    public String name() {
        return "iam";
    }

    @Override
    public boolean handles(String path) {
        return path.startsWith("/identity/");
    }

    @Override
    public Router router() {
        return router;
    }

    @Override
    public void identify(Request request) {
        // The credential (an API key in the body) is recorded as "apikey" once parsed. The calling
        // instance, if any, is the one owning the source address (nodes in network namespaces).
        String remote = request.remoteAddress();
        state.read(s -> s.instanceByAddress(remote))
                .ifPresent(instance -> request.context().setCallerInstanceId(instance.id));
    }

    @Override
    public void authorize(Request request, String template) {
        // The grant itself is the credential.
    }

    private Response token(Request request) {
        if (!request.contentType().equals("application/x-www-form-urlencoded")) {
            throw new ApiException(400, "BXNIM0109E", "Content-Type must be application/x-www-form-urlencoded");
        }
        Map<String, String> form = Request.parseQuery(request.bodyText());
        String grantType = form.get("grant_type");
        TokenService.IssuedToken issued;
        if (APIKEY_GRANT.equals(grantType)) {
            request.context().setCredentialKind("apikey");
            String apikey = form.get("apikey");
            if (apikey == null || apikey.isBlank()) {
                throw new ApiException(400, "BXNIM0109E", "Property missing or empty. Property: apikey");
            }
            Principal principal = state.read(s -> s.principals.values().stream()
                    .filter(p -> p.kind == Principal.Kind.API_KEY && apikey.equals(p.secret))
                    .findFirst()
                    .orElse(null));
            if (principal == null) {
                throw new ApiException(400, "BXNIM0415E", "Provided API key could not be found.");
            }
            issued = tokens.issue(principal, null);
        } else if ("refresh_token".equals(grantType)) {
            request.context().setCredentialKind("refresh_token");
            String refresh = form.get("refresh_token");
            TokenService.IssuedToken previous =
                    refresh == null ? null : tokens.byRefreshToken(refresh).orElse(null);
            if (previous == null) {
                throw new ApiException(400, "BXNIM0407E", "Provided refresh token is invalid.");
            }
            Principal principal = state.read(s -> s.principals.get(previous.principalId()));
            if (principal == null) {
                throw new ApiException(400, "BXNIM0407E", "Provided refresh token is invalid.");
            }
            issued = tokens.issue(principal, previous.instanceId());
        } else {
            throw new ApiException(400, "BXNIM0109E", "Property missing or empty. Property: grant_type");
        }
        return Response.ok(tokenBody(issued));
    }

    /** The IAM token response; also used by the metadata service for its IAM tokens. */
    public static Json.Obj tokenBody(TokenService.IssuedToken issued) {
        return Json.object()
                .put("access_token", issued.token())
                .put("refresh_token", issued.refreshToken())
                .put("token_type", "Bearer")
                .put("expires_in", issued.expiresInSeconds())
                .put("expiration", issued.expiresAt().getEpochSecond())
                .put("scope", "ibm openid");
    }

    @Override
    public JsonElement errorBody(ApiException error, Request request) {
        String code = error.code() != null && error.code().startsWith("BXNIM")
                ? error.code()
                : error.status() == 503 ? "BXNIM0503E" : "BXNIM0500E";
        return Json.object()
                .put("errorCode", code)
                .put("errorMessage", error.getMessage())
                .put(
                        "context",
                        Json.object()
                                .put("requestId", request.trace())
                                .put("requestType", "incoming.Identity_Token")
                                .put("url", "https://iam.cloud.ibm.com")
                                .put("startTime", Instant.now().toString())
                                .put("clusterName", "simulator"))
                .build();
    }
}
