package io.vpcha.simulator.metadata;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.vpcha.simulator.http.ApiException;
import io.vpcha.simulator.http.Json;
import io.vpcha.simulator.http.Pagination;
import io.vpcha.simulator.http.Request;
import io.vpcha.simulator.http.Response;
import io.vpcha.simulator.http.Router;
import io.vpcha.simulator.http.Service;
import io.vpcha.simulator.iam.TokenService;
import io.vpcha.simulator.state.Behaviour;
import io.vpcha.simulator.state.Instance;
import io.vpcha.simulator.state.NetworkAttachment;
import io.vpcha.simulator.state.NetworkInterface;
import io.vpcha.simulator.state.Principal;
import io.vpcha.simulator.state.SimulatorState;
import io.vpcha.simulator.state.VirtualNetworkInterface;
import io.vpcha.simulator.vpc.VpcJson;
import io.vpcha.simulator.vpc.VpcService;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The instance metadata service. The calling instance is the one whose listener port was used
 * (per-instance listeners) or, on the shared listener, the one owning the request's source address.
 * Identity-token paths: {@code /instance_identity/v1/token} and {@code /instance_identity/v1/iam_token}
 * for versions before 2025-08-26; {@code /identity/v1/token} and {@code /identity/v1/iam_tokens} from it.
 */
public final class MetadataService implements Service {
    static final LocalDate NEW_PATHS_VERSION = LocalDate.of(2025, 8, 26);
    private static final LocalDate OLDEST_VERSION = LocalDate.of(2022, 3, 1);

    private final SimulatorState state;
    private final TokenService iamTokens;
    private final VpcJson json;
    private final Pagination pagination;
    private final Behaviour behaviour;
    private final Router router = new Router();
    private final SecureRandom random = new SecureRandom();
    private final Map<String, IdentityToken> identityTokens = new ConcurrentHashMap<>();
    private final Map<Integer, String> instanceByPort = new ConcurrentHashMap<>();

    public MetadataService(SimulatorState state, TokenService iamTokens, VpcJson json, Behaviour behaviour) {
        this.state = state;
        this.iamTokens = iamTokens;
        this.json = json;
        this.pagination = new Pagination(behaviour);
        this.behaviour = behaviour;
        // Which pair of paths is valid for the requested version is checked in authorize().
        router.add("PUT", "/instance_identity/v1/token", this::identityToken)
                .add("POST", "/instance_identity/v1/iam_token", this::iamToken)
                .add("PUT", "/identity/v1/token", this::identityToken)
                .add("POST", "/identity/v1/iam_tokens", this::iamToken)
                .add("GET", "/metadata/v1/instance", this::instance)
                .add("GET", "/metadata/v1/instance/network_interfaces", this::networkInterfaces)
                .add("GET", "/metadata/v1/instance/network_interfaces/{id}", this::networkInterface)
                .add("GET", "/metadata/v1/instance/network_attachments", this::networkAttachments)
                .add("GET", "/metadata/v1/instance/network_attachments/{id}", this::networkAttachment)
                .add("GET", "/metadata/v1/virtual_network_interfaces", this::virtualNetworkInterfaces)
                .add("GET", "/metadata/v1/virtual_network_interfaces/{id}", this::virtualNetworkInterface);
    }

    /** Routes calls arriving on {@code port} to {@code instanceId} (per-instance listeners). */
    public void bindPort(int port, String instanceId) {
        instanceByPort.put(port, instanceId);
    }

    public void clearTokens() {
        identityTokens.clear();
    }

    @Override
    public String name() {
        return "metadata";
    }

    @Override
    public boolean handles(String path) {
        return true;
    }

    @Override
    public Router router() {
        return router;
    }

    @Override
    public void identify(Request request) {
        String byPort = instanceByPort.get(request.localPort());
        if (byPort != null) {
            request.context().setCallerInstanceId(byPort);
        } else {
            String remote = request.remoteAddress();
            state.read(s -> s.instanceByAddress(remote))
                    .ifPresent(instance -> request.context().setCallerInstanceId(instance.id));
        }
        String token = bearer(request);
        if (token != null) {
            IdentityToken identity = identityTokens.get(token);
            request.context()
                    .setCredentialKind(
                            identity == null
                                    ? "invalid_token"
                                    : identity.expiresAt().isAfter(state.clock().instant())
                                            ? "identity_token"
                                            : "expired_token");
        }
    }

