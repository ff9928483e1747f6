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
    public static final int RUNNING_PROMOTED = 8;
    public static final int FAILED_PROMOTED = 9;
    public static final int DEGRADED = 190;
    public static final int DEGRADED_PROMOTED = 191;

    private OcfExitCode() {}

    /** The code's name as a metric label, from a fixed set: {@code success}, {@code not_running}, ... */
    public static String resultName(int code) {
        return switch (code) {
            case SUCCESS -> "success";
            case ERR_GENERIC -> "error_generic";
            case ERR_ARGS -> "error_args";
            case ERR_UNIMPLEMENTED -> "error_unimplemented";
            case ERR_PERM -> "error_perm";
            case ERR_INSTALLED -> "error_installed";
            case ERR_CONFIGURED -> "error_configured";
            case NOT_RUNNING -> "not_running";
            case RUNNING_PROMOTED -> "running_promoted";
            case FAILED_PROMOTED -> "failed_promoted";
            case DEGRADED -> "degraded";
            case DEGRADED_PROMOTED -> "degraded_promoted";
            default -> "other";
        };
    }
}
