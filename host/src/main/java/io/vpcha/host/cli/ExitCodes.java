package io.vpcha.host.cli;

/** The exit codes of the vpc-ha command (the ocf subcommand exits with OCF codes instead). */
public final class ExitCodes {
    /** Done. */
    public static final int OK = 0;
    /** The command failed; the reason is on standard error. */
    public static final int FAILED = 1;
    /** The command line was wrong; usage is on standard error. */
    public static final int USAGE = 2;
    /** The listing worked, but at least one plugin could not be loaded (the data says which and why). */
    public static final int PLUGIN_PROBLEMS = 3;
    /** The strategy named is not installed. */
    public static final int NOT_FOUND = 4;
    /** A bug: an unexpected exception, with its stack trace on standard error. */
    public static final int INTERNAL = 70;

    private ExitCodes() {}
}
