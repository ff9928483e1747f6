package io.vpcha.host.plugin;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Keeps plugin code from ending the process: a plugin that calls {@code System.exit} (in its provider's
 * constructor, say) would otherwise make every action of every strategy exit with its status, stop
 * included. Java 17 deprecated the security manager that could forbid it, and later versions removed it,
 * so the guard works with what every version has: a shutdown hook.
 *
 * <p>{@code System.exit} runs the shutdown hooks in the calling thread before the process ends, while
 * every other thread keeps running. The guard's hook looks at that thread: when plugin code (a class
 * of a {@link PluginClassLoader}) is on its stack, the hook tells the host which plugin it was and then
 * waits, holding the process open, until the host has finished its work and calls {@link #exit}; then it
 * ends the process with the host's status. The plugin's thread stays blocked in {@code System.exit}; the
 * host reports that plugin as broken, or the action it ran as failed. Another plugin thread calling exit
 * meanwhile blocks behind the first without running a hook: the waiting hook looks for such threads
 * and tells the host of them too. An exit from anything else (a signal, the JVM's own end) is not held.
 * The host's own exit ends the process at once with the host's status: other shutdown hooks (a plugin
 * library's, say) are not waited for, so none can hold the action past its end.
 *
 * <p>What no hook can stop: {@code Runtime.halt}, a crash of the JVM, a plugin killing its own process.
 * Those end the action at once; an action Pacemaker runs loads only its strategy's plugin, so they stay
 * that plugin's own failures, and install.sh refuses to go on when listing the plugins ends that way.
 */
public final class ExitGuard {
    /** How long a held exit waits for the host before the process ends anyway (a host bug). */
    private static final Duration MAX_HOLD = Duration.ofMinutes(10);
    /** How often a held exit looks for more plugin threads calling exit (they block behind the first). */
    private static final Duration POLL = Duration.ofMillis(50);

    // Plain fields and a monitor: every action pays for what this class loads, before anything else.
    private static final Object LOCK = new Object();
    private static final List<Consumer<Attempt>> LISTENERS = new CopyOnWriteArrayList<>();
    private static boolean installed;
    /** The host's exit status once it exits; null until then. Guarded by LOCK. */
    private static Integer hostStatus;

    private ExitGuard() {}

    /**
     * An exit attempted by plugin code and held.
     *
     * @param pluginLoaderName the name of the plugin's class loader ({@link PluginClassLoader#getName()})
     * @param threadName the thread that called exit
     */
    public record Attempt(String pluginLoaderName, String threadName) {}

    /** Guards this process from now on; the host's {@code main} calls it first. */
    public static void install() {
        synchronized (LOCK) {
            if (!installed) {
                installed = true;
                Runtime.getRuntime().addShutdownHook(new Hook());
            }
        }
    }

    /** Whether exits are guarded in this process (only in the host's own process, not in tests that embed it). */
    public static boolean isInstalled() {
        synchronized (LOCK) {
            return installed;
        }
    }

    /**
     * Ends the process with {@code status}: how the host exits. When a plugin's exit is being held, this
     * releases it with the host's status.
     */
    public static void exit(int status) {
        synchronized (LOCK) {
            if (hostStatus == null) {
                hostStatus = status;
            }
            LOCK.notifyAll();
        }
        System.exit(status);
    }

    /**
     * Tells {@code listener} of every plugin exit held from now on, until the returned handle is closed.
     * Listeners run in the guard's thread: they must only record what happened.
     */
    public static Registration onPluginExit(Consumer<Attempt> listener) {
        LISTENERS.add(listener);
        return () -> LISTENERS.remove(listener);
    }

    /** Ends a listener's registration. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** The guard's shutdown hook (a class of its own rather than a lambda: no bootstrap on every action). */
    private static final class Hook extends Thread {
        Hook() {
            super("vpc-ha exit guard");
        }

        @Override
        public void run() {
            onShutdown();
        }
    }

    private static void onShutdown() {
        Integer status = hostStatus();
        if (status != null) {
            // the host's own exit (or a plugin's racing it): the host's status, at once
            halt(status);
        }
        Map<Thread, StackTraceElement[]> threads = Thread.getAllStackTraces();
        Optional<Thread> initiator = threads.entrySet().stream()
                .filter(thread -> calls(thread.getValue(), "runHooks"))
                .map(Map.Entry::getKey)
                .findFirst();
        Optional<Attempt> first = initiator.flatMap(thread -> attemptOf(thread, threads.get(thread)));
        if (first.isEmpty()) {
            return; // a signal or the JVM's own end: not ours to hold
        }
        tell(first.get());
        // Further exits block in System.exit behind the first one and run no hook: look for them.
        Set<Thread> told = new HashSet<>(Set.of(initiator.get()));
        Instant until = Instant.now().plus(MAX_HOLD);
        while (Instant.now().isBefore(until)) {
            synchronized (LOCK) {
                if (hostStatus != null) {
                    halt(hostStatus);
                }
                try {
                    LOCK.wait(POLL.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (hostStatus != null) {
                    halt(hostStatus);
                }
            }
            Thread.getAllStackTraces().forEach((thread, frames) -> {
                if (!told.contains(thread) && calls(frames, "exit")) {
                    told.add(thread);
                    attemptOf(thread, frames).ifPresent(ExitGuard::tell);
                }
            });
        }
        halt(1);
    }

    private static Integer hostStatus() {
        synchronized (LOCK) {
            return hostStatus;
        }
    }

    private static void tell(Attempt attempt) {
        for (Consumer<Attempt> listener : LISTENERS) {
            try {
                listener.accept(attempt);
            } catch (RuntimeException e) {
                // a listener only records; nothing it throws may keep the host from finishing
            }
        }
    }

    /** Whether a thread is in {@code java.lang.Shutdown}'s method {@code method}. */
    private static boolean calls(StackTraceElement[] frames, String method) {
        for (StackTraceElement frame : frames) {
            if (frame.getClassName().equals("java.lang.Shutdown")
                    && frame.getMethodName().equals(method)) {
                return true;
            }
        }
        return false;
    }

    /** The plugin whose code is on the stack of a thread that called exit; empty when none is. */
    private static Optional<Attempt> attemptOf(Thread thread, StackTraceElement[] frames) {
        for (StackTraceElement frame : frames) {
            if (PluginClassLoader.isPluginLoaderName(frame.getClassLoaderName())) {
                return Optional.of(new Attempt(frame.getClassLoaderName(), thread.getName()));
            }
        }
        return Optional.empty();
    }

    private static void halt(int status) {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }
}
