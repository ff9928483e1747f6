package io.vpcha.simulator.vpc;

import com.google.gson.JsonElement;
import io.vpcha.simulator.http.ApiException;
import io.vpcha.simulator.http.Json;
import io.vpcha.simulator.http.Pagination;
import io.vpcha.simulator.http.Request;
import io.vpcha.simulator.http.Router;
import io.vpcha.simulator.http.Service;
import io.vpcha.simulator.iam.TokenService;
import io.vpcha.simulator.state.Behaviour;
import io.vpcha.simulator.state.Principal;
import io.vpcha.simulator.state.SimulatorState;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The regional VPC API under {@code /v1}: checks {@code version} and {@code generation}, the bearer
 * token (401 when missing, invalid or expired) and the principal's withheld permissions (403), then
 * dispatches to the resource handlers.
 */
public final class VpcService implements Service {
    private static final Pattern VERSION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final LocalDate OLDEST_VERSION = LocalDate.of(2019, 1, 1);

    private final SimulatorState state;
    private final TokenService tokens;
    private final Router router = new Router();

    public VpcService(SimulatorState state, TokenService tokens, Behaviour behaviour, VpcJson json) {
        this.state = state;
        this.tokens = tokens;
        Pagination pagination = new Pagination(behaviour);
        new NetworkHandlers(state, json, pagination, behaviour).register(router);
        new RoutingHandlers(state, json, pagination, behaviour).register(router);
        new FloatingIpHandlers(state, json, pagination, behaviour).register(router);
        new InstanceHandlers(state, json, pagination, behaviour).register(router);
        new LoadBalancerHandlers(state, json, pagination, behaviour).register(router);
        new PublicAddressRangeHandlers(state, json, pagination, behaviour).register(router);
    }

    @Override
    public String name() {
        return "vpc";
    }

    @Override
    public boolean handles(String path) {
        return path.equals("/v1") || path.startsWith("/v1/");
    }

    @Override
    public Router router() {
        return router;
    }

    @Override
    public void identify(Request request) {
        String token = bearer(request);
        TokenService.Validation validation = tokens.validate(token);
        switch (validation.status()) {
            case VALID -> {
                request.context().setCredentialKind(validation.token().credentialKind());
                request.context().setPrincipal(validation.token());
                request.context().setCallerInstanceId(validation.token().instanceId());
            }
            case EXPIRED -> request.context().setCredentialKind("expired_token");
            case INVALID -> request.context().setCredentialKind("invalid_token");
            case MISSING -> request.context().setCredentialKind("none");
        }
        if (request.context().callerInstanceId() == null) {
            String remote = request.remoteAddress();
            state.read(s -> s.instanceByAddress(remote))
                    .ifPresent(instance -> request.context().setCallerInstanceId(instance.id));
        }
    }

    static String bearer(Request request) {
        String header = request.header("Authorization");
        if (header == null) {
            return null;
        }
        String trimmed = header.trim();
        if (trimmed.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return trimmed.substring(7).trim();
        }
        return "";
    }

    @Override
    public void authorize(Request request, String template) {
        checkVersion(request.query("version"));
        String generation = request.query("generation");
        if (generation == null) {
            throw new ApiException(
                    400,
                    "missing_generation",
                    "The generation query parameter is required",
                    "generation",
                    "query",
                    null);
        }
        if (!generation.equals("2")) {
            throw new ApiException(400, "invalid_value", "The generation must be 2", "generation", "query", generation);
        }
        if (request.method().equals("PATCH") && !request.contentType().equals("application/merge-patch+json")) {
            throw new ApiException(
                    415,
                    "unsupported_media_type",
                    "PATCH requests must use Content-Type application/merge-patch+json",
                    "Content-Type",
                    "header",
                    request.header("Content-Type"));
        }
        if ((request.method().equals("POST") || request.method().equals("PUT"))
                && request.hasBody()
                && !request.contentType().equals("application/json")) {
            throw new ApiException(
                    415,
                    "unsupported_media_type",
                    "Request bodies must use Content-Type application/json",
                    "Content-Type",
                    "header",
                    request.header("Content-Type"));
        }
        String token = bearer(request);
        TokenService.Validation validation = tokens.validate(token);
        switch (validation.status()) {
            case MISSING ->
                throw new ApiException(
                        401,
                        "not_authorized",
                        "The request does not contain an Authorization header",
                        "Authorization",
                        "header",
                        null);
            case INVALID ->
                throw new ApiException(
                        401, "not_authorized", "The provided token is invalid", "Authorization", "header", null);
            case EXPIRED ->
                throw new ApiException(
                        401, "not_authorized", "The provided token has expired", "Authorization", "header", null);
            case VALID -> checkPermission(validation.token(), request);
        }
    }

    private void checkPermission(TokenService.IssuedToken token, Request request) {
        List<String> deny = state.read(s -> {
            Principal principal = s.principals.get(token.principalId());
            return principal == null ? List.<String>of() : List.copyOf(principal.deny);
        });
        String call = request.method() + " " + request.path();
        for (String rule : deny) {
            if (Permissions.matches(rule, request.method(), request.path())) {
                throw new ApiException(403, "not_authorized", "You are not authorized to perform this action: " + call);
            }
        }
    }

    private static void checkVersion(String version) {
        if (version == null) {
            throw new ApiException(
                    400, "missing_version", "The version query parameter is required", "version", "query", null);
        }
        if (!VERSION.matcher(version).matches()) {
            throw new ApiException(
                    400,
                    "invalid_version",
                    "The version must be a date in the format YYYY-MM-DD",
                    "version",
                    "query",
                    version);
        }
        LocalDate date;
        try {
            date = LocalDate.parse(version);
        } catch (DateTimeException e) {
            throw new ApiException(
                    400, "invalid_version", "The version must be a valid date", "version", "query", version);
        }
        if (date.isBefore(OLDEST_VERSION) || date.isAfter(LocalDate.now(ZoneOffset.UTC))) {
            throw new ApiException(
                    400,
                    "invalid_version",
                    "The version must be between 2019-01-01 and today",
                    "version",
                    "query",
                    version);
        }
    }

    @Override
    public JsonElement errorBody(ApiException error, Request request) {
        return errorJson(error, request.trace(), false);
    }

    /** The VPC error format: {@code {"errors":[{code,message,more_info,target}],"trace":uuid}}. */
    public static JsonElement errorJson(ApiException error, String trace, boolean withStatusCode) {
        Json.Obj detail = Json.object()
                .put("code", error.code())
                .put("message", error.getMessage())
                .put("more_info", "https://cloud.ibm.com/docs/vpc?topic=vpc-rias-error-messages#" + error.code());
        if (error.targetName() != null) {
            detail.put(
                    "target",
                    Json.object()
                            .put("name", error.targetName())
                            .put("type", error.targetType())
                            .put("value", error.targetValue()));
        }
        return Json.object()
                .put("errors", Json.array(List.of(detail.build())))
                .put("trace", trace)
                .put("status_code", withStatusCode ? error.status() : null)
                .build();
    }
}
