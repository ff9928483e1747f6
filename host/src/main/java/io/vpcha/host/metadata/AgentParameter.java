package io.vpcha.host.metadata;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One parameter as an agent's meta-data presents it: a declaration, several strategies' declarations
 * of one name merged, or a deprecated alias listed under its own name (so that tools such as pcs
 * accept it).
 */
public record AgentParameter(
        String name,
        String shortDescription,
        String longDescription,
        String ocfContentType,
        Optional<String> defaultValue,
        boolean required,
        Optional<String> uniqueGroup,
        boolean reloadable,
        boolean sensitive) {

    public AgentParameter {
        requireNonNull(name, "name is null");
        requireNonNull(shortDescription, "shortDescription is null");
        requireNonNull(longDescription, "longDescription is null");
        requireNonNull(ocfContentType, "ocfContentType is null");
        requireNonNull(defaultValue, "defaultValue is null");
        requireNonNull(uniqueGroup, "uniqueGroup is null");
    }
}
