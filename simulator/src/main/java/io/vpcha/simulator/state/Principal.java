package io.vpcha.simulator.state;

import java.util.ArrayList;
import java.util.List;

/**
 * An identity that can obtain an IAM token: an API key or a trusted profile. {@code deny} lists the
 * operations withheld from it, as {@code METHOD /v1/path/with/*} patterns; a matching call gets a 403.
 */
public final class Principal {
    public enum Kind {
        API_KEY,
        TRUSTED_PROFILE
    }

    public Kind kind;
    public String id;
    public String name;
    public String crn;
    /** The API key value (only for {@link Kind#API_KEY}); never logged. */
    public String secret;

    public final List<String> deny = new ArrayList<>();
    /** Instances linked to a trusted profile. */
    public final List<String> linkedInstanceIds = new ArrayList<>();
}
