package io.vpcha.simulator.fault;

import com.google.gson.JsonObject;
import io.vpcha.simulator.http.Json;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * One injected fault. Which calls it applies to: {@code service} (vpc, iam, metadata; null = all but
 * admin), {@code method} (null = any), {@code path} (a glob: {@code *} within one segment, {@code **}
 * across segments; null = any) and {@code instance} (the calling instance's id or name; null = any).
 * How often: {@code count} (the next N matching calls; negative = unlimited) and {@code rate}
 * (probability per matching call, default 1).
 */
public final class FaultRule {
    public enum Kind {
        /** Adds {@code latencyMillis} plus a uniform random 0..{@code jitterMillis}. */
        LATENCY,
        /** Answers {@code status} (with Retry-After when {@code retryAfterSeconds} is set, always on 429). */
        STATUS,
        /** Closes the connection without an answer; the client sees a reset / unexpected end of stream. */
        RESET,
        /** Holds the call {@code hangMillis} (past the client's timeout), then proceeds normally. */
        HANG,
        /** The call succeeds but its change only becomes visible after {@code applyDelayMillis}. */
        APPLY_DELAY
    }

    private String id;
    private final Kind kind;
    private String service;
    private String method;
    private String path;
    private String instance;
    private long latencyMillis;
    private long jitterMillis;
    private int status = 503;
    private String code;
    private Integer retryAfterSeconds;
    private long hangMillis = 30_000;
    private boolean hangAfterProcessing;
    private long applyDelayMillis;
    private double rate = 1.0;
    private final AtomicInteger remaining = new AtomicInteger(-1);
    private final AtomicInteger fired = new AtomicInteger();
    private Pattern pathPattern;

    private FaultRule(Kind kind) {
        this.kind = Objects.requireNonNull(kind, "kind is null");
    }

    public static FaultRule latency(long millis, long jitterMillis) {
        FaultRule rule = new FaultRule(Kind.LATENCY);
        rule.latencyMillis = millis;
        rule.jitterMillis = jitterMillis;
        return rule;
    }

    public static FaultRule status(int status) {
        FaultRule rule = new FaultRule(Kind.STATUS);
        rule.status = status;
        return rule;
    }

    public static FaultRule reset() {
        return new FaultRule(Kind.RESET);
    }

    public static FaultRule hang(long millis) {
        FaultRule rule = new FaultRule(Kind.HANG);
        rule.hangMillis = millis;
        return rule;
    }

    public static FaultRule applyDelay(long millis) {
        FaultRule rule = new FaultRule(Kind.APPLY_DELAY);
        rule.applyDelayMillis = millis;
        return rule;
    }

    /** IAM answers 503 to every token request until the rule is removed. */
    public static FaultRule iamOutage() {
        return status(503).service("iam");
    }

    /** The metadata service drops every connection until the rule is removed. */
    public static FaultRule metadataOutage() {
        return reset().service("metadata");
    }

    public FaultRule service(String service) {
        this.service = service == null ? null : service.toLowerCase(Locale.ROOT);
        return this;
    }

    public FaultRule method(String method) {
        this.method = method == null ? null : method.toUpperCase(Locale.ROOT);
        return this;
    }

    public FaultRule path(String glob) {
        this.path = glob;
        this.pathPattern = glob == null ? null : compileGlob(glob);
        return this;
    }

    public FaultRule instance(String instance) {
        this.instance = instance;
        return this;
    }

    public FaultRule count(int count) {
        remaining.set(count);
        return this;
    }

    public FaultRule rate(double rate) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("rate must be between 0 and 1: " + rate);
        }
        this.rate = rate;
        return this;
    }

    public FaultRule code(String code) {
        this.code = code;
        return this;
    }

    public FaultRule retryAfterSeconds(int seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    /** For HANG: apply the call's effect first, then hold the answer. */
    public FaultRule hangAfterProcessing(boolean after) {
        this.hangAfterProcessing = after;
        return this;
    }

    void assignId(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public Kind kind() {
        return kind;
    }

    public String service() {
        return service;
    }

    public long latencyMillis() {
        return latencyMillis;
    }

    public long jitterMillis() {
        return jitterMillis;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public long hangMillis() {
        return hangMillis;
    }

    public boolean hangAfterProcessing() {
        return hangAfterProcessing;
    }

    public long applyDelayMillis() {
        return applyDelayMillis;
    }

    public int remaining() {
        return remaining.get();
    }

    public int fired() {
        return fired.get();
    }

    boolean matches(String callService, String callMethod, String callPath, String instanceId, String instanceName) {
        if ("admin".equals(callService)) {
            return false;
        }
        if (service != null && !service.equals(callService)) {
            return false;
        }
        if (method != null && !method.equals(callMethod)) {
            return false;
        }
        if (pathPattern != null && !pathPattern.matcher(callPath).matches()) {
            return false;
        }
        if (instance != null && !instance.equals(instanceId) && !instance.equals(instanceName)) {
            return false;
        }
        return remaining.get() != 0;
    }

    /** Consumes one use if the rule fires for this call (rate and remaining count permitting). */
    boolean tryFire(double draw) {
        if (draw >= rate) {
            return false;
        }
        while (true) {
            int current = remaining.get();
            if (current == 0) {
                return false;
            }
            if (current < 0 || remaining.compareAndSet(current, current - 1)) {
                fired.incrementAndGet();
                return true;
            }
        }
    }

    static Pattern compileGlob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else {
                    regex.append("[^/]*");
                }
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    /** Reads a rule from its JSON form (see docs/simulator.md). */
    public static FaultRule fromJson(JsonObject json) {
        String kindText = Json.string(json, "kind");
        if (kindText == null) {
            throw new IllegalArgumentException("fault needs a kind");
        }
        FaultRule rule = switch (kindText.toLowerCase(Locale.ROOT)) {
            case "latency" -> latency(longOr(json, "latency_ms", 0), longOr(json, "jitter_ms", 0));
            case "status" -> status((int) longOr(json, "status", 503));
            case "reset" -> reset();
            case "hang" -> hang(longOr(json, "hang_ms", 30_000));
            case "apply_delay" -> applyDelay(longOr(json, "delay_ms", 1_000));
            case "iam_outage" -> iamOutage();
            case "metadata_outage" -> metadataOutage();
            default -> throw new IllegalArgumentException("unknown fault kind: " + kindText);
        };
        if (json.has("service")) {
            rule.service(Json.string(json, "service"));
        }
        rule.method(Json.string(json, "method"));
        rule.path(Json.string(json, "path"));
        rule.instance(Json.string(json, "instance"));
        rule.code(Json.string(json, "code"));
        if (json.has("retry_after_seconds")) {
            rule.retryAfterSeconds((int) longOr(json, "retry_after_seconds", 1));
        }
        if (json.has("count")) {
            rule.count((int) longOr(json, "count", -1));
        }
        if (json.has("rate")) {
            rule.rate(json.get("rate").getAsDouble());
        }
        if (json.has("after_processing")) {
            rule.hangAfterProcessing(json.get("after_processing").getAsBoolean());
        }
        return rule;
    }

    private static long longOr(JsonObject json, String field, long fallback) {
        return json.has(field) && !json.get(field).isJsonNull()
                ? json.get(field).getAsLong()
                : fallback;
    }

    public JsonObject toJson() {
        Json.Obj obj = Json.object()
                .put("id", id)
                .put("kind", kind.name().toLowerCase(Locale.ROOT))
                .put("service", service)
                .put("method", method)
                .put("path", path)
                .put("instance", instance);
        switch (kind) {
            case LATENCY -> obj.put("latency_ms", latencyMillis).put("jitter_ms", jitterMillis);
            case STATUS -> obj.put("status", status).put("code", code).put("retry_after_seconds", retryAfterSeconds);
            case RESET -> {}
            case HANG -> obj.put("hang_ms", hangMillis).put("after_processing", hangAfterProcessing);
            case APPLY_DELAY -> obj.put("delay_ms", applyDelayMillis);
        }
        return obj.put("rate", rate)
                .put("count", remaining.get())
                .put("fired", fired.get())
                .build();
    }
}
