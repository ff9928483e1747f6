package io.vpcha.strategy.customroute;

import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.StrategyException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Runs one piece of work per routing table (or per route) on a few threads, so that N tables cost the
 * time of one round trip rather than N. Every item's outcome is kept: one table failing never hides another's
 * success. Threads are daemons (an action past its deadline must not keep the JVM alive).
 */
final class Parallel {
    private Parallel() {}

    @FunctionalInterface
    interface Work<T, R> {
        R apply(T item) throws StrategyException;
    }

    /** The outcome for one item: its result, or the failure. */
    record Outcome<T, R>(T item, R result, StrategyException failure) {
        boolean failed() {
            return failure != null;
        }
    }

    /**
     * Runs the first item alone, then the rest on up to {@code parallelism} threads: for the first
     * requests of an action (a monitor), whose first request opens the connection and the TLS session
     * that the others then reuse, one round trip later, instead of every thread paying a cold handshake
     * at once.
     */
    static <T, R> List<Outcome<T, R>> forEach(List<T> items, int parallelism, Work<T, R> work) {
        return runAll(items, parallelism, work, true);
    }

    /**
     * Runs up to {@code parallelism} items at the same time from the start: for the rounds of a
     * failover, where each round of requests costs one round trip whatever the number of its requests,
     * and what users wait for is the number of rounds. A request that finds no idle connection opens
     * one (two more round trips, during which the other requests of the round run).
     */
    static <T, R> List<Outcome<T, R>> atOnce(List<T> items, int parallelism, Work<T, R> work) {
        return runAll(items, parallelism, work, false);
    }

    private static <T, R> List<Outcome<T, R>> runAll(
            List<T> items, int parallelism, Work<T, R> work, boolean firstAlone) {
        if (items.size() <= 1 || parallelism <= 1) {
            List<Outcome<T, R>> outcomes = new ArrayList<>();
            for (T item : items) {
                outcomes.add(run(item, work));
            }
            return outcomes;
        }
        AtomicInteger counter = new AtomicInteger();
        // the calling thread runs the first item: the pool runs the others, as many at once as the caller
        // is allowed beside it (all of them after the first when the first runs alone)
        int threads = Math.min(firstAlone ? parallelism : parallelism - 1, items.size() - 1);
        ExecutorService executor = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "custom-route-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Outcome<T, R>> outcomes = new ArrayList<>();
            List<Future<Outcome<T, R>>> futures = new ArrayList<>();
            if (firstAlone) {
                outcomes.add(run(items.get(0), work));
            }
            for (T item : items.subList(1, items.size())) {
                futures.add(executor.submit(() -> run(item, work)));
            }
            if (!firstAlone) {
                outcomes.add(run(items.get(0), work));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    outcomes.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    outcomes.add(new Outcome<>(
                            items.get(i + 1), null, StrategyException.generic("unexpected failure: " + e.getCause())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    outcomes.add(new Outcome<>(items.get(i + 1), null, StrategyException.generic("interrupted")));
                }
            }
            return outcomes;
        } finally {
            executor.shutdownNow();
        }
    }

    /**
     * Fails with every failed item's reason when any failed: the first kind other than GENERIC (a
     * configuration or permission problem says more), else GENERIC.
     */
    static <T, R> void failIfAny(List<Outcome<T, R>> outcomes, String what) throws StrategyException {
        List<Outcome<T, R>> failed = outcomes.stream().filter(Outcome::failed).toList();
        if (failed.isEmpty()) {
            return;
        }
        String reasons =
                failed.stream().map(outcome -> outcome.failure().reason()).collect(Collectors.joining("; "));
        ErrorKind kind = failed.stream()
                .map(outcome -> outcome.failure().kind())
                .filter(k -> k != ErrorKind.GENERIC)
                .findFirst()
                .orElse(ErrorKind.GENERIC);
        throw new StrategyException(kind, what + ": " + reasons);
    }

    private static <T, R> Outcome<T, R> run(T item, Work<T, R> work) {
        try {
            return new Outcome<>(item, work.apply(item), null);
        } catch (StrategyException e) {
            return new Outcome<>(item, null, e);
        } catch (RuntimeException e) {
            return new Outcome<>(item, null, StrategyException.generic("unexpected failure: " + e));
        }
    }
}
