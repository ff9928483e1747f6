package io.vpcha.host.accelerator;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.cloud.ResidentCloud;
import io.vpcha.host.files.WriteFence;
import io.vpcha.host.ocf.ActionDeadline;
import io.vpcha.host.ocf.OcfAgent;
import io.vpcha.host.ocf.OcfEnvironment;
import io.vpcha.host.plugin.PluginSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * Runs one request's action through the same {@link OcfAgent} as the cold path, with the request's
 * environment, and the deadline counted from the start of the launcher that asked (the action's start,
 * as on the cold path, whose JVM the launcher becomes).
 *
 * <p>Only read-only actions run here: a monitor of a resource that is not an instance of a promotable
 * clone. start, stop, promote and demote write to the cloud; run in a service that can be stopped
 * (SIGSTOP) and resumed after its client fell back, such a write could land after another node took
 * the address. They stay in a process Pacemaker owns and kills. A stop never depends on the service.
 *
 * <p>A monitor writes too, locally: the split-brain guard's takeaway, the metrics, the strategy's state
 * (when it last verified the resource). Each of those writes passes the action's {@link ClientFence}:
 * once its client gave up (the service was stopped or slow) or its deadline passed, nothing more is
 * written, and the action ends given up, without an answer.
 */
final class AcceleratedAction {
    static final Set<String> ACCELERATED = Set.of("monitor", "status");

    private final AcceleratorRequest request;
    private final OcfEnvironment environment;

    AcceleratedAction(AcceleratorRequest request) {
        this.request = requireNonNull(request, "request is null");
        this.environment = new OcfEnvironment(request.environment());
    }

    /** Why the action must run cold instead, if it must. */
    Optional<String> refusal() {
        if (!ACCELERATED.contains(request.action())) {
            return Optional.of(request.action() + " always runs cold");
        }
        if (environment.promotable()) {
            return Optional.of("a promotable instance's monitor runs cold");
        }
        return Optional.empty();
    }

    /** When the action began: when the launcher that asked started, else now. */
    Instant start() {
        return start(Path.of("/proc"), Clock.systemUTC());
    }

    /**
     * {@link #start()} from the launcher's {@link ProcessAge}, read in {@code proc}, against {@code
     * clock}: exact to 10 ms, the same age the service's check whether the request came too late read
     * (ProcessHandle's start instant may be up to a second early: one request judged by two starts).
     */
    Instant start(Path proc, Clock clock) {
        Instant now = clock.instant();
        try {
            return now.minus(ProcessAge.of(request.clientPid(), proc));
        } catch (IOException | RuntimeException cannotTell) {
            return now;
        }
    }

    /**
     * Runs the action on its own thread and answers with its output; while it runs, a heartbeat every
     * {@code heartbeat}. A client that went away (a heartbeat cannot be written) interrupts the action.
     *
     * @param cloud the connections and tokens the service keeps across actions
     */
    void run(PluginSource plugins, ResidentCloud cloud, AcceleratorReply reply, Duration heartbeat) throws IOException {
        run(plugins, cloud, reply, heartbeat, UnaryOperator.identity());
    }

    /**
     * {@link #run(PluginSource, ResidentCloud, AcceleratorReply, Duration)}, with the action's fence seen
     * through {@code fenceSeam}: a test holds a write between the action's decision and the fence.
     */
    void run(
            PluginSource plugins,
            ResidentCloud cloud,
            AcceleratorReply reply,
            Duration heartbeat,
            UnaryOperator<WriteFence> fenceSeam)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Instant start = start();
        ActionDeadline deadline = ActionDeadline.of(start, environment.timeout());
        ClientFence fence = new ClientFence(reply, deadline, Clock.systemUTC());
        WriteFence fenced = fenceSeam.apply(fence);
        FutureTask<Integer> action = new FutureTask<>(() -> OcfAgent.resident(
                        plugins,
                        environment,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        start,
                        cloud,
                        fenced)
                .run(request.action()));
        Thread worker = new Thread(action, "vpc-ha-accelerated-" + environment.resourceInstance());
        worker.setDaemon(true);
        worker.start();
        int code;
        try {
            code = awaitWithHeartbeats(action, reply, heartbeat, deadline);
        } catch (IOException clientGone) {
            // before the worker may write again: whatever it decided is dropped
            fence.close(String.valueOf(clientGone.getMessage()));
            worker.interrupt();
            throw clientGone;
        }
        Optional<String> gaveUp = fence.closedBecause();
        if (gaveUp.isPresent()) {
            // some of its writes were dropped: what it found is not reported as done
            throw new IOException("writes dropped: " + gaveUp.get());
        }
        reply.finished(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static int awaitWithHeartbeats(
            FutureTask<Integer> action, AcceleratorReply reply, Duration heartbeat, ActionDeadline deadline)
            throws IOException {
        while (true) {
            try {
                return action.get(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillRunning) {
                // the agent ends its action at the deadline itself; past it (plus a heartbeat) something
                // in the service is wrong: send nothing more and let the client's inactivity timeout
                // fall back
                if (deadline.remaining().plus(heartbeat).isNegative()) {
                    throw new IOException("the action outlived its deadline", stillRunning);
                }
                reply.heartbeat();
            } catch (ExecutionException e) {
                throw new IOException("the action failed in the service", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("the service is stopping", e);
            }
        }
    }
}
