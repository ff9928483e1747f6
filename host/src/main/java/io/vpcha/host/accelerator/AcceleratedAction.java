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
    /**
     * How long a strategy's thread that outlived its action may take to end before the service is ended
     * (one heartbeat: its client, which heard the last one, still waits, for at least half a second).
     */
    static final Duration STRATEGY_GRACE = Duration.ofMillis(100);

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
     * {@code heartbeat}. A client that went away (a heartbeat cannot be written) interrupts the action;
     * an action whose code still runs when it is left goes to {@code abandonment}.
     *
     * @param cloud the connections and tokens the service keeps across actions
     */
    void run(
            PluginSource plugins,
            ResidentCloud cloud,
            AcceleratorReply reply,
            Duration heartbeat,
            Abandonment abandonment)
            throws IOException {
        run(plugins, cloud, reply, heartbeat, abandonment, UnaryOperator.identity());
    }

    /**
     * {@link #run(PluginSource, ResidentCloud, AcceleratorReply, Duration, Abandonment)}, with the action's
     * fence seen through {@code fenceSeam}: a test holds a write between the action's decision and the
     * fence.
     *
     * <p>Nothing of an action may run once its launcher went on (it ran the action cold, or took its
     * answer to Pacemaker). So when the action is left with its code running, whatever the reason, the
     * fence is closed first, the thread interrupted, and {@code abandonment} ends the service
     * (docs/accelerator.md, "What outlives an action"):
     *
     * <ul>
     *   <li>its client went away: no grace at all; the client runs the action cold already, and anything
     *       the thread did after that would be late;
     *   <li>the action outlived its deadline plus a heartbeat (it hangs in the host's own code): no grace;
     *       the client hears the connection end and runs the action cold at once;
     *   <li>the action ended but its strategy's thread did not (a plugin that ignored the interrupt at
     *       its deadline, or tried to end the process): that thread gets {@link #STRATEGY_GRACE} to end.
     *       The client still waits meanwhile (it heard a heartbeat within it), so whatever the thread
     *       writes lands before the answer, as in a cold process that ends after its action. Past the
     *       grace, the service sends the action's answer (the timeout's failure, as the cold path gives
     *       it; a cold run now would start with no time left) as its very last act before it ends.
     * </ul>
     */
    void run(
            PluginSource plugins,
            ResidentCloud cloud,
            AcceleratorReply reply,
            Duration heartbeat,
            Abandonment abandonment,
            UnaryOperator<WriteFence> fenceSeam)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Instant start = start();
        ActionDeadline deadline = ActionDeadline.of(start, environment.timeout());
        ClientFence fence = new ClientFence(reply, deadline, Clock.systemUTC());
        WriteFence fenced = fenceSeam.apply(fence);
        OcfAgent agent = OcfAgent.resident(
                plugins,
                environment,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                start,
                cloud,
                fenced);
        // A word at once, before anything of the action runs: a request read near the end of its
        // launcher's wait would otherwise reach a client that gives up before the first heartbeat, and be
        // abandoned with its code running. A client gone already costs nothing: nothing started.
        reply.heartbeat();
        FutureTask<Integer> action = new FutureTask<>(() -> agent.run(request.action()));
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
            // the action's own thread may end at the interrupt while its strategy's thread still runs (held
            // in a call that ignores interrupts): either one still running is code left behind
            if (!action.isDone() || !strategyEnded(agent, Duration.ZERO)) {
                abandonment.abandoned(
                        request.action(),
                        environment.resourceInstance(),
                        String.valueOf(clientGone.getMessage()),
                        Abandonment.Answer.NONE);
            }
            throw clientGone;
        }
        if (!strategyEnded(agent, STRATEGY_GRACE)) {
            String why = "its strategy's thread still ran " + STRATEGY_GRACE.toMillis()
                    + " ms after the action ended: it ignored the interrupt at its deadline, or is held in"
                    + " System.exit";
            fence.close(why);
            String stdout = out.toString(StandardCharsets.UTF_8);
            String stderr = err.toString(StandardCharsets.UTF_8);
            int answered = code;
            abandonment.abandoned(
                    request.action(),
                    environment.resourceInstance(),
                    why,
                    () -> reply.finished(answered, stdout, stderr));
            throw new IOException(why);
        }
        Optional<String> gaveUp = fence.closedBecause();
        if (gaveUp.isPresent()) {
            // some of its writes were dropped: what it found is not reported as done
            throw new IOException("writes dropped: " + gaveUp.get());
        }
        reply.finished(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Whether the action's strategy thread ended within {@code grace} ({@link Duration#ZERO}: whether it has
     * ended now); an interrupt while waiting counts as not ended, with the interrupt kept.
     */
    private static boolean strategyEnded(OcfAgent agent, Duration grace) {
        try {
            return agent.strategyEnded(grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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
