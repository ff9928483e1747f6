package io.vpcha.simulator.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Maps METHOD + path template ({@code /v1/vpcs/{vpc_id}/routing_tables}) to handlers. */
public final class Router {
    private final List<Entry> entries = new ArrayList<>();

    public Router add(String method, String template, Handler handler) {
        entries.add(new Entry(method, template, List.of(template.substring(1).split("/", -1)), handler));
        return this;
    }

    /** The best match: the one with the most literal segments among templates of the right length. */
    public Optional<Match> match(String method, String path) {
        String[] segments =
                path.length() <= 1 ? new String[0] : path.substring(1).split("/");
        Match best = null;
        int bestLiterals = -1;
        boolean pathMatched = false;
        for (Entry entry : entries) {
            Map<String, String> parameters = bind(entry.segments(), segments);
            if (parameters == null) {
                continue;
            }
            pathMatched = true;
            if (!entry.method().equals(method)) {
                continue;
            }
            int literals = 0;
            for (String segment : entry.segments()) {
                if (!segment.startsWith("{")) {
                    literals++;
                }
            }
            if (literals > bestLiterals) {
                best = new Match(entry.template(), entry.handler(), parameters);
                bestLiterals = literals;
            }
        }
        if (best == null && pathMatched) {
            throw new ApiException(405, "method_not_allowed", "Method " + method + " is not allowed on " + path);
        }
        return Optional.ofNullable(best);
    }

    /** The template of any entry matching the path (whatever the method), for journal grouping. */
    public Optional<String> templateOf(String path) {
        String[] segments =
                path.length() <= 1 ? new String[0] : path.substring(1).split("/");
        return entries.stream()
                .filter(entry -> bind(entry.segments(), segments) != null)
                .map(Entry::template)
                .findFirst();
    }

    private static Map<String, String> bind(List<String> template, String[] path) {
        if (template.size() != path.length) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < path.length; i++) {
            String segment = template.get(i);
            if (segment.startsWith("{") && segment.endsWith("}")) {
                if (path[i].isEmpty()) {
                    return null;
                }
                parameters.put(segment.substring(1, segment.length() - 1), path[i]);
            } else if (!segment.equals(path[i])) {
                return null;
            }
        }
        return parameters;
    }

    @FunctionalInterface
    public interface Handler {
        Response handle(Request request);
    }

    public record Match(String template, Handler handler, Map<String, String> parameters) {}

    private record Entry(String method, String template, List<String> segments, Handler handler) {}
}
