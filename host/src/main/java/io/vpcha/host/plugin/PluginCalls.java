package io.vpcha.host.plugin;

/**
 * Runs plugin code with the plugin's class loader as the thread context class loader, as libraries
 * inside a plugin (ServiceLoader users, JSON binders) expect, and restores the host's afterwards.
 */
public final class PluginCalls {
    private PluginCalls() {}

    /** A call into plugin code that may throw {@code E}. */
    @FunctionalInterface
    public interface PluginCall<T, E extends Exception> {
        T call() throws E;
    }

    public static <T, E extends Exception> T call(ClassLoader pluginLoader, PluginCall<T, E> call) throws E {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(pluginLoader);
        try {
            return call.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
