package io.vpcha.spi;

import java.util.List;

/**
 * The entry point of a failover strategy, found by {@link java.util.ServiceLoader}: register the
 * implementing class in {@code META-INF/services/io.vpcha.spi.StrategyProvider}. It needs a public
 * no-argument constructor that does no work; everything happens in {@link #create}.
 *
 * <p>New methods arrive as default methods, so a provider written against an older 1.x SPI keeps
 * working.
 */
public interface StrategyProvider {
    /**
     * The strategy's name, the value of the resource's {@code strategy} parameter: lower case
     * letters, digits and dashes, starting with a letter (e.g. {@code custom-route}).
     */
    String name();

    /** One line saying what the strategy does, no trailing period. */
    String description();

    /** What the strategy does, how it fails over, what it needs; shown by describe and meta-data. */
    default String longDescription() {
        return description() + ".";
    }

    /** The strategy's version; by default the plugin jar's Implementation-Version. */
    default String version() {
        String version =
                getClass().getPackage() == null ? null : getClass().getPackage().getImplementationVersion();
        return version == null ? "unspecified" : version;
    }

    /** The parameters this strategy declares, beyond the host's common ones. */
    List<ParameterSpec> parameters();

    /**
     * Creates the strategy for one action on one resource. Called once per action (every action is
     * its own process), with values already checked against {@link #parameters()}.
     *
     * @throws StrategyException when the parameters cannot work together
     */
    FailoverStrategy create(ParameterValues parameters, StrategyContext context) throws StrategyException;
}
