package io.vpcha.spi.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.spi.SpiVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SPI is a contract with plugin authors: this test fails the build on any change to its public API
 * that {@code spi/api/vpc-ha-spi.api} does not record, on anything of a released SPI removed or
 * changed, and on an addition without a raised minor version.
 *
 * <p>After an intended change: {@code mvn -pl spi test -Dtest=TestSpiApi -Dvpcha.api.update=true}
 * rewrites the file, and the diff is reviewed with the change. When an SPI version is released, its
 * file is copied to {@code spi/api/released/vpc-ha-spi-MAJOR.MINOR.api} and never edited again.
 */
class TestSpiApi {
    private static Path module;

    @BeforeAll
    static void findModule() {
        String basedir = System.getProperty("basedir");
        module = basedir == null ? Path.of("").toAbsolutePath() : Path.of(basedir);
    }

    @Test
    void theSpiIsWhatTheReviewedFileRecordsAndKeepsEveryReleasedVersion() throws IOException {
        SpiApi actual = SpiApi.of(
                SpiVersion.current(), SpiApi.classesIn(spiClasses(), getClass().getClassLoader()));
        Path recordedFile = module.resolve(SpiApiCheck.RECORDED);
        if (Boolean.getBoolean("vpcha.api.update")) {
            Files.writeString(recordedFile, actual.text(), StandardCharsets.UTF_8);
        }

        List<String> problems = SpiApiCheck.problems(actual, SpiApi.read(recordedFile), released());

        assertThat(problems)
                .as("the SPI's public API changed; if that is intended and compatible, run "
                        + "mvn -pl spi test -Dtest=TestSpiApi -Dvpcha.api.update=true and review the diff of "
                        + SpiApiCheck.RECORDED)
                .isEmpty();
    }

    @Test
    void theFileIsWhatTheDumpWrites() throws IOException {
        // the reviewed file holds nothing the dump would not write (no hand edits, no stale comments)
        SpiApi recorded = SpiApi.read(module.resolve(SpiApiCheck.RECORDED));
        assertThat(Files.readString(module.resolve(SpiApiCheck.RECORDED))).isEqualTo(recorded.text());
    }

    @Test
    void theReleasedSpi10IsTheBaseline() throws IOException {
        assertThat(released()).extracting(SpiApi::version).contains("1.0");
    }

    // ------------------------------------------------------------------ the check itself can fail

    @Test
    void removingAPublicMemberFailsTheCheck(@TempDir Path work) throws Exception {
        SpiApi changed = compileChanged(work, "cloud/RoutePatch.java", """
                    public static RoutePatch nextHop(String address) {
                        return builder().nextHopAddress(address).build();
                    }
                """, "\n");

        assertThat(problemsOf(changed))
                .anySatisfy(problem -> assertThat(problem)
                        .startsWith("breaks SPI 1.0: removed or changed: public final record "
                                + "io.vpcha.spi.cloud.RoutePatch: public static io.vpcha.spi.cloud.RoutePatch "
                                + "io.vpcha.spi.cloud.RoutePatch.nextHop(java.lang.String)"))
                .anySatisfy(problem -> assertThat(problem).startsWith("recorded in api/vpc-ha-spi.api but gone: "));
    }

    @Test
    void changingASignatureFailsTheCheck(@TempDir Path work) throws Exception {
        SpiApi changed = compileChanged(
                work,
                "MonitorRequest.java",
                "public static MonitorRequest recurring(Duration interval) {",
                "public static MonitorRequest recurring(java.time.Duration interval, boolean deep) {");

        assertThat(problemsOf(changed))
                .anySatisfy(problem -> assertThat(problem)
                        .isEqualTo(
                                "breaks SPI 1.0: removed or changed: public final record io.vpcha.spi.MonitorRequest: "
                                        + "public static io.vpcha.spi.MonitorRequest "
                                        + "io.vpcha.spi.MonitorRequest.recurring(java.time.Duration)"));
    }

