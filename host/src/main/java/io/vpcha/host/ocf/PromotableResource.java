package io.vpcha.host.ocf;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.FailoverStrategy;
import io.vpcha.spi.MonitorRequest;
import io.vpcha.spi.MonitorResult;
import io.vpcha.spi.Readiness;
import io.vpcha.spi.ReadinessProblem;
import io.vpcha.spi.ResourceState;
import io.vpcha.spi.StrategyException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The actions of an instance of a promotable clone ({@code pcs resource create ... promotable}).
 * Unpromoted, the instance is the passive node's proof that it can take over: start and its monitor
 * check readiness; promote is a primitive's start, demote its stop, and the Promoted monitor its
 * monitor.
 *
 * <p>Readiness decides the node's promotion score: {@value #SCORE_READY} when ready,
 * {@value #SCORE_NOT_READY} when not (still positive, so the last node standing is promoted and
 * tries), {@value #SCORE_PROMOTED} while promoted (above a ready peer, so a promotion stays where it is).
 * A node that is not ready is shown, never failed: its Unpromoted monitor succeeds, its score says it
 * is not ready, and the node attribute {@code vpc-ha-readiness-RESOURCE} says {@code not ready:
 * REASON} for {@code crm_mon -A} and Pacemaker's alerts.
 *
 * <p>Why not OCF_DEGRADED, which {@code crm_mon} would list with its exit reason: Pacemaker records a
 * recurring monitor whose code is not the expected one only as the resource's {@code last_failure},
 * so when a new DC promotes this node and cancels the Unpromoted monitor (the old DC's operation)
 * there is no monitor entry whose removal from the CIB confirms the cancel, and the direct
 * acknowledgement carries the old DC's transition key, which the new DC ignores as a foreign event:
 * the promotion then waits out the cancel's timeout plus cluster-delay (90 s and more with
 * Pacemaker 2.1.5, in the cluster suite {@code promotable}). A successful monitor's entry is
 * removed, and the cancel is confirmed at once.
 */
final class PromotableResource {
    static final int SCORE_PROMOTED = 110;
    static final int SCORE_READY = 100;
    static final int SCORE_NOT_READY = 1;

    private static final int LONGEST_ATTRIBUTE = 200;
    /** The readiness attribute of a ready node. */
    private static final String READY = "ready";

    private final OcfEnvironment environment;
    private final Standby standby;
    private final SplitBrainGuard guard;
    private final PacemakerAttributes attributes;
    private final ReadinessCheck readiness;
    private final Clock clock;
    private final AgentLog log;
    private final Consumer<String> exitReason;
    private final Consumer<Readiness> seen;

    PromotableResource(
            OcfEnvironment environment,
            Standby standby,
            SplitBrainGuard guard,
            PacemakerAttributes attributes,
            ReadinessCheck readiness,
            Clock clock,
            AgentLog log,
            Consumer<String> exitReason,
            Consumer<Readiness> seen) {
        this.environment = requireNonNull(environment, "environment is null");
        this.standby = requireNonNull(standby, "standby is null");
        this.guard = requireNonNull(guard, "guard is null");
        this.attributes = requireNonNull(attributes, "attributes is null");
        this.readiness = requireNonNull(readiness, "readiness is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.log = requireNonNull(log, "log is null");
        this.exitReason = requireNonNull(exitReason, "exitReason is null");
        this.seen = requireNonNull(seen, "seen is null");
    }

    /** Runs start, stop, promote, demote or monitor; returns the OCF exit code. */
    int run(String action, boolean isProbe, FailoverStrategy strategy) throws StrategyException {
        return switch (action) {
            case "start" -> start(strategy);
            case "promote" -> promote(strategy);
            case "demote" -> demote(strategy);
            case "stop" -> stop(strategy);
            case "monitor", "status" -> monitor(strategy, isProbe);
            default -> throw new IllegalStateException("not an action of a promotable instance: " + action);
        };
    }

    /** Unpromoted: records that the instance runs here and how ready it is. Not being ready is no failure. */
    private int start(FailoverStrategy strategy) throws StrategyException {
        Readiness now = checkReadiness(strategy);
        seen.accept(now);
        record(now);
        publish(now);
        report(now, Level.WARNING);
        return OcfExitCode.SUCCESS;
    }

    /**
     * A primitive's start. A node that took the resource over was ready, whatever its last readiness
     * check said (a metadata outage since ended, a route made again): its record, its metric and its
     * readiness attribute say so, so that {@code crm_mon -A} never shows the promoted node "not ready".
     * The attribute is written only when it may say something else, and then beside the score: a
     * failover waits for one Pacemaker tool either way.
     */
    private int promote(FailoverStrategy strategy) throws StrategyException {
        strategy.start();
        Optional<Readiness> before = standby.last().map(Standby.Seen::readiness);
        try {
            // also for an instance promoted without a start here (Pacemaker starts first; a manual run may not)
            standby.promoted(Readiness.ready(), clock.instant());
        } catch (IOException e) {
            throw new StrategyException(
                    ErrorKind.GENERIC, "cannot record this instance in " + standby.file() + ": " + e.getMessage(), e);
        }
        seen.accept(Readiness.ready());
        if (before.isPresent() && before.get().isReady()) {
            attributes.promotionScore(SCORE_PROMOTED);
        } else {
            before.ifPresent(last ->
                    log.log(Level.INFO, "ready after all: promoted here (the last check said " + notReady(last) + ")"));
            attributes.promotionScoreAndReadiness(SCORE_PROMOTED, READY);
        }
        return OcfExitCode.SUCCESS;
    }

    private int demote(FailoverStrategy strategy) throws StrategyException {
        strategy.stop();
        try {
            standby.promoted(false, clock.instant());
        } catch (IOException e) {
            // demoted all the same: the strategy stopped; the next monitor finds it Unpromoted
            log.log(Level.WARNING, "demote: cannot record the role in " + standby.file() + ": " + e.getMessage());
        }
        // until its next readiness monitor, the node is as ready as it last was
        boolean wasReady =
                standby.last().map(last -> last.readiness().isReady()).orElse(false);
        attributes.promotionScore(wasReady ? SCORE_READY : SCORE_NOT_READY);
        return OcfExitCode.SUCCESS;
    }

    private int stop(FailoverStrategy strategy) throws StrategyException {
        strategy.stop();
        try {
            standby.clear();
        } catch (IOException e) {
            // the strategy stopped; a stop that fails gets the node fenced
            log.log(Level.WARNING, "stop: cannot remove " + standby.file() + ": " + e.getMessage());
        }
        attributes.deletePromotionScore();
        attributes.deleteReadiness();
        return OcfExitCode.SUCCESS;
    }

    private int monitor(FailoverStrategy strategy, boolean isProbe) throws StrategyException {
        MonitorResult result = strategy.monitor(
                isProbe ? MonitorRequest.probe() : MonitorRequest.recurring(environment.interval(), 0));
        // read once: the role, whether it runs here, the last readiness, and the role kept when recording
        Optional<Standby.Seen> last = standby.last();
        boolean promotedHere = last.map(Standby.Seen::promoted).orElse(false);
        // the split-brain guard hears of a takeaway only from the node the resource was promoted on: an
        // Unpromoted instance never holds the resource, its "not running" is no takeaway
        if (isProbe || result.state() != ResourceState.NOT_RUNNING || promotedHere) {
            guard.afterMonitor(result, isProbe);
        }
        if (promotedHere && !isProbe && result.state() == ResourceState.NOT_RUNNING) {
            // the Promoted monitor is a primitive's monitor: the resource left this node, and why
            if (!result.reason().isEmpty()) {
                log.log(Level.INFO, result.reason());
                exitReason.accept(result.reason());
            }
            return OcfExitCode.NOT_RUNNING;
        }
        switch (result.state()) {
            case RUNNING -> {
                if (isProbe) {
                    // after a restart of Pacemaker on this node its attributes are gone
                    attributes.promotionScore(SCORE_PROMOTED);
                }
                return OcfExitCode.RUNNING_PROMOTED;
            }
            case DEGRADED -> {
                log.log(Level.WARNING, result.reason());
                exitReason.accept(result.reason());
                return OcfExitCode.DEGRADED_PROMOTED;
            }
            case NOT_RUNNING -> {
                if (!result.reason().isEmpty()) {
                    log.log(Level.DEBUG, () -> "not promoted here: " + result.reason());
                }
            }
        }
        // a record that cannot be read still says the instance runs here
        if (last.isEmpty() && !standby.isStarted()) {
            return OcfExitCode.NOT_RUNNING;
        }
        Optional<Readiness> before = last.map(Standby.Seen::readiness);
        if (isProbe) {
            // a probe asks nothing of the cloud: the last readiness seen, and its score restored
            Readiness seenLast = before.orElse(Readiness.notReady(ReadinessProblem.STATE, "no readiness recorded yet"));
            publish(seenLast);
            return exitCode(seenLast);
        }
        Readiness now = checkReadiness(strategy);
        try {
            record(now, promotedHere);
        } catch (StrategyException e) {
            log.log(Level.WARNING, "cannot record the readiness: " + e.reason());
        }
        if (before.isEmpty() || !before.get().equals(now)) {
            publish(now);
            report(now, Level.WARNING);
        }
        return exitCode(now);
    }

    /**
     * The readiness now, its reason with every secret the log knows masked: that reason is recorded in
     * the standby file, published as a node attribute, logged and compared with the last one recorded,
     * and a strategy's or the cloud's reason may quote a key.
     */
    private Readiness checkReadiness(FailoverStrategy strategy) {
        Readiness now = readiness.of(strategy);
        return now.problem()
                .map(problem -> Readiness.notReady(problem, log.redact(now.reason())))
                .orElse(now);
    }

    /** Running Unpromoted, ready or not: the score and the attribute say which (see the class comment). */
    private int exitCode(Readiness readiness) {
        seen.accept(readiness);
        return OcfExitCode.SUCCESS;
    }

    private void report(Readiness now, Level notReadyLevel) {
        if (now.isReady()) {
            log.log(Level.INFO, "ready to take over");
        } else {
            log.log(notReadyLevel, notReady(now));
        }
    }

    private static String notReady(Readiness readiness) {
        return "not ready: " + readiness.reason();
    }

    private void record(Readiness now) throws StrategyException {
        record(now, standby.last().map(Standby.Seen::promoted).orElse(false));
    }

    private void record(Readiness now, boolean promoted) throws StrategyException {
        try {
            standby.record(now, clock.instant(), promoted);
        } catch (IOException e) {
            throw new StrategyException(
                    ErrorKind.GENERIC, "cannot record this instance in " + standby.file() + ": " + e.getMessage(), e);
        }
    }

    /** The promotion score and the readiness attribute for {@code now}. */
    private void publish(Readiness now) {
        attributes.promotionScore(now.isReady() ? SCORE_READY : SCORE_NOT_READY);
        // redacted again: a reason read back from a record written before the reasons were redacted
        String value = now.isReady() ? READY : log.redact(notReady(now));
        attributes.readiness(value.length() > LONGEST_ATTRIBUTE ? value.substring(0, LONGEST_ATTRIBUTE) : value);
    }
}
