package io.vpcha.host.metadata;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One action the agent advertises in its meta-data: the one place the agent's actions are declared,
 * from which the meta-data, the usage line and the agent's dispatch are made.
 *
 * @param timeout Pacemaker's default when an operation sets none; long enough for the retry budget
 * @param interval the default interval of a recurring monitor
 * @param role the role a monitor is for in a promotable clone ({@code Promoted}, {@code Unpromoted})
 * @param promotableOnly whether the action exists only in a promotable clone (promote, demote)
 */
public record AgentAction(
        String name, String timeout, Optional<String> interval, Optional<String> role, boolean promotableOnly) {
    /**
     * In a primitive resource the plain monitor checks the resource; in a promotable clone the plain
     * monitor is the readiness monitor of unpromoted instances (an operation without a role applies to
     * them), and the Promoted one is the primitive's monitor. The intervals differ, as Pacemaker requires
     * of monitors of one resource; the Unpromoted one repeats the plain one for tools (pcs) that take a
     * promotable clone's operations from the roles.
     */
    public static final List<AgentAction> ALL = List.of(
            plain("start", "60s"),
            plain("stop", "40s"),
            new AgentAction("monitor", "60s", Optional.of("10s"), Optional.empty(), false),
            new AgentAction("monitor", "60s", Optional.of("11s"), Optional.of("Promoted"), false),
            new AgentAction("monitor", "60s", Optional.of("30s"), Optional.of("Unpromoted"), false),
            new AgentAction("promote", "60s", Optional.empty(), Optional.empty(), true),
            new AgentAction("demote", "40s", Optional.empty(), Optional.empty(), true),
            plain("validate-all", "30s"),
            plain("reload-agent", "30s"),
            plain("meta-data", "5s"));

    private static AgentAction plain(String name, String timeout) {
        return new AgentAction(name, timeout, Optional.empty(), Optional.empty(), false);
    }

    /** The distinct action names, in the order declared: {@code start|stop|monitor|...}. */
    public static String usage() {
        return ALL.stream().map(AgentAction::name).distinct().collect(Collectors.joining("|"));
    }

    /** Whether {@code name} is an action that only a promotable clone has. */
    public static boolean isPromotableOnly(String name) {
        return ALL.stream()
                .anyMatch(action -> action.promotableOnly() && action.name().equals(name));
    }

    /** The element in the meta-data's {@code <actions>}. */
    String toXml() {
        StringBuilder xml = new StringBuilder("<action name=\"")
                .append(name)
                .append("\" timeout=\"")
                .append(timeout)
                .append('"');
        interval.ifPresent(value -> xml.append(" interval=\"").append(value).append("\" depth=\"0\""));
        role.ifPresent(value -> xml.append(" role=\"").append(value).append('"'));
        return xml.append("/>").toString();
    }
}
