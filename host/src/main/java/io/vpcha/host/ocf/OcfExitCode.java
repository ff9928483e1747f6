package io.vpcha.host.ocf;

/** The exit codes of the OCF resource agent API. */
public final class OcfExitCode {
    public static final int SUCCESS = 0;
    public static final int ERR_GENERIC = 1;
    public static final int ERR_ARGS = 2;
    public static final int ERR_UNIMPLEMENTED = 3;
    public static final int ERR_PERM = 4;
    public static final int ERR_INSTALLED = 5;
    public static final int ERR_CONFIGURED = 6;
    public static final int NOT_RUNNING = 7;
    public static final int DEGRADED = 190;

    private OcfExitCode() {}
}