    @Override
    public void authorize(Request request, String template) {
        LocalDate version = version(request);
        boolean newPath = template.startsWith("/identity/");
        boolean oldPath = template.startsWith("/instance_identity/");
        if ((newPath && version.isBefore(NEW_PATHS_VERSION)) || (oldPath && !version.isBefore(NEW_PATHS_VERSION))) {
            throw new ApiException(404, "not_found", "No API at " + request.path() + " for version " + version);
        }
        String instanceId = request.context().callerInstanceId();
        if (instanceId == null) {
            throw new ApiException(
                    403,
                    "forbidden",
                    "The caller (" + request.remoteAddress() + ") is not an instance of this simulation");
        }
        boolean enabled = state.read(s -> {
            Instance instance = s.instances.get(instanceId);
            return instance != null && instance.metadataEnabled;
        });
        if (!enabled) {
            throw new ApiException(403, "forbidden", "The metadata service is disabled for this instance");
        }
        if (template.endsWith("/token")) {
            return;
        }
        String token = bearer(request);
        IdentityToken identity = token == null ? null : identityTokens.get(token);
        if (identity == null) {
            throw new ApiException(
                    401,
                    "unauthenticated",
                    "A valid instance identity token is required",
                    "Authorization",
                    "header",
                    null);
        }
        if (!identity.expiresAt().isAfter(state.clock().instant())) {
            throw new ApiException(
                    401, "unauthenticated", "The instance identity token has expired", "Authorization", "header", null);
        }
        if (!identity.instanceId().equals(instanceId)) {
            throw new ApiException(
                    401,
                    "unauthenticated",
                    "The identity token belongs to another instance",
                    "Authorization",
                    "header",
                    null);
        }
    }

    private static LocalDate version(Request request) {
        String text = request.query("version");
        if (text == null) {
            throw new ApiException(
                    400, "missing_version", "The version query parameter is required", "version", "query", null);
        }
        LocalDate version;
        try {
            version = LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new ApiException(
                    400,
                    "invalid_version",
                    "The version must be a date in the format YYYY-MM-DD",
                    "version",
                    "query",
                    text);
        }
        if (version.isBefore(OLDEST_VERSION)) {
            throw new ApiException(
                    400, "invalid_version", "The version value cannot be before 2022-03-01", "version", "query", text);
        }
        return version;
    }

