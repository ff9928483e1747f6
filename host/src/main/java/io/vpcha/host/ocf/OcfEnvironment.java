package io.vpcha.host.ocf;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What Pacemaker tells an agent through its environment: the resource's parameters
 * ({@code OCF_RESKEY_<name>}; defaults from meta-data are never exported), the operation's timeout
 * and interval ({@code OCF_RESKEY_CRM_meta_*}), the resource instance and the node.
 */
public record OcfEnvironment(Map<String, String> variables) {
    public static final String PARAMETER_PREFIX = "OCF_RESKEY_";
    private static final String META_PREFIX = "OCF_RESKEY_CRM_meta_";
    /** Pacemaker adds these to every resource's parameters; they are not the administrator's. */
    private static final Set<String> PACEMAKER_PARAMETERS = Set.of("crm_feature_set");
    /** Set by the per-strategy agents (ocf:ibm:vpc-STRATEGY) to the strategy they stand for. */
    public static final String FIXED_STRATEGY = "VPC_HA_STRATEGY";
    /** Pacemaker's default operation timeout, used when none is passed. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    public OcfEnvironment {
        variables = Map.copyOf(requireNonNull(variables, "variables is null"));
    }

    public static OcfEnvironment ofProcess() {
        return new OcfEnvironment(System.getenv());
    }

    /** The resource's parameters by the names the administrator configured. */
    public Map<String, String> parameters() {
        Map<String, String> parameters = new TreeMap<>();
        variables.forEach((name, value) -> {
            if (name.startsWith(PARAMETER_PREFIX) && !name.startsWith(META_PREFIX)) {
                String parameter = name.substring(PARAMETER_PREFIX.length());
                if (!PACEMAKER_PARAMETERS.contains(parameter)) {
                    parameters.put(parameter, value);
                }
            }
        });
        return parameters;
    }

    public String resourceInstance() {
        return nonBlank("OCF_RESOURCE_INSTANCE").orElse("default");
    }

    /**
     * Whether the resource is an instance of a promotable clone: Pacemaker passes the clone's meta
     * attributes to its instances ({@code promotable=true}; {@code promoted-max}, or {@code master-max}
     * before Pacemaker 2.1, only exist there).
     */
    public boolean promotable() {
        return nonBlank(META_PREFIX + "promotable").map(OcfEnvironment::isTrue).orElse(false)
                || nonBlank(META_PREFIX + "promoted_max").isPresent()
                || nonBlank(META_PREFIX + "master_max").isPresent();
    }

    /**
     * The resource without a clone instance number ({@code vip} for {@code vip:1}): what Pacemaker's
     * promotion score and node attributes are named by, the same on every node.
     */
    public String resourceName() {
        return resourceInstance().replaceFirst(":[0-9]+$", "");
    }

    /** Where Pacemaker's command-line tools are ({@code HA_SBIN_DIR}, set by Pacemaker). */
    public Path pacemakerTools() {
        return Path.of(nonBlank("HA_SBIN_DIR").orElse("/usr/sbin"));
    }

    /** Pacemaker's CRM feature set, passed to agents as {@code OCF_RESKEY_crm_feature_set}. */
    public Optional<String> crmFeatureSet() {
        return nonBlank(PARAMETER_PREFIX + "crm_feature_set");
    }

    private static boolean isTrue(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1", "y" -> true;
            default -> false;
        };
    }

    public Optional<String> fixedStrategy() {
        return nonBlank(FIXED_STRATEGY);
    }

    /** The operation timeout; Pacemaker passes it in milliseconds. */
    public Duration timeout() {
        return milliseconds(META_PREFIX + "timeout")
                .filter(timeout -> !timeout.isZero())
                .orElse(DEFAULT_TIMEOUT);
    }

    /** The monitor interval; zero (a probe) when not passed. */
    public Duration interval() {
        return milliseconds(META_PREFIX + "interval").orElse(Duration.ZERO);
    }

    public int checkLevel() {
        return nonBlank("OCF_CHECK_LEVEL")
                .map(value -> {
                    try {
                        return Integer.parseInt(value.trim());
                    } catch (NumberFormatException e) {
                        return 0;
                    }
                })
                .orElse(0);
    }

    /** The node this runs on, as Pacemaker names it. */
    public String nodeName() {
        for (String name : List.of(META_PREFIX + "on_node", "HA_NODENAME")) {
            Optional<String> value = nonBlank(name);
            if (value.isPresent()) {
                return value.get();
            }
        }
        return LocalHost.name();
    }

    public String exitReasonPrefix() {
        return Optional.ofNullable(variables.get("OCF_EXIT_REASON_PREFIX")).orElse("ocf-exit-reason:");
    }

    /** Where resource agents keep state that must not survive a reboot. */
    public Path stateRoot() {
        return Path.of(nonBlank("HA_RSCTMP").orElse("/run/resource-agents"));
    }

    public boolean debug() {
        return nonBlank("HA_debug").map(value -> !value.equals("0")).orElse(false)
                || nonBlank("VPC_HA_DEBUG").map(value -> !value.equals("0")).orElse(false);
    }

    private Optional<Duration> milliseconds(String name) {
        return nonBlank(name).flatMap(value -> {
            try {
                long millis = Long.parseLong(value.trim());
                return millis < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(millis));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private Optional<String> nonBlank(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
