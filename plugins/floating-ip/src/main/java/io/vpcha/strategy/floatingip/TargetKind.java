package io.vpcha.strategy.floatingip;

/** What kind of interface a target is, as far as this node knows. */
enum TargetKind {
    /** An instance network interface: holds at most one floating IP. */
    NETWORK_INTERFACE,
    /** A virtual network interface: holds one floating IP when infrastructure NAT is on. */
    VIRTUAL_NETWORK_INTERFACE,
    /** Named by the resource and not looked up (no metadata service needed). */
    UNKNOWN
}
