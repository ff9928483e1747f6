package io.vpcha.host.cloud.http;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.files.SafeFiles;
import io.vpcha.host.files.SmallFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The system trust store at the cost of a one-CA file: the CAs of the system store that verified the
 * cloud's endpoints before are kept in a root-only file beside the token cache, together with the
 * identity of the store they came from (its path, size, modification time and inode). An action
 * verifies the server with those few CAs first; the whole store (≈ 145 CAs, 130-150 ms of a cold
 * JVM) is loaded only when they do not verify it (first action after boot, an endpoint that changed
 * its CA) and then the CA that did is remembered.
 *
 * <p>This trusts exactly what the system store trusts: the file only ever holds certificates that
 * are anchors of the system store, and it is used only while the store is the one it was made from,
 * so an update of the system's CAs (a CA added or removed, {@code update-ca-certificates}) takes
 * effect with the next action. The file lives by the token cache's rules (a directory that it or
 * any directory above lets others write is refused, as is a file owned by another user, a file others
 * could write or a link: ignored, never trusted, never written through).
 */
public final class SystemTrust implements X509TrustManager {
    static final String FILE_NAME = "system-trust-anchors.pem";
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final int MAX_FILE_SIZE = 64 * 1024;
    private static final String STORE_LINE = "# store ";
    /** More than the endpoints of one cloud use; a longer list is cut to the CAs learnt last. */
    private static final int MAX_ANCHORS = 8;

    /** The whole system store's trust manager, loaded at most once per action. */
    interface StoreLoader {
        X509TrustManager load() throws GeneralSecurityException, IOException;
    }

    private final Optional<String> storeIdentity;
    private final StoreLoader loader;
    private final Optional<Path> cacheFile;
    private boolean cacheRead;
    private List<X509Certificate> anchors = List.of();
    private X509TrustManager anchorTrust;
    private X509TrustManager storeTrust;

    SystemTrust(Optional<String> storeIdentity, StoreLoader loader, Optional<Path> cacheDirectory) {
        this.storeIdentity = requireNonNull(storeIdentity, "storeIdentity is null");
        this.loader = requireNonNull(loader, "loader is null");
        this.cacheFile =
                requireNonNull(cacheDirectory, "cacheDirectory is null").map(d -> d.resolve(FILE_NAME));
    }

    /** The JVM's default trust store, with the CAs it used remembered in {@code cacheDirectory}. */
    public static SystemTrust cachedIn(Path cacheDirectory) {
        return new SystemTrust(jvmStoreIdentity(), SystemTrust::jvmStore, Optional.of(cacheDirectory));
    }

    /** The JVM's default trust store, loaded whole when a server must be verified. */
    public static SystemTrust uncached() {
        return new SystemTrust(Optional.empty(), SystemTrust::jvmStore, Optional.empty());
    }

    @Override
    public synchronized void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        X509TrustManager known = anchorTrust();
        if (known != null) {
            try {
                known.checkServerTrusted(chain, authType);
                return;
            } catch (CertificateException notByTheKnownCas) {
                // another CA of the store, or none: the whole store decides
            }
        }
        store().checkServerTrusted(chain, authType);
        remember(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("client certificates are not accepted");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        // only consulted by servers asking for a client certificate; loading the store for it is useless
        return new X509Certificate[0];
    }

    /** A trust manager of the remembered CAs, or null when there are none for the current store. */
    private X509TrustManager anchorTrust() {
        if (!cacheRead) {
            cacheRead = true;
            anchors = readCache();
            if (!anchors.isEmpty()) {
                try {
                    anchorTrust = trustManagerOf(anchors);
                } catch (GeneralSecurityException | IOException e) {
                    anchorTrust = null;
                }
            }
        }
        return anchorTrust;
    }

    private X509TrustManager store() throws CertificateException {
        if (storeTrust == null) {
            try {
                storeTrust = loader.load();
            } catch (GeneralSecurityException | IOException e) {
                throw new CertificateException("cannot load the system trust store: " + e.getMessage(), e);
            }
        }
        return storeTrust;
    }

    /** Adds the store's CAs that issued a certificate of the verified chain to the file. */
    private void remember(X509Certificate[] chain) {
        if (cacheFile.isEmpty() || storeIdentity.isEmpty()) {
            return;
        }
        List<X509Certificate> learnt = new ArrayList<>(anchors);
        for (X509Certificate anchor : storeTrust.getAcceptedIssuers()) {
            if (!learnt.contains(anchor) && issuedAny(anchor, chain)) {
                learnt.add(anchor);
            }
        }
        if (learnt.size() == anchors.size()) {
            return;
        }
        if (learnt.size() > MAX_ANCHORS) {
            learnt = learnt.subList(learnt.size() - MAX_ANCHORS, learnt.size());
        }
        try {
            Path file = cacheFile.get();
            // token_cache_dir's rules: made 0700 if missing, never chmod'ed, refused unless it and every
            // directory above are root's or this process's and writable by no one else
            SafeFiles.trustedDirectory(file.getParent());
            SafeFiles.writeAtomically(file, encode(storeIdentity.get(), learnt), FILE_MODE);
            anchors = List.copyOf(learnt);
        } catch (IOException | CertificateEncodingException | RuntimeException e) {
            // the next action loads the whole store again; nothing else depends on the file
        }
    }

