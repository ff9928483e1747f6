package io.vpcha.host.ocf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Exit reasons made fit for the line Pacemaker keeps. */
class TestRedaction {
    private static final String REFUSED = "routes not moved to 10.240.64.4: update route "
            + "r006-0a1b2c3d-4e5f-6789-abcd-ef0123456789: HTTP 403 not_authorized: You are not authorized to "
            + "perform this action (trace 2b3c4d5e-6f70-8192-a3b4-c5d6e7f80912)";

    @Test
    void theActionARefusedCallNeedsComesFirstAndSurvivesTheCut() {
        String reason = Redaction.neededActionFirst(REFUSED + " (needs IAM action is.vpc.routing-table.update)");

        assertThat(reason).isEqualTo("needs IAM action is.vpc.routing-table.update: " + REFUSED);
        String shown = Redaction.exitReason(reason);
        assertThat(shown.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(Redaction.EXIT_REASON_LIMIT);
        assertThat(shown)
                .startsWith("needs IAM action is.vpc.routing-table.update: routes not moved")
                .endsWith("...");
    }

    @Test
    void aProbableActionSaysSoAndAStrategysRepeatsAreDropped() {
        String marker = " (probably needs IAM action is.load-balancer.load-balancer.update)";

        assertThat(Redaction.neededActionFirst("set weight of pool member m1: HTTP 403" + marker + "; again" + marker))
                .isEqualTo("probably needs IAM action is.load-balancer.load-balancer.update: "
                        + "set weight of pool member m1: HTTP 403; again");
    }

    @Test
    void aReasonNamingNoActionIsLeftAsItIs() {
        assertThat(Redaction.neededActionFirst(REFUSED)).isEqualTo(REFUSED);
        assertThat(Redaction.neededActionFirst("vip (10.0.0.1) is not valid")).isEqualTo("vip (10.0.0.1) is not valid");
        assertThat(Redaction.neededActionFirst("needs IAM action x.y: already first"))
                .isEqualTo("needs IAM action x.y: already first");
        assertThat(Redaction.neededActionFirst("needs IAM action x.y: put first by a strategy (needs IAM action x.y)"))
                .as("never twice")
                .isEqualTo("needs IAM action x.y: put first by a strategy");
    }
}
