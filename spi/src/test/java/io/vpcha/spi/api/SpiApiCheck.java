package io.vpcha.spi.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rules the build enforces on the SPI (Trino's TestSpiBackwardCompatibility and Kotlin's API dump
 * in one): the API is exactly what the reviewed file records; nothing of a released version is
 * removed or changed, and no abstract method is added to its types; and an SPI that grew since the
 * last release carries a higher minor version.
 */
final class SpiApiCheck {
    static final String RECORDED = "api/vpc-ha-spi.api";

    private SpiApiCheck() {}

    /**
     * Every rule {@code actual} breaks; empty when it keeps them all.
     *
     * @param actual the surface of the compiled SPI, with the version {@code SpiVersion} declares
     * @param recorded the reviewed file
     * @param released the surfaces of the released versions
     */
    static List<String> problems(SpiApi actual, SpiApi recorded, List<SpiApi> released) {
        List<String> problems = new ArrayList<>();
        if (!actual.sameSurface(recorded)) {
            actual.notIn(recorded).forEach(line -> problems.add("not recorded in " + RECORDED + ": " + line));
            recorded.notIn(actual).forEach(line -> problems.add("recorded in " + RECORDED + " but gone: " + line));
        }
        if (!recorded.version().equals(actual.version())) {
            problems.add(RECORDED + " is for SPI " + recorded.version() + " but SpiVersion is " + actual.version());
        }
        List<SpiApi> sameMajor =
                released.stream().filter(api -> api.major() == actual.major()).toList();
        for (SpiApi before : sameMajor) {
            actual.incompatibilitiesWith(before)
                    .forEach(problem -> problems.add("breaks SPI " + before.version() + ": " + problem));
        }
        Optional<SpiApi> latest = SpiApi.latest(sameMajor);
        if (latest.isPresent()
                && !actual.sameSurface(latest.get())
                && actual.minor() <= latest.get().minor()) {
            problems.add("the SPI differs from the released SPI " + latest.get().version() + " but its version is "
                    + actual.version() + ": raise SpiVersion.MINOR and vpcha.spi.version in the root pom");
        }
        return problems;
    }
}
