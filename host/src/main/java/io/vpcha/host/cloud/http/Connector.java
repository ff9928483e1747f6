package io.vpcha.host.cloud.http;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Opens connections: TCP within the time left, then for https a TLS handshake that checks the
 * server's certificate against {@link TlsTrust} and its name against the URL's host (as HTTPS
 * clients do, RFC 9110 4.3.4). The TLS trust is built on the first https connection, so an action
 * that only asks the (plain HTTP) metadata service never loads it.
 */
final class Connector {
    private final Optional<Path> caFile;
    private final SystemTrust systemTrust;
    private SSLSocketFactory tls;

    Connector(Optional<Path> caFile, SystemTrust systemTrust) {
        this.caFile = requireNonNull(caFile, "caFile is null");
        this.systemTrust = requireNonNull(systemTrust, "systemTrust is null");
    }

    HttpConnection open(Origin origin, long deadlineNanos) throws IOException {
        SSLSocketFactory factory = origin.https() ? tls() : null;
        Socket tcp = new Socket();
        try {
            tcp.setTcpNoDelay(true);
            tcp.connect(
                    new InetSocketAddress(origin.host(), origin.port()),
                    HttpConnection.millisLeft(deadlineNanos, "no time left to connect"));
            if (factory == null) {
                return new HttpConnection(origin, tcp, tcp);
            }
            SSLSocket ssl = (SSLSocket) factory.createSocket(tcp, origin.host(), origin.port(), true);
            ssl.setSoTimeout(HttpConnection.millisLeft(deadlineNanos, "no time left for the TLS handshake"));
            ssl.startHandshake();
            // the host name is checked here, before any request is written, not by the JDK's endpoint
            // identification, which costs every cold JVM a parse of the JDK's whole cacerts (ServerIdentity)
            ServerIdentity.verify(
                    origin.host(), (X509Certificate) ssl.getSession().getPeerCertificates()[0]);
            return new HttpConnection(origin, tcp, ssl);
        } catch (IOException | RuntimeException e) {
            tcp.close();
            throw e;
        }
    }

    private synchronized SSLSocketFactory tls() throws TlsSetupException {
        if (tls == null) {
            try {
                tls = TlsTrust.sslContext(caFile, systemTrust).getSocketFactory();
            } catch (GeneralSecurityException | IOException e) {
                throw new TlsSetupException(
                        caFile.isPresent()
                                ? "cannot use ca_file " + caFile.get() + ": " + e.getMessage()
                                : "cannot load the system trust store: " + e.getMessage(),
                        e);
            }
        }
        return tls;
    }
}
