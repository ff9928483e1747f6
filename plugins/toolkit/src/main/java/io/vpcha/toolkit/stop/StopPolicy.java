package io.vpcha.toolkit.stop;

import io.vpcha.spi.ParameterSpec;
import io.vpcha.spi.ParameterType;
import java.util.Locale;

/**
 * What stop does with an address the cloud binds to the active node (a floating IP, a secondary IP),
 * besides what it removes on the node itself: the value of a strategy's {@code stop_policy} parameter.
 * Each strategy says in its parameter's description what keeping and unbinding mean for its address.
 */
public enum StopPolicy {
    /** Leave it bound: the next start (on any node) moves it. */
    KEEP,
    /** Unbind it when it is bound to this node, best effort: a failed stop gets the node fenced. */
    UNBIND;

    /** The name of the parameter, the same in every strategy that has one. */
    public static final String PARAMETER = "stop_policy";

    /** The parameter's value for this policy, as the docs and the meta-data list it. */
    public String parameterValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The {@value #PARAMETER} parameter: one of the policies' values, {@code keep} when not set,
     * reloadable (it changes only what a later stop does). Each strategy says what keeping and
     * unbinding mean for its address; the values and the default are declared here once.
     */
    public static ParameterSpec parameter(String shortDescription, String longDescription) {
        return ParameterSpec.builder(PARAMETER, ParameterType.ENUM)
                .shortDescription(shortDescription)
                .longDescription(longDescription)
                .allowedValues(KEEP.parameterValue(), UNBIND.parameterValue())
                .defaultValue(KEEP.parameterValue())
                .reloadable()
                .build();
    }

    /**
     * The policy a parameter value names, in any case and with surrounding blanks.
     *
     * @throws IllegalArgumentException for anything else (the parameter's allowed values catch it first)
     */
    public static StopPolicy fromParameterValue(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
