package io.vpcha.toolkit.readiness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.Readiness;
import io.vpcha.spi.ReadinessProblem;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import org.junit.jupiter.api.Test;

class TestTargetReadiness {
    @Test
    void nothingMatchingWhatTheParametersNameIsAMissingTarget() throws StrategyException {
        assertThat(TargetReadiness.ofLookupFailure(StrategyException.notConfigured("no floating IP named fip-1")))
                .isEqualTo(Readiness.notReady(ReadinessProblem.TARGET, "no floating IP named fip-1"));
    }

    @Test
    void everyOtherFailureIsTheHostsToClassify() {
        StrategyException invalid = new StrategyException(ErrorKind.INVALID_ARGUMENT, "not a CIDR");
        assertThatThrownBy(() -> TargetReadiness.ofLookupFailure(invalid)).isSameAs(invalid);
        StrategyException generic = StrategyException.generic("bug");
        assertThatThrownBy(() -> TargetReadiness.ofLookupFailure(generic)).isSameAs(generic);
        CloudException cloudConfiguration =
                new CloudException(CloudErrorKind.CONFIGURATION, 400, "bad_field", "the VPC refused", null, null);
        assertThat(cloudConfiguration.kind())
                .as("the cloud's own NOT_CONFIGURED")
                .isEqualTo(ErrorKind.NOT_CONFIGURED);
        assertThatThrownBy(() -> TargetReadiness.ofLookupFailure(cloudConfiguration))
                .isSameAs(cloudConfiguration);
    }
}
