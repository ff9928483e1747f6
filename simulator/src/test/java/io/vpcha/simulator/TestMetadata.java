package io.vpcha.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestMetadata {
    private static final String OLD = "?version=2022-03-01";
    private static final String NEW = "?version=2025-08-26";
    private static VpcSimulator simulator;
    private SimClient client;

    @BeforeAll
    static void start() {
        simulator = TestScenarios.start();
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

    private SimClient.Reply identityToken(URI base, String path, String body) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).header("Metadata-Flavor", "ibm");
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return client.send(request.PUT(
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    private String identity(String instance) {
        SimClient.Reply reply =
                identityToken(simulator.metadataUrlFor(instance), "/instance_identity/v1/token" + OLD, null);
        assertThat(reply.status()).isEqualTo(200);
        return reply.json().get("access_token").getAsString();
    }

    private SimClient.Reply post(URI base, String path, String identity, String body) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + identity);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return client.send(request.POST(
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    private SimClient.Reply get(URI base, String path, String identity) {
        return client.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + identity)
                .GET());
    }

    @Test
    void identityTokenOnBothPathVersions() {
        URI a1 = simulator.metadataUrlFor("a1");
        SimClient.Reply old = identityToken(a1, "/instance_identity/v1/token" + OLD, "{\"expires_in\":60}");
        SimClient.Reply current = identityToken(a1, "/identity/v1/token" + NEW, null);
        SimClient.Reply oldPathNewVersion = identityToken(a1, "/instance_identity/v1/token" + NEW, null);
        SimClient.Reply newPathOldVersion = identityToken(a1, "/identity/v1/token" + OLD, null);

        assertThat(old.status()).isEqualTo(200);
        assertThat(old.json().keySet()).contains("access_token", "created_at", "expires_at", "expires_in");
        assertThat(old.json().get("expires_in").getAsInt()).isEqualTo(60);
        assertThat(current.status()).isEqualTo(200);
        assertThat(current.json().get("expires_in").getAsInt()).isEqualTo(300);
        assertThat(oldPathNewVersion.status()).isEqualTo(404);
        assertThat(newPathOldVersion.status()).isEqualTo(404);
    }

    @Test
    void identityTokenNeedsFlavorHeaderValidLifetimeAndVersion() {
        URI a1 = simulator.metadataUrlFor("a1");
        SimClient.Reply noFlavor =
                client.send(HttpRequest.newBuilder(URI.create(a1 + "/instance_identity/v1/token" + OLD))
                        .PUT(HttpRequest.BodyPublishers.noBody()));
        SimClient.Reply tooLong = identityToken(a1, "/instance_identity/v1/token" + OLD, "{\"expires_in\":3601}");
        SimClient.Reply noVersion = identityToken(a1, "/instance_identity/v1/token", null);
        SimClient.Reply tooOld = identityToken(a1, "/instance_identity/v1/token?version=2021-09-20", null);

        assertThat(noFlavor.status()).isEqualTo(400);
        assertThat(noFlavor.errorCode()).isEqualTo("missing_value");
        assertThat(noFlavor.json().get("status_code").getAsInt()).isEqualTo(400);
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(noVersion.status()).isEqualTo(400);
        assertThat(tooOld.status()).isEqualTo(400);
    }

    @Test
    void iamTokenForDefaultProfileByIdAndByCrnOnBothVersions() {
        URI a1 = simulator.metadataUrlFor("a1");
        String identity = identity("a1");
        JsonObject p1 = profile("p1");

        SimClient.Reply byDefault = post(a1, "/instance_identity/v1/iam_token" + OLD, identity, null);
        SimClient.Reply byId = post(
                a1,
                "/instance_identity/v1/iam_token" + OLD,
                identity,
                "{\"trusted_profile\":{\"id\":\"" + p1.get("id").getAsString() + "\"}}");
        String newIdentity = identityToken(a1, "/identity/v1/token" + NEW, null)
                .json()
                .get("access_token")
                .getAsString();
        SimClient.Reply byCrn = post(
                a1,
                "/identity/v1/iam_tokens" + NEW,
                newIdentity,
                "{\"trusted_profile\":{\"crn\":\"crn:v1:bluemix:public:iam-identity::a/"
                        + "a1b2c3d4e5f60718293a4b5c6d7e8f90::profile:"
                        + p1.get("id").getAsString() + "\"}}");

        assertThat(byDefault.status()).isEqualTo(200);
        assertThat(byDefault.json().keySet()).contains("access_token", "created_at", "expires_at", "expires_in");
        assertThat(byDefault.json().get("expires_in").getAsInt()).isEqualTo(3600);
        assertThat(byId.status()).isEqualTo(200);
        assertThat(byCrn.status()).isEqualTo(200);

        SimClient vpc = new SimClient(simulator)
                .withToken(byDefault.json().get("access_token").getAsString());
        assertThat(vpc.get("/vpcs").status()).isEqualTo(200);
        assertThat(simulator.journal().entries()).last().satisfies(entry -> {
            assertThat(entry.credentialKind()).isEqualTo("iam_token_trusted_profile");
            assertThat(entry.callerInstanceName()).isEqualTo("a1");
        });
    }

    private JsonObject profile(String name) {
        String state = client.admin("GET", "/sim/state", null).raw().body();
        for (var principal : JsonParser.parseString(state).getAsJsonObject().getAsJsonArray("principals")) {
            if (principal.getAsJsonObject().get("name").getAsString().equals(name)) {
                return principal.getAsJsonObject();
            }
        }
        throw new AssertionError("no profile " + name);
    }

    @Test
    void profileNotLinkedAndNoDefaultProfile() {
        String unlinked = profile("p-unlinked").get("id").getAsString();
        SimClient.Reply notLinked = post(
                simulator.metadataUrlFor("a1"),
                "/instance_identity/v1/iam_token" + OLD,
                identity("a1"),
                "{\"trusted_profile\":{\"id\":\"" + unlinked + "\"}}");
        SimClient.Reply noDefault =
                post(simulator.metadataUrlFor("a2"), "/instance_identity/v1/iam_token" + OLD, identity("a2"), null);

        assertThat(notLinked.status()).isEqualTo(400);
        assertThat(notLinked.errorCode()).isEqualTo("profile_not_linked");
        assertThat(noDefault.status()).isEqualTo(400);
        assertThat(noDefault.errorCode()).isEqualTo("profile_not_linked");
    }

    @Test
    void readsNeedTheCallersOwnIdentityToken() {
        URI a1 = simulator.metadataUrlFor("a1");
        SimClient.Reply none = client.send(HttpRequest.newBuilder(URI.create(a1 + "/metadata/v1/instance" + OLD))
                .GET());
        SimClient.Reply foreign = get(a1, "/metadata/v1/instance" + OLD, identity("a2"));
        SimClient.Reply own = get(a1, "/metadata/v1/instance" + OLD, identity("a1"));

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.errorCode()).isEqualTo("unauthenticated");
        assertThat(foreign.status()).isEqualTo(401);
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().get("name").getAsString()).isEqualTo("a1");
        assertThat(own.json().keySet())
                .contains("id", "crn", "name", "zone", "vpc", "primary_network_interface", "network_interfaces");
    }

    @Test
    void networkInterfacesCarryFloatingIps() {
        JsonObject nics = get(
                        simulator.metadataUrlFor("a1"),
                        "/metadata/v1/instance/network_interfaces" + OLD,
                        identity("a1"))
                .json();

        JsonObject nic = nics.getAsJsonArray("network_interfaces").get(0).getAsJsonObject();
        assertThat(nic.getAsJsonObject("primary_ip").get("address").getAsString())
                .isEqualTo("10.10.1.10");
        assertThat(nic.getAsJsonArray("floating_ips").get(0).getAsJsonObject().keySet())
                .contains("id", "address");
    }

    @Test
    void legacyAddressFieldCanBeServedForClientFallbacks() {
        simulator.behaviour().metadataAddressField = "primary_ipv4_address";
        JsonObject legacy = get(
                        simulator.metadataUrlFor("a1"),
                        "/metadata/v1/instance/network_interfaces" + OLD,
                        identity("a1"))
                .json()
                .getAsJsonArray("network_interfaces")
                .get(0)
                .getAsJsonObject();
        simulator.behaviour().metadataAddressField = "both";
        JsonObject both = get(simulator.metadataUrlFor("a1"), "/metadata/v1/instance" + OLD, identity("a1"))
                .json()
                .getAsJsonObject("primary_network_interface");

        assertThat(legacy.has("primary_ip")).isFalse();
        assertThat(legacy.get("primary_ipv4_address").getAsString()).isEqualTo("10.10.1.10");
        assertThat(both.get("primary_ipv4_address").getAsString()).isEqualTo("10.10.1.10");
        assertThat(both.getAsJsonObject("primary_ip").get("address").getAsString())
                .isEqualTo("10.10.1.10");
    }

    @Test
    void networkAttachmentsAndVnisForAttachmentInstances() {
        URI b1 = simulator.metadataUrlFor("b1");
        String identity = identity("b1");

        JsonObject instance = get(b1, "/metadata/v1/instance" + OLD, identity).json();
        JsonObject attachments = get(b1, "/metadata/v1/instance/network_attachments" + OLD, identity)
                .json();
        JsonObject vnis = get(b1, "/metadata/v1/virtual_network_interfaces" + OLD, identity)
                .json();

        assertThat(instance.has("primary_network_attachment")).isTrue();
        assertThat(attachments.getAsJsonArray("network_attachments")).hasSize(1);
        JsonObject vni =
                vnis.getAsJsonArray("virtual_network_interfaces").get(0).getAsJsonObject();
        assertThat(vni.getAsJsonArray("ips")).hasSize(2);
        assertThat(vni.getAsJsonArray("floating_ips")).hasSize(1);
        String id = vni.get("id").getAsString();
        assertThat(get(b1, "/metadata/v1/virtual_network_interfaces/" + id + OLD, identity)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void disabledMetadataServiceAnswers403() {
        SimClient.Reply reply =
                identityToken(simulator.metadataUrlFor("off"), "/instance_identity/v1/token" + OLD, null);

        assertThat(reply.status()).isEqualTo(403);
    }

    @Test
    void sharedListenerIdentifiesTheCallerBySourceAddress() throws IOException {
        // lo1 owns 127.0.0.1 and lo2 owns 127.0.0.2 in the test scenario; Linux routes all of 127/8 to loopback.
        String fromLo1 = rawPut(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        String fromLo2 = rawPut(InetAddress.getByAddress(new byte[] {127, 0, 0, 2}));
        String token1 = JsonParser.parseString(fromLo1)
                .getAsJsonObject()
                .get("access_token")
                .getAsString();

        SimClient.Reply instance = get(simulator.metadataUrl(), "/metadata/v1/instance" + OLD, token1);

        assertThat(instance.json().get("name").getAsString()).isEqualTo("lo1");
        assertThat(fromLo2).contains("access_token");
        assertThat(simulator.journal().find(e -> e.service().equals("metadata")))
                .extracting(e -> e.callerInstanceName())
                .containsExactly("lo1", "lo2", "lo1");
    }

    @Test
    void sharedListenerRejectsUnknownSourceAddresses() throws IOException {
        String reply = rawPutStatusLine(InetAddress.getByName("127.0.0.9"));

        assertThat(reply).contains(" 403 ");
    }

    private String rawPut(InetAddress source) throws IOException {
        String response = rawExchange(source);
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    private String rawPutStatusLine(InetAddress source) throws IOException {
        String response = rawExchange(source);
        return response.substring(0, response.indexOf("\r\n"));
    }

    /** One HTTP/1.1 request from a chosen local address (HttpClient cannot bind one). */
    private String rawExchange(InetAddress source) throws IOException {
        URI url = simulator.metadataUrl();
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /instance_identity/v1/token" + OLD + " HTTP/1.1\r\nHost: " + url.getHost()
                            + "\r\nMetadata-Flavor: ibm\r\n" + "Content-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            return buffer.toString(StandardCharsets.UTF_8);
        }
    }
}
