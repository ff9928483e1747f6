package io.vpcha.spi;

import java.util.Locale;

/**
 * Why a node is not ready to take a resource over, from a fixed set: the host reports it as a metric
 * label and in alerts, so it never carries free text (that goes into {@link Readiness#reason()}).
 *
 * <p>Constants may be added in a later minor version; a host reports one it does not know as
 * {@link #OTHER}.
 *
 * @since 1.2
 */
public enum ReadinessProblem {
    /** The credentials cannot be read or IAM refuses them (no token). */
    CREDENTIALS,
    /** The instance metadata service cannot be reached or does not answer. */
    METADATA,
    /** This node cannot be identified: its instance, address or zone is not what the resource needs. */
    IDENTITY,
    /** Something the takeover changes on this machine is missing, e.g. the network interface of the VIP. */
    LOCAL,
    /** A cloud resource the takeover changes is gone or not visible (a route, a floating IP, a VNI). */
    TARGET,
    /** The credentials lack a permission that a read showed (403). */
    PERMISSION,
    /** The cloud API did not answer within the check's time (timeouts, 5xx, rate limits). */
    CLOUD,
    /** The configuration cannot work on this node. */
    CONFIGURATION,
    /** The resource's state on this node cannot be kept (its state directory). */
    STATE,
    /** Anything else; the reason says what. */
    OTHER;

    /** The name used as a metric label and in alerts: lower case, e.g. {@code credentials}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