    private static String bearer(Request request) {
        String header = request.header("Authorization");
        if (header == null || !header.trim().regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.trim().substring(7).trim();
    }

    private Response identityToken(Request request) {
        String flavor = request.header("Metadata-Flavor");
        if (flavor == null || !flavor.equals("ibm")) {
            throw new ApiException(
                    400,
                    "missing_value",
                    "The Metadata-Flavor header must be 'ibm'",
                    "Metadata-Flavor",
                    "header",
                    flavor);
        }
        JsonObject body = request.jsonBody();
        int expiresIn = 300;
        if (body.has("expires_in")) {
            Integer value = Json.integer(body, "expires_in");
            if (value == null || value < 5 || value > 3600) {
                throw ApiException.invalidValue(
                        "expires_in", "expires_in must be between 5 and 3600", body.get("expires_in"));
            }
            expiresIn = value;
        }
        request.context().setCredentialKind("none");
        Instant now = state.clock().instant();
        Instant expiresAt = now.plusSeconds(expiresIn);
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = "eyJpZCI6ImlkZW50aXR5In0."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        identityTokens.put(token, new IdentityToken(request.context().callerInstanceId(), expiresAt));
        return Response.ok(Json.object()
                .put("access_token", token)
                .put("created_at", now.truncatedTo(ChronoUnit.SECONDS).toString())
                .put("expires_at", expiresAt.truncatedTo(ChronoUnit.SECONDS).toString())
                .put("expires_in", expiresIn));
    }

    private Response iamToken(Request request) {
        String instanceId = request.context().callerInstanceId();
        JsonObject body = request.jsonBody();
        JsonObject profileRef = Json.objectField(body, "trusted_profile");
        Principal profile = state.read(s -> {
            Instance instance = s.instances.get(instanceId);
            Principal chosen;
            if (profileRef == null) {
                if (instance.defaultTrustedProfileId == null) {
                    throw new ApiException(
                            400, "profile_not_linked", "The instance has no default linked trusted profile");
                }
                chosen = s.principals.get(instance.defaultTrustedProfileId);
            } else {
                String id = Json.string(profileRef, "id");
                String crn = Json.string(profileRef, "crn");
                chosen = s.principals.values().stream()
                        .filter(p -> p.kind == Principal.Kind.TRUSTED_PROFILE)
                        .filter(p -> id != null ? p.id.equals(id) : crn != null && crn.equals(p.crn))
                        .findFirst()
                        .orElse(null);
                if (id == null && crn == null) {
                    throw ApiException.badField("trusted_profile", "trusted_profile needs an id or a crn", profileRef);
                }
            }
            if (chosen == null || !chosen.linkedInstanceIds.contains(instanceId)) {
                throw new ApiException(400, "profile_not_linked", "The trusted profile is not linked to this instance");
            }
            return chosen;
        });
        request.context().setCredentialKind("identity_token");
        TokenService.IssuedToken issued = iamTokens.issue(profile, instanceId);
        return Response.ok(Json.object()
                .put("access_token", issued.token())
                .put(
                        "created_at",
                        issued.issuedAt().truncatedTo(ChronoUnit.SECONDS).toString())
                .put(
                        "expires_at",
                        issued.expiresAt().truncatedTo(ChronoUnit.SECONDS).toString())
                .put("expires_in", issued.expiresInSeconds()));
    }

    private Response instance(Request request) {
        String instanceId = request.context().callerInstanceId();
        return state.read(s -> {
            JsonObject instance = json.instance(s, s.instances.get(instanceId));
            if (instance.has("primary_network_interface")) {
                addressField(instance.getAsJsonObject("primary_network_interface"));
            }
            instance.getAsJsonArray("network_interfaces").forEach(nic -> addressField(nic.getAsJsonObject()));
            return Response.ok(instance);
        });
    }

    private Response networkInterfaces(Request request) {
        String instanceId = request.context().callerInstanceId();
        return state.read(s -> {
            JsonArray nics = new JsonArray();
            s.instances
                    .get(instanceId)
                    .networkInterfaceIds
                    .forEach(id -> nics.add(addressField(json.networkInterface(s, s.networkInterfaces.get(id)))));
            return Response.ok(Json.object().put("network_interfaces", nics));
        });
    }

    private Response networkInterface(Request request) {
        String instanceId = request.context().callerInstanceId();
        return state.read(s -> {
            NetworkInterface nic = s.networkInterfaces.get(request.pathParameter("id"));
            if (nic == null || !nic.instanceId.equals(instanceId)) {
                throw ApiException.notFound("Network interface", request.pathParameter("id"));
            }
            return Response.ok(addressField(json.networkInterface(s, nic)));
        });
    }

    private Response networkAttachments(Request request) {
        String instanceId = request.context().callerInstanceId();
        return state.read(s -> {
            JsonArray attachments = new JsonArray();
            s.instances
                    .get(instanceId)
                    .networkAttachmentIds
                    .forEach(id -> attachments.add(json.networkAttachment(s, s.networkAttachments.get(id))));
            return Response.ok(Json.object().put("network_attachments", attachments));
        });
    }

    private Response networkAttachment(Request request) {
        String instanceId = request.context().callerInstanceId();
        return state.read(s -> {
            NetworkAttachment attachment = s.networkAttachments.get(request.pathParameter("id"));
            if (attachment == null || !attachment.instanceId.equals(instanceId)) {
                throw ApiException.notFound("Network attachment", request.pathParameter("id"));
            }
            return Response.ok(json.networkAttachment(s, attachment));
        });
    }

    private List<VirtualNetworkInterface> vnisOf(SimulatorState s, String instanceId) {
        return s.instances.get(instanceId).networkAttachmentIds.stream()
                .map(s.networkAttachments::get)
                .map(attachment -> s.virtualNetworkInterfaces.get(attachment.virtualNetworkInterfaceId))
                .toList();
    }

    private Response virtualNetworkInterfaces(Request request) {
        String instanceId = request.context().callerInstanceId();
        String host = request.header("Host") == null ? "169.254.169.254" : request.header("Host");
        return state.read(s -> Response.ok(pagination.page(
                request,
                "http://" + host + request.path(),
                Map.of(),
                "virtual_network_interfaces",
                vnisOf(s, instanceId),
                vni -> withFloatingIps(s, vni))));
    }

    private Response virtualNetworkInterface(Request request) {
        String instanceId = request.context().callerInstanceId();
        return state.read(s -> vnisOf(s, instanceId).stream()
                .filter(vni -> vni.id.equals(request.pathParameter("id")))
                .findFirst()
                .map(vni -> Response.ok(withFloatingIps(s, vni)))
                .orElseThrow(() -> ApiException.notFound("Virtual network interface", request.pathParameter("id"))));
    }

    private JsonElement withFloatingIps(SimulatorState s, VirtualNetworkInterface vni) {
        JsonObject rendered = json.virtualNetworkInterface(s, vni);
        JsonArray fips = new JsonArray();
        VpcJson.floatingIpsOf(s, vni.id).forEach(fip -> fips.add(json.floatingIpReference(fip)));
        rendered.add("floating_ips", fips);
        return rendered;
    }

    /** Applies {@link Behaviour#metadataAddressField} to a rendered network interface. */
    private JsonObject addressField(JsonObject nic) {
        String mode = behaviour.metadataAddressField;
        JsonObject primaryIp = nic.has("primary_ip") && nic.get("primary_ip").isJsonObject()
                ? nic.getAsJsonObject("primary_ip")
                : null;
        if (primaryIp == null || "primary_ip".equals(mode)) {
            return nic;
        }
        nic.addProperty("primary_ipv4_address", primaryIp.get("address").getAsString());
        if ("primary_ipv4_address".equals(mode)) {
            nic.remove("primary_ip");
        }
        return nic;
    }

    @Override
    public JsonElement errorBody(ApiException error, Request request) {
        return VpcService.errorJson(error, request.trace(), true);
    }

    private record IdentityToken(String instanceId, Instant expiresAt) {}
}
