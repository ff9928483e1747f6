package io.vpcha.strategy.floatingip;

import java.util.Locale;

/** What stop does with the floating IP besides removing the "started here" marker. */
enum StopPolicy {
    /** Leave it bound: the next start moves it in one call. */
    KEEP,
    /** Unbind it when it is bound to this node, best effort. */
    UNBIND;

    String parameterValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static StopPolicy fromParameterValue(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
