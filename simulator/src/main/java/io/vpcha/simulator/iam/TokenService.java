package io.vpcha.simulator.iam;

import io.vpcha.simulator.state.Principal;
import io.vpcha.simulator.time.SimulatorClock;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues and checks IAM access tokens. Tokens are JWT-shaped (header.claims.signature) like IAM's, but
 * the signature is random: the simulator only accepts tokens it issued itself.
 */
public final class TokenService {
    private final SecureRandom random = new SecureRandom();
    private final Map<String, IssuedToken> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, IssuedToken> refreshTokens = new ConcurrentHashMap<>();
    private final SimulatorClock clock;
    private volatile Duration lifetime;

    public TokenService(Duration lifetime) {
        this(lifetime, SimulatorClock.system());
    }

    /** Tokens whose issue and expiry times follow {@code clock}. */
    public TokenService(Duration lifetime, SimulatorClock clock) {
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** Changes the lifetime of tokens issued from now on (makes expiry testable). */
    public void setLifetime(Duration lifetime) {
        this.lifetime = lifetime;
    }

    public IssuedToken issue(Principal principal, String instanceId) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(lifetime);
        String kind = principal.kind == Principal.Kind.API_KEY ? "apikey" : "trusted_profile";
        String claims = "{\"iam_id\":\"" + (principal.kind == Principal.Kind.API_KEY ? "IBMid-" : "iam-") + principal.id
                + "\",\"sub_type\":\"" + (principal.kind == Principal.Kind.API_KEY ? "ServiceId" : "Profile")
                + "\",\"iat\":" + now.getEpochSecond() + ",\"exp\":" + expiresAt.getEpochSecond()
                + ",\"iss\":\"https://iam.cloud.ibm.com/identity\",\"grant_type\":\"" + kind
                + "\",\"scope\":\"ibm openid\"}";
        String token = base64("{\"kid\":\"20260101\",\"alg\":\"RS256\"}") + "." + base64(claims) + "." + randomPart(32);
        IssuedToken issued =
                new IssuedToken(token, randomPart(24), kind, principal.id, principal.name, instanceId, now, expiresAt);
        accessTokens.put(token, issued);
        refreshTokens.put(issued.refreshToken(), issued);
        return issued;
    }

    public Optional<IssuedToken> byRefreshToken(String refreshToken) {
        return Optional.ofNullable(refreshTokens.get(refreshToken));
    }

    /** Looks a bearer token up; {@code null} input is invalid. */
    public Validation validate(String token) {
        if (token == null) {
            return new Validation(Validation.Status.MISSING, null);
        }
        IssuedToken issued = accessTokens.get(token);
        if (issued == null) {
            return new Validation(Validation.Status.INVALID, null);
        }
        if (!clock.instant().isBefore(issued.expiresAt())) {
            return new Validation(Validation.Status.EXPIRED, issued);
        }
        return new Validation(Validation.Status.VALID, issued);
    }

    public void clear() {
        accessTokens.clear();
        refreshTokens.clear();
    }

    private String randomPart(int bytes) {
        byte[] data = new byte[bytes];
        random.nextBytes(data);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(data);
    }

    private static String base64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A token the service issued.
     *
     * @param kind apikey or trusted_profile
     * @param instanceId the instance that obtained it through the metadata service, or null
     */
    public record IssuedToken(
            String token,
            String refreshToken,
            String kind,
            String principalId,
            String principalName,
            String instanceId,
            Instant issuedAt,
            Instant expiresAt) {
        /** The lifetime in whole seconds, as reported in {@code expires_in}. */
        public long expiresInSeconds() {
            return Math.round((expiresAt.toEpochMilli() - issuedAt.toEpochMilli()) / 1000.0);
        }

        /** The credential kind recorded in the journal. */
        public String credentialKind() {
            return "iam_token_" + kind;
        }
    }

    public record Validation(Status status, IssuedToken token) {
        public enum Status {
            VALID,
            MISSING,
            INVALID,
            EXPIRED
        }
    }
}
