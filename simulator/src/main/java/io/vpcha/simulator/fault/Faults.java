package io.vpcha.simulator.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** The live set of injected faults; thread-safe. Changed from tests, the scenario or {@code /sim/faults}. */
public final class Faults {
    private final List<FaultRule> rules = new CopyOnWriteArrayList<>();
    private final AtomicLong nextId = new AtomicLong();
    private final Random random;

    public Faults(long seed) {
        this.random = new Random(seed);
    }

    /** Adds a rule and returns it (with its id assigned). */
    public FaultRule add(FaultRule rule) {
        rule.assignId("fault-" + nextId.incrementAndGet());
        rules.add(rule);
        return rule;
    }

    public List<FaultRule> list() {
        return List.copyOf(rules);
    }

    public Optional<FaultRule> get(String id) {
        return rules.stream().filter(rule -> rule.id().equals(id)).findFirst();
    }

    public boolean remove(String id) {
        return rules.removeIf(rule -> rule.id().equals(id));
    }

    /** Runs {@code action} with {@code rule} in force, and removes the rule afterwards whatever happens. */
    public <T> T during(FaultRule rule, Supplier<T> action) {
        FaultRule added = add(rule);
        try {
            return action.get();
        } finally {
            remove(added.id());
        }
    }

    /**
     * Refuses every call of {@code methods} to {@code service} with 403 not_authorized, as IAM refuses a
     * credential without the actions they need (e.g. the writes of a read-only key), until the rules are
     * removed or cleared.
     *
     * @return the rules added, one per method
     */
    public List<FaultRule> forbid(String service, String... methods) {
        List<FaultRule> added = new ArrayList<>();
        for (String method : methods) {
            added.add(add(
                    FaultRule.status(403).code("not_authorized").method(method).service(service)));
        }
        return List.copyOf(added);
    }

    public void clear() {
        rules.clear();
    }

    /** Decides what happens to one call. Each matching rule fires at most once per call. */
    public Decision evaluate(String service, String method, String path, String instanceId, String instanceName) {
        long latency = 0;
        long applyDelay = 0;
        FaultRule terminal = null;
        List<String> applied = new ArrayList<>();
        for (FaultRule rule : rules) {
            if (!rule.matches(service, method, path, instanceId, instanceName)) {
                continue;
            }
            boolean isTerminal = rule.kind() == FaultRule.Kind.STATUS
                    || rule.kind() == FaultRule.Kind.RESET
                    || rule.kind() == FaultRule.Kind.HANG;
            if (isTerminal && terminal != null) {
                continue;
            }
            if (!rule.tryFire(draw())) {
                continue;
            }
            applied.add(rule.id());
            switch (rule.kind()) {
                case LATENCY ->
                    latency += rule.latencyMillis()
                            + (rule.jitterMillis() > 0 ? (long) (draw() * (rule.jitterMillis() + 1)) : 0);
                case APPLY_DELAY -> applyDelay = Math.max(applyDelay, rule.applyDelayMillis());
                case STATUS, RESET, HANG -> terminal = rule;
            }
        }
        return new Decision(latency, applyDelay, terminal, List.copyOf(applied));
    }

    private double draw() {
        synchronized (random) {
            return random.nextDouble();
        }
    }

    /** What to do with a call: added latency, apply delay, and at most one status/reset/hang rule. */
    public record Decision(long latencyMillis, long applyDelayMillis, FaultRule terminal, List<String> appliedRuleIds) {
        public boolean isEmpty() {
            return appliedRuleIds.isEmpty();
        }
    }
}
