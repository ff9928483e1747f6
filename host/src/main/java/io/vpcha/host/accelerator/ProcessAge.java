package io.vpcha.host.accelerator;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How long ago a process started, on the kernel's boot-time clock: its start in {@code /proc/PID/stat}
 * (clock ticks after boot) against {@code /proc/uptime}. Exact to the 10 ms both clocks tick in, where
 * ProcessHandle's start instant is off by up to a second (it adds the ticks to the boot time, which the
 * kernel gives in whole seconds). The service reads its client launcher's age with it twice: whether
 * the request came too late, and when the action began (its deadline).
 */
final class ProcessAge {
    /** One tick of either clock: USER_HZ is 100 on every Linux the launcher runs on. */
    static final long TICK_MILLIS = 10;

    private ProcessAge() {}

    /**
     * The age of process {@code pid}, read from {@code proc} (the mount of procfs: {@code /proc}).
     *
     * @throws NoSuchFileException when the process has ended
     * @throws IOException when the files cannot be read
     * @throws RuntimeException (a parse failure) when they do not say what procfs says
     */
    static Duration of(long pid, Path proc) throws IOException {
        long startTicks = startTicks(pid, proc);
        return Duration.ofMillis((uptimeTicks(proc) - startTicks) * TICK_MILLIS);
    }

    /** Now, in clock ticks after boot ({@code /proc/uptime}, which has them to the hundredth of a second). */
    static long uptimeTicks(Path proc) throws IOException {
        String uptime = Files.readString(proc.resolve("uptime"));
        return new BigDecimal(uptime.substring(0, uptime.indexOf(' ')))
                .movePointRight(2)
                .setScale(0, RoundingMode.HALF_UP)
                .longValueExact();
    }

    /**
     * When process {@code pid} started, in clock ticks after boot (field 22 of {@code /proc/PID/stat}):
     * with the pid, what tells this process from one that gets its pid after it ended (the watchdog's
     * file, {@link AcceleratorService}).
     *
     * @throws NoSuchFileException when the process has ended
     */
    static long startTicks(long pid, Path proc) throws IOException {
        String stat = Files.readString(proc.resolve(Long.toString(pid)).resolve("stat"));
        String[] afterName = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
        // field 22 of the line, the 20th after "pid (comm)"
        return Long.parseLong(afterName[19]);
    }
}
