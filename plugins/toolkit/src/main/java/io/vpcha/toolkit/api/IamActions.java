package io.vpcha.toolkit.api;

import static java.util.Objects.requireNonNull;

import io.vpcha.spi.cloud.ApiRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a plugin's raw requests need in IAM, written down once per plugin: request patterns such as
 * {@code PATCH /public_address_ranges/{id}} with the IAM action each needs (docs/iam-policy.md). A
 * {@link RawApi} given the table ends the reason of a refused request (403, or 401 after a fresh token)
 * with {@code (needs IAM action A)}, the form the host's typed client uses too, and the agent puts it
 * first in its one-line exit reason, where the admin sees which action to grant.
 *
 * <p>Where IBM's public material does not say which action a request checks, say so with {@link
 * Builder#probably}: the refusal then reads {@code probably needs IAM action A}.
 */
public final class IamActions {
    /** No request's action is known: refusals say only what the API said. */
    public static final IamActions NONE = builder().build();

    private final List<Entry> entries;

    private IamActions(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * What {@code request} needs, e.g. {@code needs IAM action is.subnet.subnet.read}; empty when the
     * table has no pattern for it. Never a secret: only what the table holds.
     */
    public Optional<String> needs(ApiRequest request) {
        List<String> segments = segments(request.path());
        return entries.stream()
                .filter(entry -> entry.method.equals(request.method()) && entry.matches(segments))
                .map(entry -> entry.needs)
                .findFirst();
    }

    /**
     * The table: each request pattern as docs/iam-policy.md writes it (e.g. {@code GET /subnets/{subnet}})
     * with what it needs, in the order given; for tests that hold the table and the docs together.
     */
    public Map<String, String> byRequest() {
        Map<String, String> table = new LinkedHashMap<>();
        entries.forEach(entry -> table.putIfAbsent(entry.request(), entry.needs));
        return Collections.unmodifiableMap(table);
    }

    @Override
    public String toString() {
        return byRequest().toString();
    }

    private static List<String> segments(String path) {
        String bare = path.startsWith("/") ? path.substring(1) : path;
        return List.of(bare.split("/", -1));
    }

    /** Builds an {@link IamActions}. */
    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();

        private Builder() {}

        /**
         * Requests of {@code method} to paths of {@code pattern} need {@code action} (and whatever
         * {@code more} names, e.g. {@code "and probably is.vpc.vpc.operate"}).
         *
         * @param pattern a path below {@code /v1}; a segment in braces ({@code {id}}) stands for any one
         *     segment
         */
        public Builder needs(String method, String pattern, String action, String... more) {
            return add(method, pattern, "needs IAM action " + join(action, more));
        }

        /** As {@link #needs}, for an action the public material does not confirm: "probably needs ...". */
        public Builder probably(String method, String pattern, String action, String... more) {
            return add(method, pattern, "probably needs IAM action " + join(action, more));
        }

        public IamActions build() {
            return new IamActions(entries);
        }

        private Builder add(String method, String pattern, String needs) {
            requireNonNull(method, "method is null");
            requireNonNull(pattern, "pattern is null");
            if (!pattern.startsWith("/")) {
                throw new IllegalArgumentException("pattern does not start with /: " + pattern);
            }
            if (needs.indexOf('(') >= 0 || needs.indexOf(')') >= 0) {
                // the reason ends with "(needs ...)": a parenthesis inside would end it early
                throw new IllegalArgumentException("no parentheses in an IAM action: " + needs);
            }
            entries.add(new Entry(method, segments(pattern), needs));
            return this;
        }

        private static String join(String action, String... more) {
            requireNonNull(action, "action is null");
            return more.length == 0 ? action : action + " " + String.join(" ", more);
        }
    }

    private record Entry(String method, List<String> pattern, String needs) {
        String request() {
            return method + " /" + String.join("/", pattern);
        }

        boolean matches(List<String> segments) {
            if (segments.size() != pattern.size()) {
                return false;
            }
            for (int i = 0; i < pattern.size(); i++) {
                String expected = pattern.get(i);
                boolean any = expected.startsWith("{") && expected.endsWith("}");
                if (!any && !expected.equals(segments.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }
}
