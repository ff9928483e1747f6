package io.vpcha.host.cloud.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcha.simulator.tls.CertificateAuthority;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The client's own check of the server's name (the JDK's endpoint identification is not used). */
class TestServerIdentity {
    @ParameterizedTest(name = "{0} against {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            us-south.iaas.cloud.ibm.com  | us-south.iaas.cloud.ibm.com   | true
            US-South.IaaS.Cloud.IBM.com  | us-south.iaas.cloud.ibm.com   | true
            us-south.iaas.cloud.ibm.com. | us-south.iaas.cloud.ibm.com   | true
            us-south.iaas.cloud.ibm.com  | us-south.iaas.cloud.ibm.com.  | true
            iam.cloud.ibm.com            | us-south.iaas.cloud.ibm.com   | false
            cloud.ibm.com                | iam.cloud.ibm.com             | false
            us-south.iaas.cloud.ibm.com  | *.iaas.cloud.ibm.com          | true
            iaas.cloud.ibm.com           | *.iaas.cloud.ibm.com          | false
            a.b.iaas.cloud.ibm.com       | *.iaas.cloud.ibm.com          | false
            us-south.iaas.cloud.ibm.com  | *.cloud.ibm.com               | false
            example.com                  | *.com                         | false
            x.example.com                | *.example.com                 | true
            x.example.com                | x*.example.com                | false
            x.example.com                | *x.example.com                | false
            x.example.com                | x.*.com                       | false
            x.example.com                | *                             | false
            x.example.com                | *.*.com                       | false
            évil.example.com             | *.example.com                 | false
            xn--vil-bma.example.com      | *.example.com                 | true
            127.0.0.1                    | 127.0.0.1                     | false
            localhost                    | localhost                     | true
            """)
    void dnsNames(String host, String certificateName, boolean matches) {
        assertThat(ServerIdentity.matches(host, List.of(certificateName), List.of()))
                .isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0} against {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1   | 127.0.0.1       | true
            127.0.0.2   | 127.0.0.1       | false
            [::1]       | 0:0:0:0:0:0:0:1 | true
            ::1         | 0:0:0:0:0:0:0:1 | true
            [::2]       | 0:0:0:0:0:0:0:1 | false
            999.0.0.1   | 999.0.0.1       | false
            ab:cd:zz    | ab:cd:zz        | false
            127.0.0.1   | localhost       | false
            """)
    void ipAddresses(String host, String certificateAddress, boolean matches) {
        assertThat(ServerIdentity.matches(host, List.of(), List.of(certificateAddress)))
                .isEqualTo(matches);
    }

    @Test
    void aRealCertificateNamesItsHostsAndNoOther() {
        X509Certificate certificate = CertificateAuthority.generate(List.of("localhost", "127.0.0.1", "::1"))
                .serverCertificate();

        assertThatCode(() -> ServerIdentity.verify("localhost", certificate)).doesNotThrowAnyException();
        assertThatCode(() -> ServerIdentity.verify("127.0.0.1", certificate)).doesNotThrowAnyException();
        assertThatCode(() -> ServerIdentity.verify("[::1]", certificate)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ServerIdentity.verify("127.0.0.2", certificate))
                .isInstanceOf(SSLPeerUnverifiedException.class)
                .hasMessage("the server's certificate is not valid for 127.0.0.2: it names localhost, 127.0.0.1,"
                        + " 0:0:0:0:0:0:0:1");
        assertThatThrownBy(() -> ServerIdentity.verify("iam.cloud.ibm.com", certificate))
                .isInstanceOf(SSLPeerUnverifiedException.class);
    }
}
