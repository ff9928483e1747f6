package io.vpcha.host.cloud.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Whom HTTPS trusts: the system trust store ({@link SystemTrust}), plus the certificates of an
 * optional CA file. There is deliberately no way to turn verification off.
 *
 * <p>With a CA file, its certificates are tried first and the system store only when they do not
 * verify the server.
 */
public final class TlsTrust {
    private TlsTrust() {}

    /** The SSL context trusting the CA file's certificates, if any, and the system's CAs. */
    public static SSLContext sslContext(Optional<Path> caFile, X509TrustManager system)
            throws GeneralSecurityException, IOException {
        X509TrustManager trust = system;
        if (caFile.isPresent()) {
            Collection<? extends Certificate> certificates;
            try (InputStream in = Files.newInputStream(caFile.get())) {
                certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (certificates.isEmpty()) {
                throw new CertificateException("no certificate in " + caFile.get());
            }
            trust = new FileThenSystemTrust(SystemTrust.trustManagerOf(certificates), system);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trust}, null);
        return context;
    }

    /** Trusts what the CA file's certificates verify, else what the system trust store verifies. */
    private static final class FileThenSystemTrust implements X509TrustManager {
        private final X509TrustManager fileTrust;
        private final X509TrustManager systemTrust;

        FileThenSystemTrust(X509TrustManager fileTrust, X509TrustManager systemTrust) {
            this.fileTrust = fileTrust;
            this.systemTrust = systemTrust;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                fileTrust.checkServerTrusted(chain, authType);
            } catch (CertificateException notFromFile) {
                systemTrust.checkServerTrusted(chain, authType);
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
    }
}
