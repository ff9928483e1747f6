package io.vpcha.host.cloud.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Whether a server's certificate names the host this client asked for (RFC 9525, RFC 2818), checked
 * by the client itself after the TLS handshake and before a byte of any request is sent.
 *
 * <p>Why not the JDK's own check ({@code SSLParameters.setEndpointIdentificationAlgorithm("HTTPS")}):
 * before it matches a name, it asks whether the chain ends at a CA shipped with the JDK, and for that
 * loads and parses the JDK's whole {@code cacerts} (≈ 145 certificates) in every new JVM, whatever the
 * trust store: ≈ 50 ms of CPU in each cold action (docs/performance.md, "The cold path"). HTTP clients
 * commonly verify host names themselves; the rules here are the JDK's, only stricter:
 * <ul>
 *   <li>a host name matches a DNS name of the subject alternative names, ignoring case and a final dot;
 *       the subject's common name is never used (public CAs must put every name in the SAN);
 *   <li>a wildcard is only a whole left-most label ({@code *.example.com}), matches exactly one label,
 *       and needs at least two labels after it ({@code *.com} matches nothing);
 *   <li>an IP literal matches only an IP address of the subject alternative names, compared as
 *       addresses ({@code ::1} and {@code 0:0:0:0:0:0:0:1} are the same), never a DNS name;
 *   <li>a host that is not plain ASCII (an internationalised name not in its {@code xn--} form)
 *       matches nothing.
 * </ul>
 */
final class ServerIdentity {
    /** The subject alternative name types of RFC 5280 that name a server: dNSName and iPAddress. */
    private static final int DNS_NAME = 2;

    private static final int IP_ADDRESS = 7;
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern DNS_LABELS = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");

    private ServerIdentity() {}

    /** Throws unless {@code certificate}, the server's own, names {@code host}. */
    static void verify(String host, X509Certificate certificate) throws SSLPeerUnverifiedException {
        List<String> dnsNames = new ArrayList<>();
        List<String> ipAddresses = new ArrayList<>();
        namesOf(certificate, dnsNames, ipAddresses);
        if (!matches(host, dnsNames, ipAddresses)) {
            List<String> all = new ArrayList<>(dnsNames);
            all.addAll(ipAddresses);
            throw new SSLPeerUnverifiedException("the server's certificate is not valid for " + host + ": it names "
                    + (all.isEmpty() ? "no host (no subject alternative name)" : String.join(", ", all)));
        }
    }

    /**
     * Whether {@code host} is one of {@code dnsNames} (the certificate's DNS names, wildcards allowed) or,
     * for an IP literal, one of {@code ipAddresses} (the certificate's IP addresses).
     */
    static boolean matches(String host, Collection<String> dnsNames, Collection<String> ipAddresses) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.indexOf(':') >= 0 || IPV4.matcher(bare).matches()) {
            byte[] address = addressOf(bare);
            return address != null
                    && ipAddresses.stream()
                            .map(ServerIdentity::addressOf)
                            .anyMatch(name -> Arrays.equals(name, address));
        }
        String wanted = dnsName(bare);
        return wanted != null && dnsNames.stream().anyMatch(name -> matchesDnsName(wanted, name));
    }

    private static boolean matchesDnsName(String host, String name) {
        boolean wildcard = name.startsWith("*.");
        String base = dnsName(wildcard ? name.substring(2) : name);
        if (base == null) {
            return false;
        }
        if (!wildcard) {
            return host.equals(base);
        }
        // one whole label in place of the "*", and at least two labels after it ("*.com" matches nothing)
        int firstDot = host.indexOf('.');
        return base.indexOf('.') > 0
                && firstDot > 0
                && host.substring(firstDot + 1).equals(base);
    }

    /** {@code name} in lower case without a final dot, or null if it is not a plain ASCII DNS name. */
    private static String dnsName(String name) {
        String lower = (name.endsWith(".") ? name.substring(0, name.length() - 1) : name).toLowerCase(Locale.ROOT);
        return DNS_LABELS.matcher(lower).matches() ? lower : null;
    }

    /** The address of an IP literal, never asking DNS; null if it is not one. */
    private static byte[] addressOf(String literal) {
        if (literal.indexOf('%') >= 0
                || (literal.indexOf(':') < 0 && !IPV4.matcher(literal).matches())) {
            return null; // not a literal (a zone id is not something a certificate can name)
        }
        try {
            // a valid IPv4 literal, or in brackets what has a colon: the JDK parses either and looks nothing
            // up (without brackets, a malformed IPv6 literal would be asked of DNS as a name)
            return InetAddress.getByName(literal.indexOf(':') >= 0 ? "[" + literal + "]" : literal)
                    .getAddress();
        } catch (UnknownHostException notAnAddress) {
            return null;
        }
    }

    /** Adds the certificate's subject alternative DNS names and IP addresses to the two lists. */
    private static void namesOf(X509Certificate certificate, List<String> dnsNames, List<String> ipAddresses)
            throws SSLPeerUnverifiedException {
        Collection<List<?>> alternatives;
        try {
            alternatives = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new SSLPeerUnverifiedException(
                    "the server's certificate has subject alternative names that cannot be read: " + e.getMessage());
        }
        if (alternatives == null) {
            return;
        }
        for (List<?> alternative : alternatives) {
            if (alternative.size() >= 2 && alternative.get(1) instanceof String value) {
                Object type = alternative.get(0);
                if (Integer.valueOf(DNS_NAME).equals(type)) {
                    dnsNames.add(value);
                } else if (Integer.valueOf(IP_ADDRESS).equals(type)) {
                    ipAddresses.add(value);
                }
            }
        }
    }
}
