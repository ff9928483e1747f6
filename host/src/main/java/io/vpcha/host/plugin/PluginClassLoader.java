package io.vpcha.host.plugin;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of one plugin. Its parent is the platform class loader, so a plugin sees the JDK
 * but not the host's class path; classes and resources under the SPI package come from the host's
 * SPI, so plugin and host agree on the SPI types; everything else loads from the plugin's own jars.
 * A plugin therefore cannot reach host internals or host dependencies, and may bundle its own
 * versions of any library.
 */
public final class PluginClassLoader extends URLClassLoader {
    static final String SPI_PACKAGE_PREFIX = "io.vpcha.spi.";
    /** Every plugin loader's name starts so: stack frames say by it which code is a plugin's. */
    private static final String NAME_PREFIX = "vpc-ha plugin ";

    private static final String SPI_RESOURCE_PREFIX = SPI_PACKAGE_PREFIX.replace('.', '/');

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final ClassLoader spiLoader;

    /**
     * @param plugin the plugin's name (its file or folder name); the loader's name is made of it
     */
    public PluginClassLoader(String plugin, List<URL> jars, ClassLoader spiLoader) {
        super(
                loaderName(requireNonNull(plugin, "plugin is null")),
                jars.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader());
        this.spiLoader = requireNonNull(spiLoader, "spiLoader is null");
    }

    /** The name of the loader of the plugin named {@code plugin}. */
    static String loaderName(String plugin) {
        return NAME_PREFIX + plugin;
    }

    /** Whether a class loader's name (e.g. of a stack frame) is a plugin loader's. */
    static boolean isPluginLoaderName(String name) {
        return name != null && name.startsWith(NAME_PREFIX);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith(SPI_PACKAGE_PREFIX)) {
            return spiLoader.loadClass(name);
        }
        return super.loadClass(name, resolve);
    }

    @Override
    public URL getResource(String name) {
        if (name.startsWith(SPI_RESOURCE_PREFIX)) {
            return spiLoader.getResource(name);
        }
        return super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (name.startsWith(SPI_RESOURCE_PREFIX)) {
            URL url = spiLoader.getResource(name);
            return url == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(url));
        }
        return super.getResources(name);
    }
}
