package io.vpcha.simulator.vpc;

import io.vpcha.simulator.events.EventLog;
import io.vpcha.simulator.http.Json;
import io.vpcha.simulator.state.Behaviour;
import io.vpcha.simulator.state.Instance;
import io.vpcha.simulator.state.SimulatorState;
import java.util.List;

/**
 * Instance power: the {@code start}, {@code stop} and {@code reboot} actions and the status changes they
 * go through ({@code stopping} then {@code stopped}, {@code starting} then {@code running},
 * {@code restarting} then {@code running}), each after a configurable delay on the simulator's clock.
 * Every status change is published as an {@link EventLog#INSTANCE_STATUS} event. Call inside
 * {@link SimulatorState#write}.
 */
public final class PowerActions {
    /** The statuses an instance can be given (IBM's instance status values). */
    public static final List<String> STATUSES =
            List.of("deleting", "failed", "pending", "restarting", "running", "starting", "stopped", "stopping");

    private PowerActions() {}

    /** Starts a power action; the instance shows the transitional status at once and the final one later. */
    public static void act(SimulatorState s, Behaviour behaviour, Instance instance, String type, boolean force) {
        long generation = ++instance.powerGeneration;
        String cause = "action " + type + (force ? " (force)" : "");
        switch (type) {
            case "stop" -> {
                if (instance.status.equals("stopped")) {
                    return;
                }
                transition(s, instance, generation, "stopping", "stopped", behaviour.instanceStopMillis, cause);
            }
            case "start" -> {
                if (instance.status.equals("running")) {
                    return;
                }
                transition(s, instance, generation, "starting", "running", behaviour.instanceStartMillis, cause);
            }
            case "reboot" ->
                transition(s, instance, generation, "restarting", "running", behaviour.instanceRebootMillis, cause);
            default -> throw new IllegalArgumentException("unknown action " + type);
        }
    }

    private static void transition(
            SimulatorState s,
            Instance instance,
            long generation,
            String during,
            String after,
            long delayMillis,
            String cause) {
        setStatus(s, instance, during, cause);
        Runnable finish = () -> {
            // A newer action (or a reset) supersedes this one.
            if (instance.powerGeneration == generation && s.instances.get(instance.id) == instance) {
                setStatus(s, instance, after, cause);
            }
        };
        if (delayMillis <= 0) {
            finish.run();
        } else {
            s.applyLater(delayMillis * 1_000_000L, finish);
        }
    }

    /** Sets the status (cancelling any transition under way) and publishes the change. */
    public static void setStatusNow(SimulatorState s, Instance instance, String status, String cause) {
        instance.powerGeneration++;
        setStatus(s, instance, status, cause);
    }

    private static void setStatus(SimulatorState s, Instance instance, String status, String cause) {
        String previous = instance.status;
        if (previous.equals(status)) {
            return;
        }
        instance.status = status;
        instance.touch();
        s.events()
                .publish(
                        EventLog.INSTANCE_STATUS,
                        Json.object()
                                .put(
                                        "instance",
                                        Json.object().put("id", instance.id).put("name", instance.name))
                                .put("status", status)
                                .put("previous", previous)
                                .put("cause", cause)
                                .build());
    }
}
