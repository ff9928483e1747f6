package io.vpcha.spi;

import static java.util.Objects.requireNonNull;

/**
 * A failed action, with the kind of failure and a one-line reason meant for the administrator (it
 * becomes the OCF exit reason shown by {@code crm_mon -r}). Never put a secret in the reason.
 */
public class StrategyException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;

    public StrategyException(ErrorKind kind, String reason) {
        super(oneLine(reason));
        this.kind = requireNonNull(kind, "kind is null");
    }

    public StrategyException(ErrorKind kind, String reason, Throwable cause) {
        super(oneLine(reason), cause);
        this.kind = requireNonNull(kind, "kind is null");
    }

    public ErrorKind kind() {
        return kind;
    }

    /** The one-line reason. */
    public String reason() {
        return getMessage();
    }

    public static StrategyException notConfigured(String reason) {
        return new StrategyException(ErrorKind.NOT_CONFIGURED, reason);
    }

    public static StrategyException generic(String reason) {
        return new StrategyException(ErrorKind.GENERIC, reason);
    }

    static String oneLine(String reason) {
        requireNonNull(reason, "reason is null");
        String line = reason.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
        if (line.isEmpty()) {
            throw new IllegalArgumentException("reason is empty");
        }
        return line;
    }
}
