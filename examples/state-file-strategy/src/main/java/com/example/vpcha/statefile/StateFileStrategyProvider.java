package com.example.vpcha.statefile;

import io.vpcha.spi.FailoverStrategy;
import io.vpcha.spi.ParameterSpec;
import io.vpcha.spi.ParameterType;
import io.vpcha.spi.ParameterValues;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyProvider;
import java.util.List;

/**
 * The example strategy's entry point: a name, a description and the declared parameters. The host
 * generates the OCF meta-data, the checks and the docs from these declarations.
 */
public final class StateFileStrategyProvider implements StrategyProvider {
    static final String MESSAGE = "message";
    static final String FAIL_START = "fail_start";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.builder(MESSAGE, ParameterType.STRING)
                    .shortDescription("Text kept in the state file")
                    .longDescription("A line of text written into the state file at start and rewritten by "
                            + "reload-agent; must not be empty.")
                    .defaultValue("active")
                    .reloadable()
                    .build(),
            ParameterSpec.builder(FAIL_START, ParameterType.BOOLEAN)
                    .shortDescription("Make start fail, for testing recovery")
                    .longDescription("When true, start fails with a generic error, as a strategy does when the cloud "
                            + "refuses a change; useful to watch Pacemaker's recovery.")
                    .defaultValue("false")
                    .build());

    @Override
    public String name() {
        return "state-file";
    }

    @Override
    public String description() {
        return "Example strategy that needs no cloud: a state file marks where the resource runs";
    }

    @Override
    public String longDescription() {
        return "The vpc-ha counterpart of Pacemaker's Dummy agent. start writes a state file in the resource's state "
                + "directory, stop removes it, monitor reports whether it is there. It touches no cloud and "
                + "exists as the template for strategy authors.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public FailoverStrategy create(ParameterValues parameters, StrategyContext context) {
        return new StateFileStrategy(parameters.require(MESSAGE), parameters.flag(FAIL_START), context);
    }
}
