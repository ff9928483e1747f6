package io.vpcha.strategy.customroute;

import io.vpcha.spi.Ipv4;
import io.vpcha.spi.StrategyException;
import io.vpcha.toolkit.net.LocalAddress;
import io.vpcha.toolkit.state.StateStore;
import java.util.Map;
import java.util.Optional;

/**
 * The local address start added on this node, recorded in the resource's state before it is added:
 * stop removes what the record names, whatever the configuration says by then (a changed vip or
 * interface, or values that no longer pass their checks), and the configured one when start recorded
 * none (a start by an older version).
 */
final class AddedAddress {
    static final String RECORD = "local-address";
    private static final String ADDRESS = "address";
    private static final String INTERFACE = "interface";

    private AddedAddress() {}

    /** Records that {@code address} is added on {@code interfaceName}: before it is added. */
    static void record(StateStore state, String address, String interfaceName) throws StrategyException {
        state.write(RECORD, Map.of(ADDRESS, address, INTERFACE, interfaceName));
    }

    /** What a start recorded; empty when nothing, or a record no start could have written. */
    static Optional<LocalAddress> recorded(StateStore state, System.Logger log) {
        return state.read(RECORD).flatMap(values -> {
            String address = values.get(ADDRESS);
            String interfaceName = values.get(INTERFACE);
            if (address == null || !Ipv4.isAddress(address) || !LocalAddress.isInterfaceName(interfaceName)) {
                return Optional.empty();
            }
            return Optional.of(new LocalAddress(address, 32, interfaceName, log));
        });
    }

    /**
     * Removes the address start recorded (else {@code configured}) and then the record. Removing an
     * address from an interface that does not exist, or without iproute2, is success.
     */
    static void remove(StateStore state, Optional<LocalAddress> configured, System.Logger log)
            throws StrategyException {
        Optional<LocalAddress> local = recorded(state, log).or(() -> configured);
        if (local.isPresent()) {
            local.get().remove();
        }
        state.delete(RECORD);
    }
}
