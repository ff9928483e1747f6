package io.vpcha.toolkit.node;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.Instance;
import io.vpcha.spi.cloud.InstanceMetadata;
import io.vpcha.toolkit.time.TimeBox;

/**
 * This node's instance as the metadata service shows it, read at most once (within the action's time)
 * however many of its answers a strategy needs. When the service does not answer, the failure keeps
 * its kind, status and trace, and its reason says what the instance was needed for and which parameter
 * would do without it: a node without the metadata service is configured, not broken.
 */
public final class ThisInstance {
    private final InstanceMetadata metadata;
    private final TimeBox timeBox;
    private Instance instance;

    public ThisInstance(InstanceMetadata metadata, TimeBox timeBox) {
        this.metadata = requireNonNull(metadata, "metadata is null");
        this.timeBox = requireNonNull(timeBox, "timeBox is null");
    }

    /**
     * This instance; the first call asks the metadata service, later ones return its answer.
     *
     * @param neededFor the start of the reason when the service does not answer: what needs the instance
     *     and what to set instead, e.g. "cannot tell this node's pool member (enable the metadata service,
     *     or set node_members)"
     * @throws CloudException the service's failure (or no time left), its reason {@code neededFor: reason}
     */
    public Instance read(String neededFor) throws StrategyException {
        requireNonNull(neededFor, "neededFor is null");
        if (instance == null) {
            try {
                instance = timeBox.call("read this instance from the metadata service", metadata::instance);
            } catch (CloudException e) {
                throw new CloudException(
                        e.cloudErrorKind(),
                        e.status(),
                        e.code().orElse(null),
                        neededFor + ": " + e.reason(),
                        e.trace().orElse(null),
                        e);
            }
        }
        return instance;
    }
}