    private static boolean issuedAny(X509Certificate anchor, X509Certificate[] chain) {
        for (X509Certificate certificate : chain) {
            if (anchor.equals(certificate)) {
                return true;
            }
            if (anchor.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
                try {
                    certificate.verify(anchor.getPublicKey());
                    return true;
                } catch (GeneralSecurityException notThisOne) {
                    // same name, another key (a renewed CA): not the issuer
                }
            }
        }
        return false;
    }

    /** The remembered CAs, if the file is safe and was made from the current store; else none. */
    private List<X509Certificate> readCache() {
        if (cacheFile.isEmpty() || storeIdentity.isEmpty()) {
            return List.of();
        }
        Path file = cacheFile.get();
        try {
            if (SafeFiles.trustedDirectoryProblem(file.getParent()).isPresent()
                    || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    || SafeFiles.ownerOrModeProblem(file).isPresent()) {
                return List.of();
            }
            byte[] content = SmallFile.read(file, MAX_FILE_SIZE); // opened without following a link
            byte[] expected = (STORE_LINE + storeIdentity.get() + "\n").getBytes(StandardCharsets.UTF_8);
            if (content.length < expected.length
                    || !Arrays.equals(content, 0, expected.length, expected, 0, expected.length)) {
                return List.of(); // made from another store, or damaged
            }
            List<X509Certificate> certificates = new ArrayList<>();
            try (InputStream in =
                    new ByteArrayInputStream(content, expected.length, content.length - expected.length)) {
                for (Certificate certificate :
                        CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    certificates.add((X509Certificate) certificate);
                }
            }
            return List.copyOf(certificates);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return List.of();
        }
    }

    private static byte[] encode(String storeIdentity, List<X509Certificate> anchors)
            throws CertificateEncodingException {
        StringBuilder text = new StringBuilder();
        text.append(STORE_LINE).append(storeIdentity).append('\n');
        text.append("# CAs of that store that verified the cloud's endpoints; written by vpc-ha, safe to delete\n");
        Base64.Encoder base64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
        for (X509Certificate anchor : anchors) {
            text.append("# ").append(anchor.getSubjectX500Principal().getName()).append('\n');
            text.append("-----BEGIN CERTIFICATE-----\n");
            text.append(base64.encodeToString(anchor.getEncoded())).append('\n');
            text.append("-----END CERTIFICATE-----\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    static X509TrustManager trustManagerOf(Collection<? extends Certificate> certificates)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int index = 0;
        for (Certificate certificate : certificates) {
            store.setCertificateEntry("ca-" + index++, certificate);
        }
        return x509(store);
    }

    /** The trust manager of {@code store}; null: the JVM's default trust store. */
    static X509TrustManager x509(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    private static X509TrustManager jvmStore() throws GeneralSecurityException {
        return x509(null);
    }

    /**
     * Which file the JVM's default trust store is read from, as the JDK chooses it
     * ({@code javax.net.ssl.trustStore}, else {@code lib/security/jssecacerts}, else
     * {@code lib/security/cacerts}), and what it is now: the file behind any link, its size, its
     * modification time and its inode. Empty when there is no such file (no cache then).
     */
    static Optional<String> jvmStoreIdentity() {
        String configured = System.getProperty("javax.net.ssl.trustStore");
        Path file;
        if (configured != null) {
            if (configured.isEmpty() || configured.equals("NONE")) {
                return Optional.empty();
            }
            file = Path.of(configured);
        } else {
            Path security = Path.of(System.getProperty("java.home"), "lib", "security");
            file = security.resolve("jssecacerts");
            if (!Files.exists(file)) {
                file = security.resolve("cacerts");
            }
        }
        return storeIdentity(file, System.getProperty("javax.net.ssl.trustStoreType", ""));
    }

    static Optional<String> storeIdentity(Path file, String type) {
        try {
            Path real = file.toRealPath();
            BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
            StringBuilder identity = new StringBuilder();
            identity.append(real)
                    .append(" type=")
                    .append(type)
                    .append(" size=")
                    .append(attributes.size())
                    .append(" modified=")
                    .append(attributes.lastModifiedTime().toInstant())
                    .append(" key=")
                    .append(attributes.fileKey());
            String text = identity.toString();
            return text.indexOf('\n') >= 0 ? Optional.empty() : Optional.of(text);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
