package io.vpcha.host.cloud.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Whom HTTPS trusts: the system trust store, plus the certificates of an optional CA file. There is
 * deliberately no way to turn verification off.
 *
 * <p>With a CA file, its certificates are tried first and the system store only when they do not
 * verify the server, because loading the system store's ~145 CAs costs a cold JVM 130-150 ms.
 */
public final class TlsTrust {
    private TlsTrust() {}

    /** The SSL context for a CA file; empty means the JVM's default (the system trust store). */
    public static Optional<SSLContext> sslContext(Optional<Path> caFile) throws GeneralSecurityException, IOException {
        if (caFile.isEmpty()) {
            return Optional.empty();
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(caFile.get())) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certificates.isEmpty()) {
            throw new CertificateException("no certificate in " + caFile.get());
        }
        int index = 0;
        for (Certificate certificate : certificates) {
            store.setCertificateEntry("ca-" + index++, certificate);
        }
        X509TrustManager fileTrust = x509(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new FileThenSystemTrust(fileTrust)}, null);
        return Optional.of(context);
    }

    private static X509TrustManager x509(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /** Trusts what the CA file's certificates verify, else what the system trust store verifies. */
    private static final class FileThenSystemTrust implements X509TrustManager {
        private final X509TrustManager fileTrust;
        private X509TrustManager systemTrust;

        FileThenSystemTrust(X509TrustManager fileTrust) {
            this.fileTrust = fileTrust;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                fileTrust.checkServerTrusted(chain, authType);
            } catch (CertificateException notFromFile) {
                system().checkServerTrusted(chain, authType);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return fileTrust.getAcceptedIssuers();
        }

        private synchronized X509TrustManager system() throws CertificateException {
            if (systemTrust == null) {
                try {
                    systemTrust = x509(null);
                } catch (GeneralSecurityException e) {
                    throw new CertificateException("cannot load the system trust store", e);
                }
            }
            return systemTrust;
        }
    }
}
