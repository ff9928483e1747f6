package io.vpcha.spi.cloud;

import io.vpcha.spi.StrategyException;
import java.util.List;

/**
 * This instance's view of itself from the instance metadata service (which must be enabled on the
 * instance). Needs no credentials: the service identifies the caller by where the request comes from.
 */
public interface InstanceMetadata {
    /** This instance: id, name, zone, VPC, and its interfaces with their primary addresses. */
    Instance instance() throws StrategyException;

    /** This instance's network interfaces, each with its floating IPs (older instances). */
    List<NetworkInterface> networkInterfaces() throws StrategyException;

    /** This instance's virtual network interfaces (instances with network attachments). */
    List<VirtualNetworkInterface> virtualNetworkInterfaces() throws StrategyException;
}
