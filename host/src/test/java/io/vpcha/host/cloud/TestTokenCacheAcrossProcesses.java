package io.vpcha.host.cloud;

import static io.vpcha.host.cloud.CloudFixture.HA_KEY;
import static io.vpcha.host.testing.Secrets.neverShown;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.simulator.VpcSimulator;
import io.vpcha.simulator.fault.FaultRule;
import io.vpcha.simulator.scenario.Scenario;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestTokenCacheAcrossProcesses {
    @TempDir
    Path work;

    @Test
    void concurrentProcessesOfConcurrentThreadsOnOneNodeMakeOneIamRequest() throws Exception {
        try (VpcSimulator simulator = VpcSimulator.builder()
                .scenario(Scenario.threeZone())
                .perInstanceMetadata(true)
                .start()) {
            // slow IAM, so the processes overlap while one of them holds the refresh lock
            simulator.faults().add(FaultRule.latency(700, 0).service("iam"));
            CloudFixture fixture = new CloudFixture(simulator, Files.createDirectory(work.resolve("tokens")));
            Map<String, String> parameters = fixture.parameters("node-a", "api_key", HA_KEY);
            List<String> command = new ArrayList<>(List.of(
                    ProcessHandle.current().info().command().orElse("java"),
                    "-cp",
                    System.getProperty("java.class.path"),
                    TokenCacheProbe.class.getName()));
            StringBuilder input = new StringBuilder();
            parameters.forEach((name, value) ->
                    input.append(name).append('=').append(value).append('\n'));

            List<Process> processes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Process process =
                        new ProcessBuilder(command).redirectErrorStream(true).start();
                try (var stdin = process.getOutputStream()) {
                    stdin.write(input.toString().getBytes(StandardCharsets.UTF_8));
                }
                processes.add(process);
            }
            for (Process process : processes) {
                assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(process.exitValue()).as(output).isZero();
                assertThat(output.strip()).isEqualTo("1");
                neverShown(output, HA_KEY);
            }
            assertThat(fixture.iamRequests())
                    .as("one token shared by every thread of every process")
                    .isEqualTo(1);
        }
    }

    @Test
    void aProcessStoppedWhileHoldingTheRefreshLockDelaysARefreshBySecondsNotUntilTheDeadline() throws Exception {
        try (VpcSimulator simulator = VpcSimulator.builder()
                .scenario(Scenario.threeZone())
                .perInstanceMetadata(true)
                .start()) {
            Path tokens = Files.createDirectory(work.resolve("tokens"));
            CloudFixture fixture = new CloudFixture(simulator, tokens);
            Map<String, String> parameters = fixture.parameters("node-a", "api_key", HA_KEY);
            // learn the cache file's name from a first action, then forget its token
            fixture.access(parameters).vpc().listFloatingIps();
            Path cacheFile;
            try (var files = Files.list(tokens)) {
                cacheFile = files.filter(file -> !file.toString().endsWith(".lock"))
                        .findFirst()
                        .orElseThrow();
            }
            Files.delete(cacheFile);
            Process holder = new ProcessBuilder(
                            ProcessHandle.current().info().command().orElse("java"),
                            "-cp",
                            System.getProperty("java.class.path"),
                            FileLockHolder.class.getName(),
                            cacheFile + ".lock")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try {
                String said = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                assertThat(said).isEqualTo("locked");

                // the action's deadline is a minute away; it must not wait for it
                Instant deadline = Instant.now().plusSeconds(60);
                HostCloudAccess action = fixture.access(parameters, Duration.ofSeconds(60));
                int floatingIps = action.vpc().listFloatingIps().size();

                assertThat(floatingIps).isPositive();
                assertThat(Instant.now()).isBefore(deadline.minusSeconds(30));
                assertThat(fixture.iamRequests())
                        .as("one for the first action, one past the holder")
                        .isEqualTo(2);
                assertThat(fixture.log.text()).contains("held the token cache lock");
                assertThat(cacheFile)
                        .as("the fresh token is kept for the next action")
                        .exists();
            } finally {
                holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
