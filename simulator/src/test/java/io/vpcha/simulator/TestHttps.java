package io.vpcha.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestHttps {
    @TempDir
    Path directory;

    static SSLContext trusting(Path caFile) throws Exception {
        X509Certificate ca;
        try (InputStream in = Files.newInputStream(caFile)) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("simulator-ca", ca);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    @Test
    void clientTrustingTheWrittenCaConnectsAndOthersDoNot() throws Exception {
        Path caFile = directory.resolve("ca.pem");
        try (VpcSimulator simulator = VpcSimulator.start(SimulatorOptions.builder()
                .scenario(TestScenarios.cluster())
                .https(true)
                .caCertificateFile(caFile)
                .build())) {
            assertThat(simulator.caCertificate()).isEqualTo(caFile);
            assertThat(Files.readString(caFile)).startsWith("-----BEGIN CERTIFICATE-----");
            assertThat(simulator.vpcUrl().getScheme()).isEqualTo("https");
            HttpRequest request = HttpRequest.newBuilder(URI.create(simulator.iamUrl() + "/identity/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey=" + TestScenarios.ADMIN_KEY))
                    .build();

            HttpClient trustingClient =
                    HttpClient.newBuilder().sslContext(trusting(caFile)).build();
            HttpResponse<String> trusted = trustingClient.send(request, HttpResponse.BodyHandlers.ofString());
            SimClient vpc = new SimClient(simulator, trustingClient).login(TestScenarios.ADMIN_KEY);

            assertThat(trusted.statusCode()).isEqualTo(200);
            assertThat(vpc.get("/vpcs").status()).isEqualTo(200);
            assertThat(vpc.get("/vpcs")
                            .json()
                            .getAsJsonArray("vpcs")
                            .get(0)
                            .getAsJsonObject()
                            .get("href")
                            .getAsString())
                    .startsWith("https://");
            HttpClient defaultClient = HttpClient.newHttpClient();
            assertThatThrownBy(() -> defaultClient.send(request, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }
}
