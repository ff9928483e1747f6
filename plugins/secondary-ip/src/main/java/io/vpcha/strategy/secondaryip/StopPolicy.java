package io.vpcha.strategy.secondaryip;

import java.util.Locale;

/** What stop does with the secondary IP besides removing the local address and the "started here" marker. */
enum StopPolicy {
    /** Leave it bound: the next start elsewhere moves it. */
    KEEP,
    /** Unbind it when it is bound here and auto_delete is false, best effort. */
    UNBIND;

    String parameterValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static StopPolicy fromParameterValue(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
