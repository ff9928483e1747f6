package io.vpcha.toolkit.readiness;

import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.Readiness;
import io.vpcha.spi.ReadinessProblem;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudException;

/**
 * What a readiness check ({@link io.vpcha.spi.FailoverStrategy#readiness()}) makes of a failed lookup
 * of the cloud resource a takeover changes (a floating IP, a route's table, a range, a reserved IP, a
 * pool), decided here once for every strategy.
 *
 * <p>The lookup says {@link ErrorKind#NOT_CONFIGURED} when nothing in the cloud matches what the
 * parameters name. A start would fail with that; on a passive node it means the target is not there
 * (deleted, not made yet, or misnamed): {@link ReadinessProblem#TARGET}. The host would call it {@code
 * CONFIGURATION}, the kind's general meaning, so the check answers itself. Every other failure is
 * thrown on for the host to classify: the cloud's own (a CloudException, whatever its kind: not
 * answering, a permission, a 404 of a read) and the other kinds.
 */
public final class TargetReadiness {
    private TargetReadiness() {}

    /**
     * Not ready, {@link ReadinessProblem#TARGET}, with the lookup's reason, when {@code failure} says
     * nothing matched; else throws {@code failure}.
     */
    public static Readiness ofLookupFailure(StrategyException failure) throws StrategyException {
        if (!(failure instanceof CloudException) && failure.kind() == ErrorKind.NOT_CONFIGURED) {
            return Readiness.notReady(ReadinessProblem.TARGET, failure.reason());
        }
        throw failure;
    }
}
