package io.vpcha.spi;

/**
 * What went wrong, as far as the cluster manager needs to know; each kind maps to one OCF exit code,
 * which decides how Pacemaker recovers (retry here, try another node, or give up everywhere).
 */
public enum ErrorKind {
    /** Something failed that may work when retried, on this node or another (OCF 1). */
    GENERIC(1),
    /** The parameters are wrong for this node, e.g. a value only this node cannot use (OCF 2). */
    INVALID_ARGUMENT(2),
    /** The action is not implemented by this strategy (OCF 3). */
    UNIMPLEMENTED(3),
    /** The node or the credentials lack a permission the action needs (OCF 4). */
    INSUFFICIENT_PRIVILEGES(4),
    /** Something the strategy needs is not installed or reachable on this node (OCF 5). */
    NOT_INSTALLED(5),
    /** The configuration is wrong and will not work on any node (OCF 6). */
    NOT_CONFIGURED(6);

    private final int ocfExitCode;

    ErrorKind(int ocfExitCode) {
        this.ocfExitCode = ocfExitCode;
    }

    public int ocfExitCode() {
        return ocfExitCode;
    }
}
