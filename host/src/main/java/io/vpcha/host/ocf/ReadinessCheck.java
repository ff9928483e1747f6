package io.vpcha.host.ocf;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.cloud.HostCloudAccess;
import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.FailoverStrategy;
import io.vpcha.spi.Readiness;
import io.vpcha.spi.ReadinessProblem;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.Instance;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * Whether this node could take a resource over now: the host's checks that every strategy needs,
 * then the strategy's own ({@link FailoverStrategy#readiness()}). Nothing is written to the cloud.
 *
 * <ol>
 *   <li>The credentials give a token: from the node's token cache while it is fresh, else from IAM,
 *       which renews a token that is getting old (the standby stays warm; a promotion asks IAM
 *       nothing).
 *   <li>The metadata service knows this instance, when something needs it: the VPC endpoint is not
 *       configured, or the strategy has no readiness check of its own.
 *   <li>The strategy's check; a strategy without one (every plugin built against SPI 1.0 or 1.1) gets
 *       one read of this instance through the VPC API, which proves that the VPC accepts the token.
 * </ol>
 *
 * A failure is never thrown: it is the node's readiness problem, with a one-line reason.
 */
final class ReadinessCheck {
    private final Optional<HostCloudAccess> usable;
    private final String unusableReason;
    private final System.Logger log;

    ReadinessCheck(HostCloudAccess cloud, System.Logger log) {
        this(Optional.of(requireNonNull(cloud, "cloud is null")), "", log);
    }

    private ReadinessCheck(Optional<HostCloudAccess> usable, String unusableReason, System.Logger log) {
        this.usable = usable;
        this.unusableReason = requireNonNull(unusableReason, "unusableReason is null");
        this.log = requireNonNull(log, "log is null");
    }

    /**
     * The check of a resource whose cloud parameters cannot work (only a stop runs with them): never
     * ready, for {@code reason}.
     */
    static ReadinessCheck unusable(String reason) {
        return new ReadinessCheck(Optional.empty(), reason, System.getLogger(ReadinessCheck.class.getName()));
    }

    Readiness of(FailoverStrategy strategy) {
        if (usable.isEmpty()) {
            return Readiness.notReady(ReadinessProblem.CONFIGURATION, unusableReason);
        }
        HostCloudAccess cloud = usable.get();
        try {
            cloud.warmToken();
        } catch (StrategyException e) {
            return e instanceof CloudException failure && failure.isTransient()
                    ? Readiness.notReady(ReadinessProblem.CLOUD, "IAM did not answer: " + e.reason())
                    : Readiness.notReady(ReadinessProblem.CREDENTIALS, "credentials: " + e.reason());
        }
        boolean ownCheck = hasOwnReadiness(strategy);
        Instance instance = null;
        if (!ownCheck || !cloud.endpointConfigured()) {
            try {
                instance = cloud.metadata().instance();
            } catch (StrategyException e) {
                return Readiness.notReady(ReadinessProblem.METADATA, "metadata service: " + e.reason());
            }
        }
        try {
            if (ownCheck) {
                return requireNonNull(strategy.readiness(), "the strategy's readiness is null");
            }
            cloud.vpc().getInstance(instance.id());
            return Readiness.ready();
        } catch (StrategyException e) {
            return Readiness.notReady(problemOf(e), e.reason());
        } catch (UncheckedIOException e) {
            return Readiness.notReady(ReadinessProblem.STATE, e.getMessage());
        } catch (RuntimeException e) {
            // a bug in the strategy's check: this node is not known to be ready, the resource is not failed
            log.log(Level.ERROR, "readiness check failed unexpectedly", e);
            return Readiness.notReady(
                    ReadinessProblem.OTHER,
                    "readiness check failed unexpectedly: " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /** Whether the strategy implements {@link FailoverStrategy#readiness()} instead of the default. */
    static boolean hasOwnReadiness(FailoverStrategy strategy) {
        try {
            return !strategy.getClass().getMethod("readiness").isDefault();
        } catch (NoSuchMethodException | LinkageError e) {
            return false;
        }
    }

    /**
     * The problem a failure of a readiness check means. NOT_CONFIGURED in general is the configuration's;
     * a strategy whose lookup of its target found nothing says TARGET itself (the toolkit's
     * TargetReadiness, which every shipped strategy uses), before this is asked.
     */
    static ReadinessProblem problemOf(StrategyException failure) {
        if (failure instanceof CloudException cloud) {
            return switch (cloud.cloudErrorKind()) {
                case TRANSIENT -> ReadinessProblem.CLOUD;
                case PERMISSION -> ReadinessProblem.PERMISSION;
                case NOT_FOUND -> ReadinessProblem.TARGET;
                case CONFIGURATION -> ReadinessProblem.CONFIGURATION;
            };
        }
        ErrorKind kind = failure.kind();
        return switch (kind) {
            case NOT_CONFIGURED, INVALID_ARGUMENT -> ReadinessProblem.CONFIGURATION;
            case INSUFFICIENT_PRIVILEGES -> ReadinessProblem.PERMISSION;
            case NOT_INSTALLED -> ReadinessProblem.LOCAL;
            case GENERIC, UNIMPLEMENTED -> ReadinessProblem.OTHER;
        };
    }
}
