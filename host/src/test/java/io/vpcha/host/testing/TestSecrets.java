package io.vpcha.host.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TestSecrets {
    @Test
    void aTextWithoutTheSecretsIsReturnedForFurtherAssertions() {
        assertThat(Secrets.neverShown("using token ***", "k3y", "t0ken")).isEqualTo("using token ***");
    }

    @Test
    void aShownSecretFailsWithTheTextMaskedNeverWithTheSecret() {
        assertThatThrownBy(() -> Secrets.neverShown("key=k3y-value token=t0k-value", "k3y-value", "t0k-value"))
                .isInstanceOf(AssertionError.class)
                .hasMessage("secret 1 of 2 is shown in (masked here):\nkey=<secret 1> token=<secret 2>");
    }

    @Test
    void anEmptySecretIsAMistakeOfTheTestNotAPass() {
        assertThatThrownBy(() -> Secrets.neverShown("text", "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void maskedNamesEachSecret() {
        assertThat(Secrets.masked("a=k3y b=k3y", Map.of("OCF_RESKEY_api_key", "k3y")))
                .isEqualTo("a=<value of OCF_RESKEY_api_key> b=<value of OCF_RESKEY_api_key>");
    }
}
