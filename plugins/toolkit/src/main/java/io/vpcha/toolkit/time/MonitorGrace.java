package io.vpcha.toolkit.time;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.MonitorResult;
import io.vpcha.spi.ParameterSpec;
import io.vpcha.spi.ParameterType;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * What a monitor says when it could not ask the cloud. Never "not running": moving the resource would
 * need the same cloud, so a failover cannot help and a needless one is worse than a late one. A
 * transient failure within the grace after the last successful verification is running (with a
 * warning in the log); after it, or for a failure that is not transient (a permission lost, a
 * resource gone), degraded: Pacemaker shows it and does not recover.
 */
public final class MonitorGrace {
    /** The name of the parameter that sets the grace, the same in every strategy. */
    public static final String PARAMETER = "monitor_grace";

    /** The grace when the parameter is not set: a minute of API trouble before a resource shows degraded. */
    public static final long DEFAULT_SECONDS = 60;

    private final Duration grace;
    private final String parameter;
    private final Clock clock;
    private final System.Logger log;

    /**
     * @param grace how long after the last verification a transient failure still counts as running
     * @param parameter the parameter that sets it, for the reasons (e.g. {@code monitor_grace})
     */
    public MonitorGrace(Duration grace, String parameter, Clock clock, System.Logger log) {
        this.grace = requireNonNull(grace, "grace is null");
        this.parameter = requireNonNull(parameter, "parameter is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.log = requireNonNull(log, "log is null");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace is negative: " + grace);
        }
    }

    /**
     * The answer of a monitor that could not verify {@code what}.
     *
     * @param what what could not be verified, e.g. "floating IP fip-1 (169.59.10.20)"
     * @param seen how it was last seen when verified, e.g. "bound here" or "delivering here"
     * @param lastVerified when it was last verified, if ever on this node
     */
    public MonitorResult unverified(
            String what, String seen, StrategyException failure, Optional<Instant> lastVerified) {
        if (!isTransient(failure)) {
            return MonitorResult.degraded("cannot verify " + what + ": " + failure.reason());
        }
        Optional<Duration> age = lastVerified.map(last -> Duration.between(last, clock.instant()));
        if (age.isPresent() && age.get().compareTo(grace) <= 0) {
            log.log(
                    Level.WARNING,
                    "cannot verify " + what + " (last seen " + seen + " " + seconds(age.get()) + " ago, within "
                            + parameter + " " + grace.toSeconds() + "s): " + failure.reason());
            return MonitorResult.running();
        }
        return MonitorResult.degraded("cannot verify " + what
                + age.map(last -> " (last seen " + seen + " " + seconds(last) + " ago, beyond " + parameter + " "
                                + grace.toSeconds() + "s)")
                        .orElse("")
                + ": " + failure.reason());
    }

    /**
     * The {@value #PARAMETER} parameter: whole seconds up to a day, {@value #DEFAULT_SECONDS} when not
     * set, reloadable (it changes only what later monitors say). Each strategy words it for what its
     * monitor verifies; its name, range and default are declared here once, so they cannot drift apart.
     */
    public static ParameterSpec parameter(String shortDescription, String longDescription) {
        return ParameterSpec.builder(PARAMETER, ParameterType.INTEGER)
                .shortDescription(shortDescription)
                .longDescription(longDescription)
                .range(0, 86_400)
                .defaultValue(Long.toString(DEFAULT_SECONDS))
                .reloadable()
                .build();
    }

    private static boolean isTransient(StrategyException failure) {
        return failure instanceof CloudException cloud && cloud.isTransient();
    }

    /** A duration for people: tenths of a second below ten seconds, whole seconds above. */
    public static String seconds(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        return millis < 10_000 ? String.format(Locale.ROOT, "%.1fs", millis / 1000.0) : (millis / 1000) + "s";
    }
}
