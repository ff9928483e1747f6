package io.vpcha.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.simulator.oracle.TrafficSource;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestConcurrency {
    private static final int CLIENTS = 16;
    private static final int CALLS = 20;
    private static VpcSimulator simulator;
    private String routes;
    private String token;

    @BeforeAll
    static void start() {
        simulator = TestScenarios.start();
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @BeforeEach
    void reset() {
        simulator.reset();
        SimClient client = new SimClient(simulator).login(TestScenarios.ADMIN_KEY);
        routes = client.routesPath("egress");
        token = client.token();
    }

    private <T> List<T> concurrently(int clients, Callable<T> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch ready = new CountDownLatch(clients);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    ready.await();
                    return work.call();
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private SimClient newClient() {
        return new SimClient(
                        simulator,
                        HttpClient.newBuilder()
                                .connectTimeout(Duration.ofSeconds(5))
                                .build())
                .withToken(token);
    }

    @Test
    void concurrentCreatesAreAllKept() throws Exception {
        List<Integer> created = new ArrayList<>();
        AtomicInteger next = new AtomicInteger();
        List<List<Integer>> statuses = concurrently(CLIENTS, () -> {
            SimClient client = newClient();
            List<Integer> mine = new ArrayList<>();
            for (int i = 0; i < CALLS / 2; i++) {
                int n = next.getAndIncrement();
                mine.add(client.post(
                                routes,
                                "{\"name\":\"c-" + n + "\",\"zone\":{\"name\":\"us-south-3\"},\"destination\":\"10."
                                        + (60 + n / 250) + "." + (n % 250)
                                        + ".0/24\",\"next_hop\":{\"address\":\"10.10.1.11\"}}")
                        .status());
            }
            return mine;
        });
        statuses.forEach(created::addAll);

        assertThat(created).hasSize(CLIENTS * CALLS / 2).containsOnly(201);
        SimClient client = newClient();
        assertThat(client.get(routes).json().get("total_count").getAsInt()).isEqualTo(3 + CLIENTS * CALLS / 2);
    }

    @Test
    void ecmpLimitHoldsUnderConcurrentCreates() throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Integer> statuses = concurrently(
                CLIENTS,
                () -> newClient()
                        .post(
                                routes,
                                "{\"name\":\"ecmp-" + next.getAndIncrement()
                                        + "\",\"zone\":{\"name\":\"us-south-3\"},\"destination\":\"10.97.0.0/24\",\"next_hop\":{\"address\":\"10.10.1.11\"}}")
                        .status());

        assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(2);
        assertThat(statuses.stream().filter(s -> s == 400).count()).isEqualTo(CLIENTS - 2);
    }

    @Test
    void concurrentConditionalUpdatesNeverLoseOne() throws Exception {
        // Each client does read-modify-write on one table name with If-Match, retrying on 412:
        // with correct locking every increment lands exactly once.
        String table = routes.substring(0, routes.length() - "/routes".length());
        SimClient setup = newClient();
        assertThat(setup.patch(table, "{\"name\":\"counter-0\"}").status()).isEqualTo(200);
        List<Integer> attempts = concurrently(8, () -> {
            SimClient client = newClient();
            int tries = 0;
            for (int i = 0; i < 5; i++) {
                while (true) {
                    tries++;
                    SimClient.Reply read = client.get(table);
                    int value = Integer.parseInt(
                            read.json().get("name").getAsString().substring("counter-".length()));
                    SimClient.Reply write = client.patch(
                            table,
                            "{\"name\":\"counter-" + (value + 1) + "\"}",
                            read.header("ETag").orElseThrow());
                    if (write.status() == 200) {
                        break;
                    }
                    assertThat(write.status()).isEqualTo(412);
                }
            }
            return tries;
        });

        assertThat(setup.get(table).json().get("name").getAsString()).isEqualTo("counter-40");
        System.out.println("If-Match loop: "
                + attempts.stream().mapToInt(Integer::intValue).sum() + " attempts for 40 increments");
    }

    @Test
    void mixedLoadProducesNoServerErrors() throws Exception {
        String id = newClient().routeByName("egress", "vip-z2").get("id").getAsString();
        List<List<Integer>> statuses = concurrently(CLIENTS, () -> {
            SimClient client = newClient();
            List<Integer> mine = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                String hop = i % 2 == 0 ? "10.10.1.10" : "10.10.2.10";
                mine.add(
                        switch (i % 4) {
                            case 0 -> client.get(routes + "?limit=2").status();
                            case 1 ->
                                client.patch(routes + "/" + id, "{\"next_hop\":{\"address\":\"" + hop + "\"}}")
                                        .status();
                            case 2 -> client.get("/floating_ips").status();
                            default -> client.get("/instances").status();
                        });
                simulator.oracle().deliver("10.99.0.100", TrafficSource.fromZone("us-south-2"));
            }
            return mine;
        });

        assertThat(statuses.stream().flatMap(List::stream))
                .hasSize(CLIENTS * CALLS)
                .containsOnly(200);
        assertThat(simulator.journal().find(e -> e.status() >= 500)).isEmpty();
    }
}
