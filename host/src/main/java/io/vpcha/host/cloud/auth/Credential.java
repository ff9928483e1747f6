package io.vpcha.host.cloud.auth;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** How this node proves who it is to IBM Cloud. */
public sealed interface Credential {
    /** An API key (from api_key_file or api_key). {@link #toString()} never shows it. */
    record ApiKey(String apiKey, String origin) implements Credential {
        public ApiKey {
            requireNonNull(apiKey, "apiKey is null");
            requireNonNull(origin, "origin is null");
            if (apiKey.isBlank()) {
                throw new IllegalArgumentException("the API key is empty");
            }
        }

        @Override
        public String toString() {
            return "API key from " + origin;
        }
    }

    /**
     * A trusted profile, through the instance metadata service: by id, by CRN, or (both empty) the
     * instance's default linked profile. No secret is kept on the node at all.
     */
    record TrustedProfile(Optional<String> id, Optional<String> crn) implements Credential {
        public TrustedProfile {
            requireNonNull(id, "id is null");
            requireNonNull(crn, "crn is null");
        }

        @Override
        public String toString() {
            return "trusted profile " + id.or(() -> crn).orElse("(the instance's default linked profile)");
        }
    }
}
