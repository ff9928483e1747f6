/**
 * The vpc-ha service provider interface: what a failover strategy plugin implements and what the
 * host offers it. Depends on the JDK alone.
 *
 * <p>A plugin is a jar (or a folder of jars) in the host's {@code plugins/} directory that registers
 * one or more {@link io.vpcha.spi.StrategyProvider} implementations with {@link java.util.ServiceLoader}
 * and names the SPI version it was compiled against in its manifest
 * ({@value io.vpcha.spi.SpiVersion#MANIFEST_ATTRIBUTE}). Each plugin gets its own class loader that
 * sees the packages under {@code io.vpcha.spi} from the host and nothing else of it.
 *
 * <p>Compatibility promise: within a major version the SPI only grows, and only through default
 * methods, new types and new enum constants; a plugin compiled against 1.x runs on every host
 * 1.y with y &ge; x.
 */
package io.vpcha.spi;
