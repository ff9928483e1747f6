package io.vpcha.host.cloud.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.scenario.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The system trust store at the cost of a one-CA file: a system store made of this JDK's CAs plus the
 * simulators' CAs (as an administrator would add a private CA), loaded whole only when the CAs
 * remembered from earlier actions do not verify the server, and never trusted beyond what it holds
 * now.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TestSystemTrust {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final char[] PASSWORD = "changeit".toCharArray();

    private static VpcSimulator first;
    private static VpcSimulator second;
    private static Path certificates;

    @TempDir
    Path work;

    private Path store;
    private Path cache;
    private final AtomicInteger storeLoads = new AtomicInteger();

    @BeforeAll
    static void startClouds() throws IOException {
        certificates = Files.createTempDirectory("system-trust");
        first = simulator(certificates.resolve("first-ca.pem"));
        second = simulator(certificates.resolve("second-ca.pem"));
    }

    @AfterAll
    static void stopClouds() throws IOException {
        first.close();
        second.close();
        for (String name : List.of("first-ca.pem", "second-ca.pem")) {
            Files.deleteIfExists(certificates.resolve(name));
        }
        Files.delete(certificates);
    }

    @BeforeEach
    void systemStore() throws Exception {
        store = work.resolve("cacerts");
        writeStore(store, ca(first), ca(second));
        cache = work.resolve("tokens");
    }

    @Test
    void theWholeStoreIsLoadedOnceThenTheCaThatVerifiedTheServerIsEnough() throws Exception {
        assertThat(action(first)).isEqualTo(401);
        assertThat(storeLoads).hasValue(1);
        Path file = cache.resolve(SystemTrust.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(certificatesIn(file)).containsExactly(ca(first));

        assertThat(action(first)).isEqualTo(401);
        assertThat(action(first)).isEqualTo(401);
        assertThat(storeLoads).as("later actions verify with the remembered CA").hasValue(1);
    }

    @Test
    void anEndpointWithAnotherCaOfTheStoreLoadsItOnceAndBothAreRemembered() throws Exception {
        assertThat(action(first)).isEqualTo(401);
        assertThat(action(second)).isEqualTo(401);
        assertThat(storeLoads).hasValue(2);
        assertThat(certificatesIn(cache.resolve(SystemTrust.FILE_NAME))).containsExactly(ca(first), ca(second));

        assertThat(action(first)).isEqualTo(401);
        assertThat(action(second)).isEqualTo(401);
        assertThat(storeLoads).hasValue(2);
    }

    @Test
    void aCaRemovedFromTheSystemStoreIsNoLongerTrustedThoughRemembered() throws Exception {
        assertThat(action(first)).isEqualTo(401);
        writeStore(store, ca(second)); // update-ca-certificates dropped the first CA

        assertThatThrownBy(() -> action(first)).isInstanceOf(SSLHandshakeException.class);
        assertThat(storeLoads).as("the changed store was read again").hasValue(2);
        assertThat(action(second)).isEqualTo(401);
    }

    @Test
    void aServerTheStoreDoesNotTrustIsRefusedAndNothingIsRemembered() throws Exception {
        writeStore(store, ca(second));

        assertThatThrownBy(() -> action(first)).isInstanceOf(SSLHandshakeException.class);
        assertThat(cache.resolve(SystemTrust.FILE_NAME)).doesNotExist();
    }

    @Test
    void aFileOthersCouldChangeIsNotTrusted() throws Exception {
        assertThat(action(first)).isEqualTo(401);
        Path file = cache.resolve(SystemTrust.FILE_NAME);

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(action(first)).isEqualTo(401);
        assertThat(storeLoads).as("a file others may write").hasValue(2);

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(action(first)).isEqualTo(401);
        assertThat(storeLoads).as("in a directory others may write").hasValue(3);

        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwx------"));
        Path elsewhere = Files.move(file, work.resolve("elsewhere.pem"));
        Files.createSymbolicLink(file, elsewhere);
        assertThat(action(first)).isEqualTo(401);
        assertThat(storeLoads).as("a link").hasValue(4);
        assertThat(Files.isSymbolicLink(file))
                .as("replaced, not written through")
                .isFalse();
    }

    @Test
    void theDirectoryIsJudgedAsTheTokenCacheIs() throws Exception {
        Path real = Files.createDirectory(
                work.resolve("real"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        cache = Files.createSymbolicLink(work.resolve("linked"), real);
        assertThat(action(first)).isEqualTo(401);
        assertThat(action(first)).isEqualTo(401);
        assertThat(storeLoads)
                .as("reached through a link: judged by where it leads")
                .hasValue(1);
        assertThat(real.resolve(SystemTrust.FILE_NAME)).isRegularFile();

        // another user could put a directory of their own in its place
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
        try {
            assertThat(action(first)).isEqualTo(401);
            assertThat(action(first)).isEqualTo(401);
            assertThat(storeLoads).as("below a directory others may write").hasValue(3);
        } finally {
            Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aFileOfAnotherStoreIsIgnored() throws Exception {
        assertThat(action(first)).isEqualTo(401);
        Path file = cache.resolve(SystemTrust.FILE_NAME);
        String content = Files.readString(file);
        String line = content.substring(0, content.indexOf('\n'));

        Files.writeString(file, content.replace(line, line.replace("size=", "size=1")));
        assertThat(action(first)).isEqualTo(401);
        assertThat(storeLoads).hasValue(2);
    }

    /** One action's TLS request to {@code cloud}: the status of an unauthenticated GET. */
    private int action(VpcSimulator cloud) throws IOException {
        SystemTrust trust = new SystemTrust(SystemTrust.storeIdentity(store, ""), this::loadStore, Optional.of(cache));
        try (SocketTransport transport = new SocketTransport(Optional.empty(), trust)) {
            URI uri = URI.create(cloud.vpcUrl() + "/floating_ips?version=2026-03-24&generation=2");
            return transport
                    .execute(new HttpCall("GET", uri, Map.of("Accept", "application/json"), Optional.empty()), TIMEOUT)
                    .status();
        }
    }

    /** What the JVM does with {@code -Djavax.net.ssl.trustStore=store}, counted. */
    private X509TrustManager loadStore() throws IOException, GeneralSecurityException {
        storeLoads.incrementAndGet();
        KeyStore keyStore = KeyStore.getInstance("JKS");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, null);
        }
        return SystemTrust.x509(keyStore);
    }

    /** This JDK's CAs and {@code extra}, as a JKS file like Debian's /etc/ssl/certs/java/cacerts. */
    private static void writeStore(Path file, X509Certificate... extra) throws Exception {
        KeyStore jdk = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in =
                Files.newInputStream(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"))) {
            jdk.load(in, null);
        }
        KeyStore system = KeyStore.getInstance("JKS");
        system.load(null, null);
        for (String alias : Collections.list(jdk.aliases())) {
            system.setCertificateEntry(alias, jdk.getCertificate(alias));
        }
        for (int i = 0; i < extra.length; i++) {
            system.setCertificateEntry("simulator-" + i, extra[i]);
        }
        Path next = file.resolveSibling(file.getFileName() + ".new");
        try (OutputStream out = Files.newOutputStream(next)) {
            system.store(out, PASSWORD);
        }
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<X509Certificate> certificatesIn(Path file) throws Exception {
        Collection<? extends Certificate> read;
        try (InputStream in = Files.newInputStream(file)) {
            read = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        List<X509Certificate> result = new ArrayList<>();
        read.forEach(certificate -> result.add((X509Certificate) certificate));
        return result;
    }

    private static X509Certificate ca(VpcSimulator simulator) throws Exception {
        return certificatesIn(simulator.caCertificate()).get(0);
    }

    private static VpcSimulator simulator(Path ca) {
        return VpcSimulator.builder()
                .scenario(Scenario.threeZone())
                .https(true)
                .caCertificateFile(ca)
                .start();
    }
}
