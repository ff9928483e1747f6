package io.vpcha.spi.cloud;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** A subnet reserved IP; {@code targetId} is what it is bound to, if anything. */
public record ReservedIp(String id, String name, String address, boolean autoDelete, Optional<String> targetId) {
    public ReservedIp {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(address, "address is null");
        requireNonNull(targetId, "targetId is null");
    }
}
