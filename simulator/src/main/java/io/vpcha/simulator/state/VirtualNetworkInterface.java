package io.vpcha.simulator.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

public final class VirtualNetworkInterface extends Resource {
    public String crn;
    public String subnetId;
    public String primaryIpId;
    /** Secondary reserved-IP ids, in binding order (the primary is not in this list). */
    public final List<String> secondaryIpIds = new ArrayList<>();

    public boolean allowIpSpoofing;
    public boolean autoDelete = true;
    public boolean enableInfrastructureNat = true;
    public String lifecycleState = "stable";
    /** Id of the network attachment it is attached to, or null. */
    public String attachmentId;
    /** Its MAC address, shown while it is attached (the guest sees an interface with this address). */
    public String macAddress;

    /**
     * A MAC address of its own for a VNI id, stable across resets: locally administered (02:00:...), the
     * rest from the id's hash. A scenario may set {@code mac_address} instead, e.g. a test interface's.
     */
    public static String macAddressFor(String id) {
        int hash = id.hashCode();
        return String.format(
                Locale.ROOT,
                "02:00:%02x:%02x:%02x:%02x",
                (hash >>> 24) & 0xff,
                (hash >>> 16) & 0xff,
                (hash >>> 8) & 0xff,
                hash & 0xff);
    }
}
