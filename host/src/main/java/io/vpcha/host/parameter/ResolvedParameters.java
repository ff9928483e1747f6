package io.vpcha.host.parameter;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.ParameterValues;
import java.util.List;
import java.util.Set;

/**
 * A resource's parameters, checked and split into the host's common ones and the strategy's.
 *
 * @param warnings things worth logging that do not stop the action (a deprecated alias used)
 * @param secrets the values of sensitive parameters, which the log must never show
 */
public record ResolvedParameters(
        ParameterValues common, ParameterValues strategy, List<String> warnings, Set<String> secrets) {
    public ResolvedParameters {
        requireNonNull(common, "common is null");
        requireNonNull(strategy, "strategy is null");
        warnings = List.copyOf(requireNonNull(warnings, "warnings is null"));
        secrets = Set.copyOf(requireNonNull(secrets, "secrets is null"));
    }
}
