package io.vpcha.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.vpcha.simulator.time.ManualClock;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestIam {
    private static VpcSimulator simulator;
    private SimClient client;

    private static final ManualClock clock = new ManualClock();

    @BeforeAll
    static void start() {
        simulator = TestScenarios.start(clock);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @BeforeEach
    void reset() {
        simulator.reset();
        client = new SimClient(simulator);
    }

    @Test
    void apiKeyGrantReturnsABearerTokenWithExpiration() {
        SimClient.Reply reply = client.iamToken(TestScenarios.ADMIN_KEY);

        assertThat(reply.status()).isEqualTo(200);
        JsonObject body = reply.json();
        assertThat(body.get("access_token").getAsString()).matches("[^.]+\\.[^.]+\\.[^.]+");
        assertThat(body.get("refresh_token").getAsString()).isNotBlank();
        assertThat(body.get("token_type").getAsString()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").getAsLong()).isEqualTo(3600);
        assertThat(body.get("expiration").getAsLong()).isEqualTo(clock.instant().getEpochSecond() + 3600);
        assertThat(body.get("scope").getAsString()).isNotBlank();
    }

    @Test
    void unknownKeyGetsIamErrorFormat() {
        SimClient.Reply reply = client.iamToken("no-such-key");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("errorCode").getAsString()).isEqualTo("BXNIM0415E");
        assertThat(reply.json().get("errorMessage").getAsString()).isEqualTo("Provided API key could not be found.");
        assertThat(reply.json().getAsJsonObject("context").get("requestId").getAsString())
                .isNotBlank();
    }

    @Test
    void missingGrantTypeAndWrongContentTypeAreRejected() {
        SimClient.Reply noGrant = client.send(HttpRequest.newBuilder(URI.create(simulator.iamUrl() + "/identity/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("apikey=" + TestScenarios.ADMIN_KEY)));
        SimClient.Reply json = client.send(HttpRequest.newBuilder(URI.create(simulator.iamUrl() + "/identity/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(noGrant.status()).isEqualTo(400);
        assertThat(noGrant.json().get("errorCode").getAsString()).startsWith("BXNIM");
        assertThat(json.status()).isEqualTo(400);
    }

    @Test
    void refreshTokenGrantIssuesANewToken() {
        JsonObject first = client.iamToken(TestScenarios.ADMIN_KEY).json();
        SimClient.Reply refreshed =
                client.send(HttpRequest.newBuilder(URI.create(simulator.iamUrl() + "/identity/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token="
                                + first.get("refresh_token").getAsString())));

        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(refreshed.json().get("access_token").getAsString())
                .isNotEqualTo(first.get("access_token").getAsString());
    }

    @Test
    void tokensExpireAfterTheConfiguredLifetime() {
        simulator.tokens().setLifetime(Duration.ofSeconds(60));
        client.login(TestScenarios.ADMIN_KEY);
        clock.advance(Duration.ofSeconds(59));
        SimClient.Reply stillValid = client.get("/vpcs");

        clock.advance(Duration.ofSeconds(1));
        SimClient.Reply expired = client.get("/vpcs");

        assertThat(stillValid.status()).isEqualTo(200);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.errorCode()).isEqualTo("not_authorized");
        assertThat(expired.json()
                        .getAsJsonArray("errors")
                        .get(0)
                        .getAsJsonObject()
                        .get("message")
                        .getAsString())
                .contains("expired");
        assertThat(simulator.journal().entries())
                .last()
                .extracting(e -> e.credentialKind())
                .isEqualTo("expired_token");
    }

    @Test
    void missingOrForeignTokensGet401() {
        assertThat(client.get("/vpcs").status()).isEqualTo(401);
        assertThat(client.withToken("forged.token.value").get("/vpcs").status()).isEqualTo(401);
    }

    @Test
    void withheldPermissionGives403ButOtherCallsWork() {
        client.login(TestScenarios.READONLY_KEY);
        String routes = client.routesPath("egress");

        SimClient.Reply read = client.get(routes);
        SimClient.Reply write = client.post(
                routes,
                "{\"destination\":\"10.98.0.0/24\",\"zone\":{\"name\":\"us-south-1\"},\"next_hop\":{\"address\":\"10.10.1.10\"}}");

        assertThat(read.status()).isEqualTo(200);
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.errorCode()).isEqualTo("not_authorized");
    }

    @Test
    void journalRecordsCredentialKindNeverTheSecret() {
        client.login(TestScenarios.ADMIN_KEY);
        client.get("/vpcs");

        String dump = simulator.journal().entries().toString()
                + client.admin("GET", "/sim/journal", null).raw().body()
                + client.admin("GET", "/sim/state", null).raw().body();

        assertThat(simulator.journal().entries())
                .extracting(e -> e.credentialKind())
                .containsExactly("apikey", "iam_token_apikey");
        assertThat(dump).doesNotContain(TestScenarios.ADMIN_KEY).doesNotContain(client.token());
    }
}
