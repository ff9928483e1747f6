package io.vpcha.host.cloud;

import static io.vpcha.host.testing.Secrets.neverShown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcha.host.cloud.CloudSettings.CredentialChoice;
import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.parameter.ConfigurationException;
import io.vpcha.spi.ParameterValues;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestCloudSettings {
    @Test
    void vpcUrlIsNormalisedWithOrWithoutV1AndSlash() throws Exception {
        for (String url : new String[] {
            "https://us-south.iaas.cloud.ibm.com",
            "https://us-south.iaas.cloud.ibm.com/",
            "https://us-south.iaas.cloud.ibm.com/v1",
            "https://us-south.iaas.cloud.ibm.com/v1/"
        }) {
            assertThat(settings("vpc_url", url).vpcUrl())
                    .hasValue(URI.create("https://us-south.iaas.cloud.ibm.com/v1"));
        }
    }

    @Test
    void endpointsFollowRegionAndEndpointType() throws Exception {
        CloudSettings publicEndpoints = settings("region", "eu-de", "endpoint_type", "public");
        assertThat(publicEndpoints.vpcUrlOfRegion("eu-de")).hasToString("https://eu-de.iaas.cloud.ibm.com/v1");
        assertThat(publicEndpoints.iamUrl()).hasToString("https://iam.cloud.ibm.com");
        CloudSettings privateEndpoints = settings("region", "eu-de");
        assertThat(privateEndpoints.iamUrl()).hasToString("https://private.iam.cloud.ibm.com");
        assertThat(CloudSettings.regionOfZone("jp-tok-3")).isEqualTo("jp-tok");
    }

    @Test
    void plainHttpOnlyOnLoopback() throws Exception {
        assertThat(settings("vpc_url", "http://127.0.0.1:8080").vpcUrl()).isPresent();
        assertThat(settings("vpc_url", "http://localhost:8080/v1").vpcUrl()).isPresent();
        assertThatThrownBy(() -> settings("vpc_url", "http://10.0.0.5:8080"))
                .hasMessageContaining("vpc_url: 'http://10.0.0.5:8080' must use https");
        assertThatThrownBy(() -> settings("iam_url", "http://iam.cloud.ibm.com"))
                .hasMessageContaining("iam_url: 'http://iam.cloud.ibm.com' must use https");
    }

    @Test
    void loopbackIsAnAddressLiteralNeverANameThatLooksLikeOne() throws Exception {
        assertThat(settings("vpc_url", "http://127.0.0.1:8080").vpcUrl()).isPresent();
        assertThat(settings("vpc_url", "http://127.45.6.7/v1").vpcUrl()).isPresent();
        assertThat(settings("vpc_url", "http://[::1]:8080").vpcUrl()).isPresent();
        for (String remote : new String[] {
            "http://127.attacker.example",
            "http://127.0.0.1.attacker.example:8080",
            "http://127.1:8080",
            "http://0177.0.0.1",
            "http://localhost.attacker.example",
            "http://[::2]:8080"
        }) {
            // refused as plain http to a remote host, or as no URL at all (127.1 is a name to URI)
            assertThatThrownBy(() -> settings("iam_url", remote))
                    .as(remote)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("iam_url: '" + remote + "' ");
        }
    }

    @Test
    void credentialsInAUrlAreRefusedWithoutShowingThem() {
        assertThatThrownBy(() -> settings("vpc_url", "https://admin:S3cret@us-south.iaas.cloud.ibm.com"))
                .hasMessage("vpc_url: 'https://***@us-south.iaas.cloud.ibm.com' is not an http(s) URL without "
                        + "query or user")
                .satisfies(
                        e -> assertThat(e.getMessage()).doesNotContain("S3cret").doesNotContain("admin"));
        assertThatThrownBy(() -> settings("metadata_url", "http://tok:en@169.254.169.254 /"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("tok:en"));
    }

    @Test
    void everyPathIsAbsoluteAndNameableAndNoneIsTheWorkingDirectory() {
        assertThatThrownBy(() -> settings("token_cache_dir", ""))
                .hasMessageContaining("token_cache_dir: '' is not an absolute path");
        assertThatThrownBy(() -> settings("token_cache_dir", "tokens"))
                .hasMessageContaining("token_cache_dir: 'tokens' is not an absolute path");
        assertThatThrownBy(() -> settings("ca_file", "ca.pem")).hasMessageContaining("ca_file: 'ca.pem' is not");
        assertThatThrownBy(() -> settings("api_key", "@key.json"))
                .hasMessageContaining("api_key=@: 'key.json' is not an absolute path");
        // a character the JVM cannot name a file with (NUL here; outside ASCII under the POSIX locale)
        assertThatThrownBy(() -> settings("api_key_file", "/etc/vpc-ha/k\0ey"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("api_key_file: '/etc/vpc-ha/k\0ey' is not a usable path (");
    }

    @Test
    void anEmptyCredentialIsNamed() {
        assertThatThrownBy(() -> settings("trusted_profile_id", " "))
                .hasMessage("trusted_profile_id: empty; remove it or set the profile's id");
        assertThatThrownBy(() -> settings("api_key", "")).hasMessage("api_key: empty");
    }

    @Test
    void oneCredentialAtMostDefaultingToTheLinkedProfile() throws Exception {
        assertThat(settings().credentialChoice())
                .isEqualTo(new CredentialChoice.TrustedProfile(Optional.empty(), Optional.empty()));
        assertThat(settings("api_key_file", "/etc/vpc-ha/key").credentialChoice())
                .isInstanceOf(CredentialChoice.ApiKeyFile.class);
        neverShown(settings("api_key", "secret").credentialChoice().toString(), "secret");
        assertThatThrownBy(() -> settings("api_key", "k", "trusted_profile_id", "Profile-1"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("set one credential, not trusted_profile_id and api_key");
        assertThatThrownBy(() -> settings("api_key_file", "relative/key"))
                .hasMessageContaining("is not an absolute path");
    }

    @Test
    void boundsAreCheckedByTheDeclaredRanges() throws Exception {
        assertThatThrownBy(() -> settings("request_timeout", "0", "max_attempts", "99", "page_limit", "101"))
                .hasMessageContaining("request_timeout: '0' is not 1 to 300")
                .hasMessageContaining("max_attempts: '99' is not 1 to 20")
                .hasMessageContaining("page_limit: '101' is not 1 to 100");
        assertThat(settings("page_limit", "100").pageLimit()).isEqualTo(100);
        assertThatThrownBy(() -> settings("region", "Mars"))
                .hasMessageContaining("region: 'mars' is not a region name");
    }

    private static CloudSettings settings(String... pairs) throws ConfigurationException {
        Map<String, String> values = new HashMap<>();
        values.put("strategy", "any");
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return CloudSettings.from(ParameterValues.of(CommonParameters.all(), values));
    }
}
