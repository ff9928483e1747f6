package io.vpcha.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Requests per second on loopback. Not part of the normal test run (the class name does not match
 * surefire's patterns); run with
 * {@code mvn -f simulator/pom.xml verify -Dtest=LoadBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * Results go to docs/performance.md.
 */
class LoadBenchmark {
    private static final long WARM_UP_MILLIS = 2_000;
    private static final long MEASURE_MILLIS = 5_000;

    @Test
    void requestsPerSecond() throws Exception {
        try (VpcSimulator simulator = TestScenarios.start()) {
            SimClient setup = new SimClient(simulator).login(TestScenarios.ADMIN_KEY);
            String routes = setup.routesPath("egress");
            String routeId = setup.routeByName("egress", "vip-z2").get("id").getAsString();
            for (int clients : new int[] {1, 4, 16}) {
                run(
                        simulator,
                        setup.token(),
                        clients,
                        "GET route list",
                        client -> client.get(routes).status());
                run(
                        simulator,
                        setup.token(),
                        clients,
                        "PATCH route next hop",
                        client -> client.patch(
                                        routes + "/" + routeId,
                                        "{\"next_hop\":{\"address\":\"10.10."
                                                + (Thread.currentThread().getId() % 2 + 1) + ".10\"}}")
                                .status());
            }
        }
    }

    private interface Call {
        int invoke(SimClient client);
    }

    private static void run(VpcSimulator simulator, String token, int clients, String label, Call call)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        long measureFrom = start + WARM_UP_MILLIS * 1_000_000;
        long end = measureFrom + MEASURE_MILLIS * 1_000_000;
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            futures.add(pool.submit(() -> {
                SimClient client = new SimClient(simulator, HttpClient.newHttpClient()).withToken(token);
                while (System.nanoTime() < end) {
                    int status = call.invoke(client);
                    if (System.nanoTime() >= measureFrom) {
                        done.incrementAndGet();
                        if (status != 200) {
                            failed.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
        double perSecond = done.get() * 1000.0 / MEASURE_MILLIS;
        System.out.printf(
                "BENCHMARK %-22s clients=%2d  %8.0f req/s  (%d calls, %d non-200)%n",
                label, clients, perSecond, done.get(), failed.get());
        assertThat(failed.get()).isZero();
    }
}