    @Test
    void anAbstractMethodOnAnInterfacePluginsImplementFailsTheCheck(@TempDir Path work) throws Exception {
        SpiApi changed = compileChanged(
                work,
                "FailoverStrategy.java",
                "    default void reload() throws StrategyException {}",
                "    default void reload() throws StrategyException {}\n\n    void demote() throws StrategyException;");

        assertThat(problemsOf(changed))
                .contains("breaks SPI 1.0: abstract method added (make it a default method): public abstract "
                        + "interface io.vpcha.spi.FailoverStrategy: public abstract void "
                        + "io.vpcha.spi.FailoverStrategy.demote() throws io.vpcha.spi.StrategyException");
    }

    @Test
    void anAdditionNotRecordedOrWithoutARaisedMinorFailsTheCheck(@TempDir Path work) throws Exception {
        SpiApi changed = compileChanged(
                work,
                "MonitorRequest.java",
                "    public boolean isProbe() {",
                "    public boolean isDeep() {\n        return depth > 0;\n    }\n\n    public boolean isProbe() {");

        assertThat(problemsOf(changed))
                .containsExactly("not recorded in api/vpc-ha-spi.api: public final record io.vpcha.spi.MonitorRequest: "
                        + "public boolean io.vpcha.spi.MonitorRequest.isDeep()");

        // recorded, but under the version of the release that did not have it
        SpiApi released10 = released().stream()
                .filter(api -> api.version().equals("1.0"))
                .findFirst()
                .orElseThrow();
        Map<String, List<String>> grown = withMember(
                released10,
                "public final record io.vpcha.spi.MonitorRequest",
                "public boolean io.vpcha.spi.MonitorRequest.isDeep()");
        SpiApi grownAs10 = new SpiApi("1.0", grown);
        assertThat(SpiApiCheck.problems(grownAs10, grownAs10, List.of(released10)))
                .containsExactly("the SPI differs from the released SPI 1.0 but its version is 1.0: raise "
                        + "SpiVersion.MINOR and vpcha.spi.version in the root pom");
        SpiApi grownAs11 = new SpiApi("1.1", grown);
        assertThat(SpiApiCheck.problems(grownAs11, grownAs11, List.of(released10)))
                .isEmpty();
    }

    private static Map<String, List<String>> withMember(SpiApi api, String type, String member) {
        Map<String, List<String>> types = new TreeMap<>(api.types());
        List<String> members = new ArrayList<>(types.get(type));
        members.add(member);
        types.put(type, members);
        return types;
    }

    private static List<String> problemsOf(SpiApi changed) throws IOException {
        return SpiApiCheck.problems(changed, SpiApi.read(module.resolve(SpiApiCheck.RECORDED)), released());
    }

    /**
     * Compiles the SPI's sources with one text replaced, in a class loader of their own, and returns
     * that SPI's surface under the current version.
     */
    private static SpiApi compileChanged(Path work, String file, String from, String to) throws Exception {
        Path sources = work.resolve("src");
        Path main = module.resolve("src/main/java");
        List<String> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(main)) {
            for (Path source :
                    walk.filter(path -> path.toString().endsWith(".java")).toList()) {
                Path copy = sources.resolve(main.relativize(source).toString());
                Files.createDirectories(copy.getParent());
                String text = Files.readString(source);
                if (source.endsWith(Path.of("io/vpcha/spi", file))) {
                    assertThat(text).as("the text to change in %s", file).contains(from);
                    text = text.replace(from, to);
                }
                Files.writeString(copy, text);
                files.add(copy.toString());
            }
        }
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "--release", "17", "-nowarn"));
        arguments.addAll(files);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status = compiler.run(null, output, output, arguments.toArray(String[]::new));
        assertThat(status)
                .as("the changed SPI compiles: %s", output.toString(StandardCharsets.UTF_8))
                .isZero();
        try (URLClassLoader loader =
                new URLClassLoader(new URL[] {classes.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            return SpiApi.of(SpiVersion.current(), SpiApi.classesIn(classes, loader));
        }
    }

    private static List<SpiApi> released() throws IOException {
        List<SpiApi> released = new ArrayList<>();
        try (Stream<Path> files = Files.list(module.resolve("api/released"))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".api"))
                    .sorted()
                    .toList()) {
                released.add(SpiApi.read(file));
            }
        }
        return released;
    }

    /** The compiled SPI classes: the folder the build compiled src/main/java into. */
    private static Path spiClasses() {
        try {
            return Path.of(SpiVersion.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
