package io.vpcha.simulator.lb;

import io.vpcha.simulator.events.EventLog;
import io.vpcha.simulator.http.Json;
import io.vpcha.simulator.state.Behaviour;
import io.vpcha.simulator.state.Instance;
import io.vpcha.simulator.state.LoadBalancer;
import io.vpcha.simulator.state.SimulatorState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pools' health monitors, for real: every {@code delay} seconds (on the simulator's clock) each
 * member of each pool is probed at its address and port over TCP (a connect; for {@code http} a GET of
 * {@code url_path} that must answer 200), within {@code timeout} seconds. A member whose instance is not
 * running fails without a probe. {@code max_retries} failures in a row make a member {@code faulted};
 * passes in a row ({@link Behaviour#loadBalancerHealthyThreshold}, by default {@code max_retries}) make
 * it {@code ok} again, and a member of {@code unknown} health is {@code ok} after its first pass. Each
 * change is published as an {@link EventLog#MEMBER_HEALTH} event.
 *
 * <p>Probes run on daemon threads of their own, never inside the state lock; {@link #close} stops them.
 * In the cluster tests the members are network namespaces with their own addresses, so a probe reaches
 * exactly the node's listener.
 */
public final class HealthChecks implements AutoCloseable {
    /** How long {@link #close} waits for the probes' threads to end. */
    private static final int CLOSE_WAIT_SECONDS = 5;

    private final SimulatorState state;
    private final Behaviour behaviour;
    private final ExecutorService probes;
    private final Set<String> poolsInFlight = ConcurrentHashMap.newKeySet();
    private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();

    public HealthChecks(SimulatorState state, Behaviour behaviour) {
        this.state = state;
        this.behaviour = behaviour;
        AtomicInteger counter = new AtomicInteger();
        this.probes = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "vpc-simulator-health-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts every health-check round that has come due. With {@code wait}, returns only when they are
     * done and their results applied (a manual clock's advance); otherwise they finish in the background.
     */
    public void runDue(boolean wait) {
        if (!behaviour.probesMembers() || probes.isShutdown()) {
            return;
        }
        List<Round> rounds = state.write(s -> dueRounds(s));
        List<Future<?>> started = new ArrayList<>();
        for (Round round : rounds) {
            try {
                started.add(probes.submit(() -> run(round)));
            } catch (RejectedExecutionException e) {
                poolsInFlight.remove(round.poolId());
            }
        }
        if (!wait) {
            return;
        }
        for (Future<?> future : started) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                throw new IllegalStateException("health check failed", e.getCause());
            }
        }
    }

    /** Nanoseconds until the next round is due (0 when overdue), or -1 when there is nothing to probe. */
    public long nanosUntilNextDue() {
        if (!behaviour.probesMembers()) {
            return -1;
        }
        return state.read(s -> {
            long now = s.clock().nanoTime();
            long next = -1;
            for (LoadBalancer lb : s.loadBalancers.values()) {
                for (LoadBalancer.Pool pool : lb.pools.values()) {
                    if (pool.members.isEmpty() || poolsInFlight.contains(pool.id)) {
                        continue;
                    }
                    long left = Math.max(0, pool.nextProbeNanos - now);
                    next = next < 0 ? left : Math.min(next, left);
                }
            }
            return next;
        });
    }

    private List<Round> dueRounds(SimulatorState s) {
        long now = s.clock().nanoTime();
        List<Round> rounds = new ArrayList<>();
        for (LoadBalancer lb : s.loadBalancers.values()) {
            for (LoadBalancer.Pool pool : lb.pools.values()) {
                if (pool.members.isEmpty() || pool.nextProbeNanos - now > 0 || !poolsInFlight.add(pool.id)) {
                    continue;
                }
                pool.nextProbeNanos = now + pool.healthMonitor.delay * 1_000_000_000L;
                List<Probe> targets = new ArrayList<>();
                for (LoadBalancer.Member member : pool.members.values()) {
                    Optional<String> address = memberAddress(s, member);
                    Instance instance = memberInstance(s, member);
                    boolean running = instance == null || instance.isRunning();
                    int port = pool.healthMonitor.port != null ? pool.healthMonitor.port : member.port;
                    targets.add(new Probe(member.id, address.orElse(null), port, running));
                }
                LoadBalancer.HealthMonitor monitor = pool.healthMonitor;
                rounds.add(new Round(
                        lb.id, pool.id, monitor.type, monitor.urlPath, monitor.timeout, monitor.maxRetries, targets));
            }
        }
        return rounds;
    }

    /** The instance a member stands for: its target instance, or the holder of its target address. */
    public static Instance memberInstance(SimulatorState s, LoadBalancer.Member member) {
        if (member.targetInstanceId != null) {
            return s.instances.get(member.targetInstanceId);
        }
        return member.targetAddress == null
                ? null
                : s.instanceByAddress(member.targetAddress).orElse(null);
    }

    /** The address a member is reached at: its target address, or its instance's primary address. */
    public static Optional<String> memberAddress(SimulatorState s, LoadBalancer.Member member) {
        if (member.targetAddress != null) {
            return Optional.of(member.targetAddress);
        }
        Instance instance = s.instances.get(member.targetInstanceId);
        if (instance == null) {
            return Optional.empty();
        }
        List<String> addresses = s.addressesOf(instance);
        return addresses.isEmpty() ? Optional.empty() : Optional.of(addresses.get(0));
    }

    private void run(Round round) {
        try {
            Map<String, Boolean> results = new ConcurrentHashMap<>();
            List<Future<?>> running = new ArrayList<>();
            for (Probe probe : round.targets()) {
                running.add(probes.submit(() -> results.put(probe.memberId(), passes(round, probe))));
            }
            for (Future<?> future : running) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    // a probe that threw counts as failed (absent from the results)
                }
            }
            state.update(s -> apply(s, round, results));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            poolsInFlight.remove(round.poolId());
        }
    }

    private boolean passes(Round round, Probe probe) {
        if (!probe.running() || probe.address() == null) {
            return false;
        }
        int timeoutMillis = Math.max(1, round.timeoutSeconds()) * 1000;
        try (Socket socket = new Socket()) {
            openSockets.add(socket);
            if (probes.isShutdown()) {
                return false;
            }
            socket.connect(new InetSocketAddress(probe.address(), probe.port()), timeoutMillis);
            if (!"http".equals(round.type())) {
                return true; // tcp; https is checked as a TCP connect (no TLS handshake)
            }
            socket.setSoTimeout(timeoutMillis);
            String path = round.urlPath() == null ? "/" : round.urlPath();
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + probe.address() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return statusLine(socket.getInputStream()).matches("HTTP/1\\.[01] 200( .*)?");
        } catch (IOException | IllegalArgumentException e) {
            return false;
        } finally {
            openSockets.removeIf(Socket::isClosed);
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n' && line.length() < 200) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private void apply(SimulatorState s, Round round, Map<String, Boolean> results) {
        LoadBalancer lb = s.loadBalancers.get(round.loadBalancerId());
        LoadBalancer.Pool pool = lb == null ? null : lb.pools.get(round.poolId());
        if (pool == null) {
            return;
        }
        int healthyAfter = behaviour.loadBalancerHealthyThreshold > 0
                ? behaviour.loadBalancerHealthyThreshold
                : Math.max(1, round.maxRetries());
        for (Probe probe : round.targets()) {
            LoadBalancer.Member member = pool.members.get(probe.memberId());
            if (member == null) {
                continue; // removed while probing
            }
            boolean passed = results.getOrDefault(probe.memberId(), false);
            member.probeStreak = passed ? Math.max(member.probeStreak, 0) + 1 : Math.min(member.probeStreak, 0) - 1;
            String health = member.health;
            if (passed && (member.probeStreak >= healthyAfter || "unknown".equals(health))) {
                health = "ok";
            } else if (!passed && -member.probeStreak >= Math.max(1, round.maxRetries())) {
                health = "faulted";
            }
            setHealth(s, lb, pool, member, health, "health check " + (passed ? "passed" : "failed"));
        }
    }

    /** Sets a member's health and publishes the change. */
    public static void setHealth(
            SimulatorState s,
            LoadBalancer lb,
            LoadBalancer.Pool pool,
            LoadBalancer.Member member,
            String health,
            String cause) {
        String previous = member.health;
        if (previous.equals(health)) {
            return;
        }
        member.health = health;
        member.touch();
        s.events()
                .publish(
                        EventLog.MEMBER_HEALTH,
                        Json.object()
                                .put(
                                        "load_balancer",
                                        Json.object().put("id", lb.id).put("name", lb.name))
                                .put("pool", Json.object().put("id", pool.id).put("name", pool.name))
                                .put("member", member.id)
                                .put("health", health)
                                .put("previous", previous)
                                .put("cause", cause)
                                .build());
    }

    /**
     * Stops the probes: a probe under way has its socket closed, its result is dropped, and its thread
     * has ended when this returns (a closed simulator leaves no thread behind).
     */
    @Override
    public void close() {
        probes.shutdownNow();
        for (Socket socket : openSockets) {
            try {
                socket.close(); // ends a connect or read under way at once
            } catch (IOException e) {
                // closing anyway
            }
        }
        openSockets.clear();
        try {
            // interrupted and with their sockets closed, the probes end at once; the bound is for a probe
            // between taking its socket and registering it, which ends within its own timeout
            probes.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Probe(String memberId, String address, int port, boolean running) {}

    private record Round(
            String loadBalancerId,
            String poolId,
            String type,
            String urlPath,
            int timeoutSeconds,
            int maxRetries,
            List<Probe> targets) {}
}
