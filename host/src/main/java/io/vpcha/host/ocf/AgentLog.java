package io.vpcha.host.ocf;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.text.MessageFormat;
import java.util.Comparator;
import java.util.List;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The log of one action, written to standard error, which Pacemaker's executor copies into the
 * cluster log, in the form resource agents use: {@code vpc-ha(INSTANCE)[PID]: LEVEL: message}.
 *
 * <p>Every line passes through a redactor first: the values of sensitive parameters, any other
 * secret the host learns (tokens), and the user and password of any URL are replaced by {@code ***}
 * wherever they appear, so a strategy that logs an exception message carrying a key cannot leak it.
 */
public final class AgentLog implements System.Logger {
    private static final String MASK = "***";
    /** Shorter strings are not treated as secrets: masking them would mangle ordinary text. */
    private static final int MIN_SECRET_LENGTH = 4;

    private final String prefix;
    private final PrintStream err;
    private final boolean debug;
    private final List<String> secrets = new CopyOnWriteArrayList<>();

    public AgentLog(String resourceInstance, PrintStream err, boolean debug) {
        this.prefix = "vpc-ha(" + requireNonNull(resourceInstance, "resourceInstance is null") + ")["
                + ProcessHandle.current().pid() + "]: ";
        this.err = requireNonNull(err, "err is null");
        this.debug = debug;
    }

    /** From now on, never show these values. */
    public void addSecrets(Set<String> values) {
        values.stream().filter(value -> value.length() >= MIN_SECRET_LENGTH).forEach(secrets::add);
        // longest first, so a secret containing another is masked whole
        secrets.sort(Comparator.comparingInt(String::length).reversed());
    }

    /** {@code text} with every known secret, and the credentials of every URL, masked. */
    public String redact(String text) {
        if (text == null) {
            return "null";
        }
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, MASK);
        }
        return Redaction.maskUrlUserInfo(result);
    }

    @Override
    public String getName() {
        return "vpc-ha";
    }

    @Override
    public boolean isLoggable(Level level) {
        return level != Level.OFF && (debug || level.getSeverity() >= Level.INFO.getSeverity());
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
        if (!isLoggable(level)) {
            return;
        }
        String text = message;
        if (thrown != null) {
            text = text + ": " + thrown.getClass().getName() + ": " + thrown.getMessage();
        }
        write(level, text);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... parameters) {
        if (!isLoggable(level)) {
            return;
        }
        String text = parameters == null || parameters.length == 0 ? format : MessageFormat.format(format, parameters);
        write(level, text);
    }

    @Override
    public void log(Level level, Supplier<String> messageSupplier) {
        if (isLoggable(level)) {
            write(level, messageSupplier.get());
        }
    }

    private void write(Level level, String text) {
        String line = redact(text).replaceAll("\\s*[\\r\\n]+\\s*", " ");
        synchronized (err) {
            err.println(prefix + label(level) + ": " + line);
            err.flush();
        }
    }

    private static String label(Level level) {
        return switch (level) {
            case ALL, TRACE, DEBUG -> "DEBUG";
            case INFO -> "INFO";
            case WARNING -> "WARNING";
            case ERROR, OFF -> "ERROR";
        };
    }
}
