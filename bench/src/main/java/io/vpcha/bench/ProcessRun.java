package io.vpcha.bench;

import io.vpcha.simulator.process.ParentBound;
import io.vpcha.simulator.process.ParentBound.Signal;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One process, timed: wall time, and from GNU time its peak resident memory and its CPU time (user +
 * system, 10 ms resolution; what the process itself cost, which the machine's load changes far less than
 * the wall time). -1 where unknown.
 */
record ProcessRun(int exitCode, long millis, long rssKb, long cpuMillis, String stderr) {
    ProcessRun(int exitCode, long millis, long rssKb, String stderr) {
        this(exitCode, millis, rssKb, -1, stderr);
    }

    static ProcessRun run(List<String> command, Map<String, String> environment, Path scratch) {
        try {
            Path rss = Files.createTempFile(scratch, "rss", ".txt");
            Path err = Files.createTempFile(scratch, "err", ".txt");
            // GNU time and the command it times both end with the benchmark, also on SIGKILL
            List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-f", "%M %U %S", "-o", rss.toString()));
            timed.addAll(ParentBound.command(Signal.KILL, command));
            ProcessBuilder builder = new ProcessBuilder(ParentBound.command(Signal.KILL, timed))
                    .redirectError(err.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().clear();
            builder.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            builder.environment().put("LC_ALL", "C");
            builder.environment().putAll(environment);
            long start = System.nanoTime();
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not end within 120 s");
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            // the last line is GNU time's (a line before it says the command was killed by a signal)
            String[] usage = Files.readString(rss)
                    .strip()
                    .lines()
                    .reduce((a, b) -> b)
                    .orElse("")
                    .strip()
                    .split(" ", -1);
            long kb = usage.length == 3 ? Long.parseLong(usage[0]) : -1;
            long cpu = usage.length == 3
                    ? Math.round((Double.parseDouble(usage[1]) + Double.parseDouble(usage[2])) * 1000)
                    : -1;
            String stderr = Files.readString(err);
            Files.delete(rss);
            Files.delete(err);
            return new ProcessRun(process.exitValue(), millis, kb, cpu, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
