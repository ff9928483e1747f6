package io.vpcha.strategy.loadbalancer;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.MonitorResult;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyException;
import io.vpcha.toolkit.state.StateStore;
import io.vpcha.toolkit.time.TimeBox;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Optional;

/**
 * mode=health-check: no cloud call. Start opens the health listener on this node, monitor checks that
 * it is still this resource's and answers, stop ends it. The load balancer's health monitor does the
 * rest: it finds exactly the active node healthy.
 */
final class HealthCheckMode {
    /** socat's own messages, in the state directory. */
    private static final String ERRORS = "listener.log";

    private static final String ALL_ADDRESSES = "0.0.0.0";

    private final StrategyContext context;
    private final StateStore state;
    private final System.Logger log;

    HealthCheckMode(StrategyContext context, StateStore state) {
        this.context = requireNonNull(context, "context is null");
        this.state = requireNonNull(state, "state is null");
        this.log = context.logger();
    }

    void start(LoadBalancerSettings settings) throws StrategyException {
        int port = settings.healthPort().orElseThrow();
        String address = settings.healthAddress().orElse(ALL_ADDRESSES);
        HealthListener listener = listener();
        Optional<ListenerRecord> kept = ListenerRecord.from(state.read(ListenerRecord.RECORD));
        if (kept.isPresent()
                && kept.get().port() == port
                && kept.get().address().equals(address)) {
            Optional<String> problem = listener.problem(kept.get());
            if (problem.isEmpty()) {
                state.markStarted();
                log.log(Level.INFO, () -> "the " + kept.get().describe() + " already serves; nothing to start");
                return;
            }
            log.log(Level.INFO, () -> problem.get() + "; opening it again");
            listener.close(kept.get());
        } else if (kept.isPresent()) {
            // the port or address changed since: the old listener must not keep attracting traffic
            listener.close(kept.get());
        }
        state.delete(ListenerRecord.RECORD);
        Path errors = stateDirectory().resolve(ERRORS);
        ListenerRecord opened = listener.open(port, address, errors);
        state.write(ListenerRecord.RECORD, opened.toRecord());
        Optional<String> problem = listener.problem(opened);
        if (problem.isPresent()) {
            listener.close(opened);
            state.delete(ListenerRecord.RECORD);
            throw new StrategyException(ErrorKind.GENERIC, problem.get());
        }
        state.markStarted();
        log.log(
                Level.INFO,
                () -> "opened the " + opened.describe() + "; the load balancer's health monitor "
                        + "now finds this node healthy");
    }

    MonitorResult monitor() {
        Optional<ListenerRecord> kept = ListenerRecord.from(state.read(ListenerRecord.RECORD));
        if (kept.isEmpty()) {
            return MonitorResult.notRunning("started on this node " + context.nodeName()
                    + " but no health listener is recorded (the state directory was cleared?)");
        }
        return listener().problem(kept.get()).map(MonitorResult::notRunning).orElseGet(MonitorResult::running);
    }

    /**
     * Ends the recorded listener, and one of this resource's whose record was lost (the same program and
     * arguments on the configured port), when the settings are known.
     */
    void stop(Optional<LoadBalancerSettings> settings) throws StrategyException {
        HealthListener listener = listener();
        Optional<ListenerRecord> kept = ListenerRecord.from(state.read(ListenerRecord.RECORD));
        if (kept.isPresent()) {
            listener.close(kept.get());
        } else if (settings.isPresent() && settings.get().healthPort().isPresent()) {
            Optional<ListenerRecord> orphan = listener.orphan(
                    settings.get().healthPort().getAsInt(),
                    settings.get().healthAddress().orElse(ALL_ADDRESSES));
            if (orphan.isPresent()) {
                log.log(Level.WARNING, () -> "stop: the " + orphan.get().describe() + " was not recorded; ending it");
                listener.close(orphan.get());
            }
        }
        state.delete(ListenerRecord.RECORD);
    }

    private Path stateDirectory() throws StrategyException {
        try {
            return context.stateDirectory();
        } catch (UncheckedIOException e) {
            throw new StrategyException(ErrorKind.GENERIC, e.getMessage(), e);
        }
    }

    private HealthListener listener() {
        return new HealthListener(ListeningSockets.system(), TimeBox.of(context), log);
    }
}
