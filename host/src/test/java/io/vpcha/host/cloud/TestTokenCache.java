package io.vpcha.host.cloud;

import static io.vpcha.host.cloud.CloudFixture.HA_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vpcha.host.cloud.auth.TokenCacheNames;
import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.fault.FaultRule;
import io.vpcha.simulator.scenario.Scenario;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token cache within one process (threads, and two actions at once) and its directory: one IAM
 * request per expiry whatever the threads, the file read once per action, and no directory trusted
 * that someone else could change. The cache across processes: {@link TestTokenCacheAcrossProcesses}.
 */
@Timeout(60)
class TestTokenCache {
    private static final int NOBODY = 65534;
    private static VpcSimulator simulator;

    @TempDir
    Path work;

    private CloudFixture fixture;
    private ExecutorService threads;

    @BeforeAll
    static void startSimulator() {
        simulator = VpcSimulator.builder()
                .scenario(Scenario.threeZone())
                .perInstanceMetadata(true)
                .start();
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    @BeforeEach
    void reset() throws Exception {
        simulator.reset();
        fixture = new CloudFixture(simulator, Files.createDirectory(work.resolve("tokens")));
        threads = Executors.newFixedThreadPool(8);
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
        fixture.close();
    }

    @Test
    void threadsOfOneActionRefreshingAtOnceMakeOneIamRequest() throws Exception {
        // slow IAM: every thread asks while the first one's request is still out
        simulator.faults().add(FaultRule.latency(500, 0).service("iam"));
        HostCloudAccess action = fixture.access(fixture.parameters("node-a", "api_key", HA_KEY));

        List<Integer> sizes = allAtOnce(8, i -> action.vpc().listFloatingIps().size());

        assertThat(sizes).hasSize(8).allSatisfy(size -> assertThat(size).isPositive());
        assertThat(fixture.iamRequests()).isEqualTo(1);
    }

    @Test
    void twoActionsOfOneProcessShareTheFileLockWithoutOverlapping() throws Exception {
        // two actions in one JVM (the demo, the doctor) lock the same file: the JVM's own lock orders them
        simulator.faults().add(FaultRule.latency(500, 0).service("iam"));
        Map<String, String> parameters = fixture.parameters("node-a", "api_key", HA_KEY);
        HostCloudAccess first = fixture.access(parameters);
        HostCloudAccess second = fixture.access(parameters);

        List<Integer> sizes = allAtOnce(
                8, i -> (i % 2 == 0 ? first : second).vpc().listFloatingIps().size());

        assertThat(sizes).hasSize(8);
        assertThat(fixture.log.text()).doesNotContain("unusable");
        assertThat(fixture.iamRequests()).isEqualTo(1);
    }

    @Test
    void aRevokedTokenIsReplacedOnceWhateverTheThreadsItFailed() throws Exception {
        Map<String, String> parameters = fixture.parameters("node-a", "api_key", HA_KEY);
        fixture.access(parameters).vpc().listFloatingIps();
        writeCachedToken("revoked-token-value", Instant.now(), Instant.now().plusSeconds(3600));
        HostCloudAccess action = fixture.access(parameters);

        // every thread's first call is answered 401; the refresh happens once
        List<Integer> sizes = allAtOnce(8, i -> action.vpc().listFloatingIps().size());

        assertThat(sizes).hasSize(8);
        assertThat(fixture.iamRequests()).isEqualTo(2);
    }

    @Test
    void theCacheFileIsReadOncePerAction() throws Exception {
        Map<String, String> parameters = fixture.parameters("node-a", "api_key", HA_KEY);
        HostCloudAccess action = fixture.access(parameters);
        action.vpc().listFloatingIps();
        Files.delete(cacheFile());

        for (int i = 0; i < 5; i++) {
            action.vpc().listFloatingIps();
        }
        assertThat(fixture.iamRequests()).as("the action keeps its token").isEqualTo(1);

        fixture.access(parameters).vpc().listFloatingIps();
        assertThat(fixture.iamRequests())
                .as("the next action reads the file, finds none")
                .isEqualTo(2);
    }

    @Test
    void aDirectoryVpcHaMakesIsPrivateAndAnExistingOneKeepsItsMode() throws Exception {
        Path made = work.resolve("run/vpc-ha");
        fixture.access(fixture.parameters("node-a", "api_key", HA_KEY, "token_cache_dir", made.toString()))
                .vpc()
                .listFloatingIps();
        assertThat(Files.getPosixFilePermissions(made)).isEqualTo(PosixFilePermissions.fromString("rwx------"));

        Path existing = Files.createDirectory(
                work.resolve("existing"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
        fixture.access(fixture.parameters("node-a", "api_key", HA_KEY, "token_cache_dir", existing.toString()))
                .vpc()
                .listFloatingIps();
        assertThat(Files.getPosixFilePermissions(existing)).isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
        try (var files = Files.list(existing)) {
            assertThat(files.filter(file -> !file.toString().endsWith(".lock")))
                    .singleElement()
                    .satisfies(file -> assertThat(Files.getPosixFilePermissions(file))
                            .isEqualTo(PosixFilePermissions.fromString("rw-------")));
        }
    }

    @Test
    void aDirectoryAnotherUserOwnsIsRefusedAndItsPlantedLinksNeverFollowed() throws Exception {
        assumeRoot();
        Path foreign = Files.createDirectory(work.resolve("foreign"));
        Path victim = Files.writeString(work.resolve("victim"), "precious");
        String name = cacheFile().getFileName().toString();
        Files.createSymbolicLink(foreign.resolve(name + ".lock"), victim);
        Files.createSymbolicLink(foreign.resolve(name), victim);
        Files.setAttribute(foreign, "unix:uid", NOBODY);

        assertThatThrownBy(() -> fixture.access(
                                fixture.parameters("node-a", "api_key", HA_KEY, "token_cache_dir", foreign.toString()))
                        .vpc()
                        .listFloatingIps())
                .isInstanceOfSatisfying(
                        CloudException.class,
                        e -> assertThat(e.cloudErrorKind()).isEqualTo(CloudErrorKind.CONFIGURATION))
                .hasMessageContaining("token_cache_dir refused: chown root " + foreign.toRealPath() + " (it is owned "
                        + "by uid " + NOBODY + ")");
        assertThat(Files.readString(victim)).isEqualTo("precious");
        assertThat(fixture.iamRequests()).isZero();
    }

    @Test
    void aDirectoryOthersCanWriteToOrBelowOneIsRefused() throws Exception {
        assumeRoot();
        Path open = Files.createDirectory(work.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> fixture.access(
                                fixture.parameters("node-a", "api_key", HA_KEY, "token_cache_dir", open.toString()))
                        .vpc()
                        .listFloatingIps())
                .hasMessageContaining("token_cache_dir refused: chmod go-w " + open.toRealPath());

        Path theirs = Files.createDirectory(work.resolve("theirs"));
        Path below = Files.createDirectory(theirs.resolve("tokens"));
        Files.setAttribute(theirs, "unix:uid", NOBODY);
        assertThatThrownBy(() -> fixture.access(
                                fixture.parameters("node-a", "api_key", HA_KEY, "token_cache_dir", below.toString()))
                        .vpc()
                        .listFloatingIps())
                .as("its owner could rename it and put another in its place")
                .hasMessageContaining("token_cache_dir refused: chown root " + theirs.toRealPath());

        Path link = Files.createSymbolicLink(work.resolve("link"), open);
        assertThatThrownBy(() -> fixture.access(
                                fixture.parameters("node-a", "api_key", HA_KEY, "token_cache_dir", link.toString()))
                        .vpc()
                        .listFloatingIps())
                .hasMessageContaining(
                        "chmod go-w " + open.toRealPath() + " (others can write to it); " + link + " leads there");
    }

    @Test
    void aLinkPlantedInTheDirectoryIsNeverFollowed() throws Exception {
        Path victim = Files.writeString(work.resolve("victim"), "precious");
        Path lock =
                Files.createSymbolicLink(fixture.tokenCache.resolve(cacheFile().getFileName() + ".lock"), victim);
        Files.createSymbolicLink(cacheFile(), victim);

        assertThat(fixture.access(fixture.parameters("node-a", "api_key", HA_KEY))
                        .vpc()
                        .listFloatingIps())
                .isNotEmpty();

        assertThat(Files.readString(victim)).isEqualTo("precious");
        assertThat(Files.isSymbolicLink(lock)).isTrue();
        assertThat(fixture.log.text()).contains("token cache " + fixture.tokenCache + " unusable");
    }

    /** A call made by one of several threads, which says which. */
    @FunctionalInterface
    private interface ThreadCall<T> {
        T call(int thread) throws Exception;
    }

    /** Runs {@code count} calls in as many threads, released together; their results in order. */
    private <T> List<T> allAtOnce(int count, ThreadCall<T> call) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int thread = i;
            futures.add(threads.submit(() -> {
                start.await();
                return call.call(thread);
            }));
        }
        start.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get(30, TimeUnit.SECONDS));
        }
        return results;
    }

    private Path cacheFile() {
        return fixture.tokenCache.resolve(
                "token-" + TokenCacheNames.of("apikey:" + TokenCacheNames.hash(HA_KEY) + "@" + simulator.iamUrl()));
    }

    private void writeCachedToken(String token, Instant issued, Instant expiration) throws Exception {
        Files.writeString(
                cacheFile(),
                "{\"access_token\":\"" + token + "\",\"issued_at\":" + issued.getEpochSecond() + ",\"expiration\":"
                        + expiration.getEpochSecond() + "}");
    }

    private static void assumeRoot() {
        assumeTrue(System.getProperty("user.name").equals("root"), "changing a file's owner needs root");
    }
}
