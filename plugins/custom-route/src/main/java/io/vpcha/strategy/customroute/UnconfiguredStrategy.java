package io.vpcha.strategy.customroute;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.CheckLevel;
import io.vpcha.spi.FailoverStrategy;
import io.vpcha.spi.MonitorRequest;
import io.vpcha.spi.MonitorResult;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyException;
import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * custom-route for a resource whose parameters cannot work together (a changed reloadable value out of
 * range, say): every action fails with the reason, except stop, which removes what start added on this
 * node (the recorded local address, the marker) and succeeds.
 */
final class UnconfiguredStrategy implements FailoverStrategy {
    private final StrategyException problem;
    private final StrategyContext context;

    UnconfiguredStrategy(StrategyException problem, StrategyContext context) {
        this.problem = requireNonNull(problem, "problem is null");
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public void start() throws StrategyException {
        throw problem;
    }

    @Override
    public void stop() throws StrategyException {
        context.logger()
                .log(
                        Level.WARNING,
                        "stop with a configuration that cannot work (" + problem.reason()
                                + "): removing what this node added");
        CustomRouteStrategy.stopOnThisNode(context, Optional.empty());
    }

    @Override
    public MonitorResult monitor(MonitorRequest request) throws StrategyException {
        throw problem;
    }

    @Override
    public void validate(CheckLevel level) throws StrategyException {
        throw problem;
    }

    @Override
    public void reload() throws StrategyException {
        throw problem;
    }
}
