package io.vpcha.simulator.state;

import java.util.ArrayList;
import java.util.List;

public final class Instance extends Resource {
    public String crn;
    public String vpcId;
    public String zone;
    public String status = "running";
    public String lifecycleState = "stable";
    public String profile = "bx2-2x8";
    public boolean metadataEnabled = true;
    public String metadataProtocol = "http";
    public int metadataHopLimit = 1;
    /** Network interface ids, primary first. Empty when the instance uses network attachments. */
    public final List<String> networkInterfaceIds = new ArrayList<>();
    /** Network attachment ids, primary first. */
    public final List<String> networkAttachmentIds = new ArrayList<>();
    /** The trusted profile linked to this instance by default, or null. */
    public String defaultTrustedProfileId;
    /**
     * Bumped by every power action: a status transition scheduled by an older action (the end of a
     * stop) must not overwrite a newer one (a start that followed it).
     */
    public long powerGeneration;

    /** Whether the guest runs and so can receive packets or answer health checks. */
    public boolean isRunning() {
        return "running".equals(status);
    }
}
