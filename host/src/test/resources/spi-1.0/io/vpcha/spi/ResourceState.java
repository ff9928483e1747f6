package io.vpcha.spi;

/** What a monitor found. */
public enum ResourceState {
    /** Active on this node and healthy (OCF 0). */
    RUNNING(0),
    /** Cleanly not active on this node (OCF 7). */
    NOT_RUNNING(7),
    /**
     * Active on this node and delivering, but something needs attention, e.g. the cloud API could
     * not be asked within the grace window (OCF 190: Pacemaker shows it and does not recover).
     */
    DEGRADED(190);

    private final int ocfExitCode;

    ResourceState(int ocfExitCode) {
        this.ocfExitCode = ocfExitCode;
    }

    public int ocfExitCode() {
        return ocfExitCode;
    }
}
