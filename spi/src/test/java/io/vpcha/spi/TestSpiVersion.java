package io.vpcha.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class TestSpiVersion {
    @Test
    void sameMajorAndOlderOrEqualMinorIsCompatible() {
        assertThat(SpiVersion.incompatibility(SpiVersion.current())).isEmpty();
        assertThat(SpiVersion.incompatibility("1.0")).isEmpty();
    }

    @Test
    void otherMajorNewerMinorAndGarbageAreRefusedWithAReason() {
        assertThat(SpiVersion.incompatibility("2.0"))
                .hasValueSatisfying(reason ->
                        assertThat(reason).contains("built for SPI 2.0").contains("major versions differ"));
        assertThat(SpiVersion.incompatibility("1." + (SpiVersion.MINOR + 1)))
                .hasValueSatisfying(reason -> assertThat(reason).contains("upgrade vpc-ha"));
        assertThat(SpiVersion.incompatibility("one")).hasValue("VpcHa-Spi-Version 'one' is not MAJOR.MINOR");
        assertThat(SpiVersion.incompatibility(null)).hasValue("the jar manifest has no VpcHa-Spi-Version attribute");
    }

    @Test
    void theBuildWritesTheSameVersionIntoPluginManifests() throws IOException {
        // vpcha.spi.version in the parent POM goes into every plugin's manifest; it must agree with the code.
        Properties properties = new Properties();
        try (InputStream in = SpiVersion.class.getResourceAsStream("spi-version.properties")) {
            properties.load(in);
        }
        assertThat(properties.getProperty("spi.version")).isEqualTo(SpiVersion.current());
    }
}
