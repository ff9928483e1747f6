package io.vpcha.simulator.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority for the simulator's HTTPS mode: a fresh EC P-256 CA and a server
 * certificate for localhost, the loopback addresses and any extra names. The CA certificate is written
 * as PEM so that a client can trust exactly it. Loaded only when HTTPS is on.
 */
public final class CertificateAuthority {
    private static final String SIGNATURE = "SHA256withECDSA";

    private final X509Certificate caCertificate;
    private final X509Certificate serverCertificate;
    private final PrivateKey serverKey;

    private CertificateAuthority(
            X509Certificate caCertificate, X509Certificate serverCertificate, PrivateKey serverKey) {
        this.caCertificate = caCertificate;
        this.serverCertificate = serverCertificate;
        this.serverKey = serverKey;
    }

    /** Generates a CA and a server certificate valid for {@code names} (DNS names or IP literals). */
    public static CertificateAuthority generate(List<String> names) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair caKeys = generator.generateKeyPair();
            KeyPair serverKeys = generator.generateKeyPair();
            Instant now = Instant.now();
            Date notBefore = Date.from(now.minus(Duration.ofMinutes(5)));
            Date notAfter = Date.from(now.plus(Duration.ofDays(30)));
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();

            X500Name caName = new X500Name("CN=vpc-ha simulator CA " + now.getEpochSecond() + ",O=vpc-ha");
            X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(
                            caName, serial(), notBefore, notAfter, caName, caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(
                            Extension.subjectKeyIdentifier,
                            false,
                            extensions.createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate caCertificate = sign(ca, caKeys.getPrivate());

            Set<String> allNames = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
            allNames.addAll(names);
            List<GeneralName> alternatives = new ArrayList<>();
            for (String name : allNames) {
                alternatives.add(
                        isIpLiteral(name)
                                ? new GeneralName(
                                        GeneralName.iPAddress,
                                        InetAddress.getByName(name).getHostAddress())
                                : new GeneralName(GeneralName.dNSName, name));
            }
            X509v3CertificateBuilder server = new JcaX509v3CertificateBuilder(
                            caCertificate,
                            serial(),
                            notBefore,
                            notAfter,
                            new X500Name("CN=localhost,O=vpc-ha simulator"),
                            serverKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(
                            Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                    .addExtension(
                            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(
                            Extension.subjectAlternativeName,
                            false,
                            new GeneralNames(alternatives.toArray(new GeneralName[0])))
                    .addExtension(
                            Extension.authorityKeyIdentifier,
                            false,
                            extensions.createAuthorityKeyIdentifier(caCertificate));
            return new CertificateAuthority(caCertificate, sign(server, caKeys.getPrivate()), serverKeys.getPrivate());
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate the simulator's certificates", e);
        }
    }

    private static boolean isIpLiteral(String name) {
        return name.contains(":") || name.matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(key);
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    public X509Certificate serverCertificate() {
        return serverCertificate;
    }

    /** The CA certificate in PEM form. */
    public String caPem() {
        try {
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(caCertificate.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void writeCaPem(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, caPem(), StandardCharsets.US_ASCII);
    }

    /** A server-side SSL context presenting the server certificate (and the CA) to clients. */
    public SSLContext serverContext() {
        try {
            char[] password = "simulator".toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", serverKey, password, new Certificate[] {serverCertificate, caCertificate});
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the simulator's SSL context", e);
        }
    }
}
