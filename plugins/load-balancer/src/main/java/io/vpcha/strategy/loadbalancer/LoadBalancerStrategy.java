package io.vpcha.strategy.loadbalancer;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.CheckLevel;
import io.vpcha.spi.FailoverStrategy;
import io.vpcha.spi.MonitorRequest;
import io.vpcha.spi.MonitorResult;
import io.vpcha.spi.ParameterValues;
import io.vpcha.spi.Readiness;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyException;
import io.vpcha.toolkit.state.StateStore;
import io.vpcha.toolkit.time.TimeBox;
import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * The load-balancer strategy: each action goes to the mode the resource is configured for. A stop
 * undoes whatever a start recorded on this node, in either mode and whatever the parameters say now.
 */
final class LoadBalancerStrategy implements FailoverStrategy {
    private final ParameterValues parameters;
    private final StrategyContext context;
    private final StateStore state;
    private final System.Logger log;

    LoadBalancerStrategy(ParameterValues parameters, StrategyContext context) {
        this.parameters = requireNonNull(parameters, "parameters is null");
        this.context = requireNonNull(context, "context is null");
        this.state = StateStore.of(context);
        this.log = context.logger();
    }

    @Override
    public void start() throws StrategyException {
        LoadBalancerSettings settings = settings();
        switch (settings.mode()) {
            case HEALTH_CHECK -> new HealthCheckMode(context, state).start(settings);
            case POOL_MEMBER -> new PoolMemberMode(context, state).start(settings);
        }
    }

    @Override
    public void stop() throws StrategyException {
        // Removed first: whatever happens next, this node no longer claims the traffic.
        state.clearStarted();
        Optional<LoadBalancerSettings> settings;
        try {
            settings = Optional.of(settings());
        } catch (StrategyException e) {
            log.log(
                    Level.DEBUG,
                    () -> "stop: the parameters do not work together (" + e.reason() + "); undoing what "
                            + "was recorded");
            settings = Optional.empty();
        }
        new HealthCheckMode(context, state).stop(settings);
        new PoolMemberMode(context, state).stop();
    }

    @Override
    public MonitorResult monitor(MonitorRequest request) throws StrategyException {
        if (!state.isStarted()) {
            // nothing asked of the cloud or the network: a probe on a node that never ran it costs nothing
            return MonitorResult.notRunning("not started on this node " + context.nodeName());
        }
        LoadBalancerSettings settings = settings();
        return switch (settings.mode()) {
            case HEALTH_CHECK -> new HealthCheckMode(context, state).monitor();
            case POOL_MEMBER -> new PoolMemberMode(context, state).monitor(settings);
        };
    }

    /**
     * The passive node's proof. mode=pool-member: the pool and this node's member in it, one VPC request
     * per check ({@link PoolMemberMode#readiness}). mode=health-check asks the cloud nothing, ever: the
     * listener's programs are installed.
     */
    @Override
    public Readiness readiness() throws StrategyException {
        LoadBalancerSettings settings = settings();
        return switch (settings.mode()) {
            case HEALTH_CHECK -> {
                HealthListener.requireInstalled();
                yield Readiness.ready();
            }
            case POOL_MEMBER -> new PoolMemberMode(context, state).readiness(settings);
        };
    }

    @Override
    public void validate(CheckLevel level) throws StrategyException {
        LoadBalancerSettings settings = settings();
        if (settings.mode() == Mode.HEALTH_CHECK) {
            HealthListener.requireInstalled();
        }
        switch (level) {
            case SYNTAX -> {
                return;
            }
            case CLOUD -> new CloudCheck(context, TimeBox.of(context)).check(settings);
        }
    }

    private LoadBalancerSettings settings() throws StrategyException {
        return LoadBalancerSettings.from(parameters, context.nodeName());
    }
}
