package io.vpcha.host.plugin;

import static io.vpcha.host.testing.TestPluginSources.plugin;
import static io.vpcha.host.testing.TestPluginSources.providerWithConstructor;
import static io.vpcha.host.testing.TestPluginSources.stateFileProvider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.testing.PluginJarBuilder;
import io.vpcha.spi.SpiVersion;
import io.vpcha.spi.StrategyProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPluginLoader {
    private static final int NOBODY = 65534;

    @TempDir
    Path plugins;

    private final PluginLoader loader = new PluginLoader(CommonParameters.reservedNames());

    @Test
    void loadsAPluginJarWithItsDeclarations() {
        Path jar = new PluginJarBuilder()
                .source("good.Provider", stateFileProvider("good", "state-file"))
                .provider("good.Provider")
                .implementationVersion("4.5.6")
                .build(plugins.resolve("good.jar"));

        PluginRegistry registry = loader.load(plugins);

        assertThat(registry.problems()).isEmpty();
        InstalledStrategy strategy = registry.strategy("state-file").orElseThrow();
        assertThat(strategy.version()).isEqualTo("4.5.6");
        assertThat(strategy.description()).isEqualTo("test strategy state-file");
        assertThat(strategy.source()).isEqualTo(jar);
        assertThat(strategy.parameters()).extracting(spec -> spec.name()).containsExactly("message");
        assertThat(strategy.classLoader()).isInstanceOf(PluginClassLoader.class);
        assertThat(strategy.provider().getClass().getClassLoader()).isSameAs(strategy.classLoader());
    }

    @Test
    void aFolderOfJarsIsOnePluginWithItsOwnLibraries() {
        Path folder = plugins.resolve("with-library");
        Path library = new PluginJarBuilder()
                .source("lib.Greeting", """
                package lib;
                public final class Greeting { public static String text() { return "from the bundled library"; } }
                """)
                .spiVersion(null)
                .build(folder.resolve("a-library.jar"));
        new PluginJarBuilder()
                .compileAgainst(library)
                .source(
                        "uses.Provider",
                        stateFileProvider("uses", "uses-library")
                                .replace("\"test strategy uses-library\"", "lib.Greeting.text()"))
                .provider("uses.Provider")
                .build(folder.resolve("b-plugin.jar"));

        PluginRegistry registry = loader.load(plugins);

        assertThat(registry.problems()).isEmpty();
        assertThat(registry.strategy("uses-library").orElseThrow().description())
                .isEqualTo("from the bundled library");
        assertThat(registry.strategy("uses-library").orElseThrow().source()).isEqualTo(folder);
    }

    @Test
    void aPluginSeesTheSpiAndTheJdkButNoHostClassNorHostDependency() {
        new PluginJarBuilder()
                .source(
                        "probe.Provider",
                        stateFileProvider("probe", "visibility")
                                .replace("\"test strategy visibility\"", """
                        visible("io.vpcha.host.Main") + " " + visible("io.vpcha.host.plugin.PluginLoader") + " "
                                + visible("picocli.CommandLine") + " " + visible("com.google.gson.Gson") + " "
                                + visible("io.vpcha.spi.ParameterSpec") + " " + visible("java.net.http.HttpClient")""")
                                .replace("public final class Provider implements StrategyProvider {", """
                        public final class Provider implements StrategyProvider {
                            static String visible(String name) {
                                try {
                                    Class.forName(name, false, Provider.class.getClassLoader());
                                    return name + "=yes";
                                } catch (ClassNotFoundException e) {
                                    return name + "=no";
                                }
                            }
                        """))
                .provider("probe.Provider")
                .build(plugins.resolve("probe.jar"));

        InstalledStrategy strategy = loader.load(plugins).strategy("visibility").orElseThrow();

        assertThat(strategy.description())
                .isEqualTo("io.vpcha.host.Main=no io.vpcha.host.plugin.PluginLoader=no "
                        + "picocli.CommandLine=no com.google.gson.Gson=no io.vpcha.spi.ParameterSpec=yes "
                        + "java.net.http.HttpClient=yes");
        // the SPI class the plugin sees is the host's own, so the two agree on every SPI type
        assertThat(strategy.provider()).isInstanceOf(StrategyProvider.class);
    }

    @Test
    void aPluginMayBundleItsOwnVersionOfALibraryTheHostUses() {
        new PluginJarBuilder()
                .source("com.google.gson.Gson", """
                        package com.google.gson;
                        public final class Gson { public static String whose() { return "the plugin's own Gson"; } }
                        """)
                .source(
                        "own.Provider",
                        stateFileProvider("own", "own-gson")
                                .replace("\"test strategy own-gson\"", "com.google.gson.Gson.whose()"))
                .provider("own.Provider")
                .build(plugins.resolve("own.jar"));

        assertThat(loader.load(plugins).strategy("own-gson").orElseThrow().description())
                .isEqualTo("the plugin's own Gson");
    }

    @Test
    void brokenPluginsAreReportedWithPathAndReasonAndTheOthersStillLoad() throws IOException {
        new PluginJarBuilder()
                .source("good.Provider", stateFileProvider("good", "good"))
                .provider("good.Provider")
                .build(plugins.resolve("good.jar"));
        Path staticInit = new PluginJarBuilder()
                .source(
                        "boom.Provider",
                        stateFileProvider("boom", "boom")
                                .replace("public final class Provider implements StrategyProvider {", """
                                public final class Provider implements StrategyProvider {
                                    static { if (true) throw new IllegalStateException("static initialiser exploded"); }
                                """))
                .provider("boom.Provider")
                .build(plugins.resolve("static-init.jar"));
        Path constructor = new PluginJarBuilder()
                .source(
                        "ctor.Provider",
                        stateFileProvider("ctor", "ctor")
                                .replace("public final class Provider implements StrategyProvider {", """
                                public final class Provider implements StrategyProvider {
                                    public Provider() { throw new UnsupportedOperationException("constructor refuses"); }
                                """))
                .provider("ctor.Provider")
                .build(plugins.resolve("constructor.jar"));
        Path noProvider = new PluginJarBuilder()
                .source("none.Provider", stateFileProvider("none", "none"))
                .build(plugins.resolve("no-provider.jar"));
        Path missingClass =
                new PluginJarBuilder().provider("ghost.Provider").build(plugins.resolve("missing-class.jar"));
        Path newMajor = new PluginJarBuilder()
                .source("future.Provider", stateFileProvider("future", "future"))
                .provider("future.Provider")
                .spiVersion("2.0")
                .build(plugins.resolve("future.jar"));
        Path noVersion = new PluginJarBuilder()
                .source("old.Provider", stateFileProvider("old", "old"))
                .provider("old.Provider")
                .spiVersion(null)
                .build(plugins.resolve("no-version.jar"));
        Path notAJar = Files.writeString(plugins.resolve("not-a-jar.jar"), "hello");
        Path emptyFolder = Files.createDirectory(plugins.resolve("empty-folder"));
        Files.writeString(plugins.resolve("README.txt"), "not a plugin, ignored");

        PluginRegistry registry = loader.load(plugins);

        assertThat(registry.strategyNames()).containsExactly("good");
        assertThat(registry.problems()).hasSize(8);
        assertThat(problemOf(registry, staticInit))
                .contains("boom.Provider could not be instantiated")
                .contains("static initialiser exploded");
        assertThat(problemOf(registry, constructor)).contains("constructor refuses");
        assertThat(problemOf(registry, noProvider)).startsWith("no strategy provider");
        assertThat(problemOf(registry, missingClass)).contains("ghost.Provider");
        assertThat(problemOf(registry, newMajor))
                .isEqualTo("incompatible plugin: built for SPI 2.0, this host provides SPI " + SpiVersion.current()
                        + " (major versions differ)");
        assertThat(problemOf(registry, noVersion))
                .isEqualTo("incompatible plugin: the jar manifest has no VpcHa-Spi-Version attribute");
        assertThat(problemOf(registry, notAJar)).startsWith("not a readable jar");
        assertThat(problemOf(registry, emptyFolder)).isEqualTo("the plugin folder holds no jar");
    }

    @Test
    void twoPluginsClaimingOneNameAreBothRefusedAndNamed() {
        Path first = new PluginJarBuilder()
                .source("one.Provider", stateFileProvider("one", "same"))
                .provider("one.Provider")
                .build(plugins.resolve("one.jar"));
        Path second = new PluginJarBuilder()
                .source("two.Provider", stateFileProvider("two", "same"))
                .provider("two.Provider")
                .build(plugins.resolve("two.jar"));
        new PluginJarBuilder()
                .source("other.Provider", stateFileProvider("other", "other"))
                .provider("other.Provider")
                .build(plugins.resolve("other.jar"));

        PluginRegistry registry = loader.load(plugins);

        assertThat(registry.strategyNames()).containsExactly("other");
        assertThat(problemOf(registry, first))
                .isEqualTo("strategy 'same' is also provided by " + second + "; neither is used until one is removed");
        assertThat(problemOf(registry, second)).contains("also provided by " + first);
        assertThat(registry.problemsNaming("same")).hasSize(2);
    }

    @Test
    void badNamesReservedParametersAndThrowingDescriptionsAreRefused() {
        Path badName = new PluginJarBuilder()
                .source("bad.Provider", stateFileProvider("bad", "Bad_Name"))
                .provider("bad.Provider")
                .build(plugins.resolve("bad-name.jar"));
        Path reserved = new PluginJarBuilder()
                .source(
                        "res.Provider",
                        stateFileProvider("res", "reserved")
                                .replace("\"message\", ParameterType.STRING", "\"strategy\", ParameterType.STRING"))
                .provider("res.Provider")
                .build(plugins.resolve("reserved.jar"));
        Path throwing = new PluginJarBuilder()
                .source(
                        "thr.Provider",
                        stateFileProvider("thr", "throwing")
                                .replace(
                                        "return List.of(ParameterSpec",
                                        "if (true) throw new IllegalStateException(\"no params\");"
                                                + " return List.of(ParameterSpec"))
                .provider("thr.Provider")
                .build(plugins.resolve("throwing.jar"));

        PluginRegistry registry = loader.load(plugins);

        assertThat(registry.strategies()).isEmpty();
        assertThat(problemOf(registry, badName)).contains("names its strategy 'Bad_Name'");
        assertThat(problemOf(registry, reserved))
                .isEqualTo("strategy 'reserved' declares parameter strategy, which the host reserves for itself");
        assertThat(problemOf(registry, throwing))
                .contains("failed while describing itself")
                .contains("no params");
    }

    @Test
    void errorsThatAreNoLinkageErrorStayThePluginsOwn() {
        plugin(plugins.resolve("good.jar"), "good", stateFileProvider("good", "good"));
        Path assertion = plugin(
                plugins.resolve("assertion.jar"),
                "asserts",
                stateFileProvider("asserts", "asserts")
                        .replace(
                                "public String name() { return \"asserts\"; }",
                                "public String name() { throw new AssertionError(\"name is not ready\"); }"));
        Path overflow = plugin(
                plugins.resolve("overflow.jar"),
                "deep",
                stateFileProvider("deep", "deep")
                        .replace(
                                "return List.of(ParameterSpec",
                                "if (depth(0) > 0) return List.of(); return List.of(ParameterSpec")
                        .replace("@Override public String description()", """
                                static int depth(int n) { return depth(n + 1) + 1; }
                                @Override public String description()"""));
        Path staticError = plugin(
                plugins.resolve("static-error.jar"),
                "init",
                stateFileProvider("init", "init").replace("@Override public String description()", """
                        static { if (true) throw new AssertionError("static assertion"); }
                        @Override public String description()"""));

        PluginRegistry registry = loader.load(plugins);

        assertThat(registry.strategyNames()).containsExactly("good");
        assertThat(problemOf(registry, assertion))
                .isEqualTo("asserts.Provider failed while describing itself: AssertionError: name is not ready");
        assertThat(problemOf(registry, overflow)).contains("failed while describing itself: StackOverflowError");
        assertThat(problemOf(registry, staticError)).contains("AssertionError: static assertion");
    }

    @Test
    void aPluginThatHangsWhileLoadingIsReportedAtTheDeadlineAndTheOthersLoad() {
        plugin(plugins.resolve("good.jar"), "good", stateFileProvider("good", "good"));
        Path hangs = plugin(
                plugins.resolve("hangs.jar"),
                "hangs",
                providerWithConstructor("hangs", "hangs", "while (true) { Thread.onSpinWait(); }"));
        Instant deadline = Instant.now().plusSeconds(2);

        PluginRegistry registry = loader.load(plugins, deadline);

        assertThat(Instant.now()).isBefore(deadline.plusSeconds(1));
        assertThat(registry.strategyNames()).containsExactly("good");
        assertThat(problemOf(registry, hangs)).startsWith("did not finish loading in the time given");
    }

    @Test
    void pluginsOthersCouldChangeAreRefusedWithTheFix() throws IOException {
        assumeTrue(System.getProperty("user.name").equals("root"), "changing a file's owner needs root");
        Path good = plugin(plugins.resolve("good.jar"), "good", stateFileProvider("good", "good"));
        Path foreign = plugin(plugins.resolve("foreign.jar"), "foreign", stateFileProvider("foreign", "foreign"));
        Files.setAttribute(foreign, "unix:uid", NOBODY);
        Path writable = plugin(plugins.resolve("writable.jar"), "writable", stateFileProvider("writable", "writable"));
        Files.setPosixFilePermissions(writable, PosixFilePermissions.fromString("rw-rw-r--"));
        // a folder whose name starts with a dot is no plugin: the link leads out of the plugins into it
        Path elsewhere = Files.createDirectory(plugins.resolve(".elsewhere"));
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path linked = Files.createSymbolicLink(
                plugins.resolve("linked.jar"),
                plugin(elsewhere.resolve("linked.jar"), "linked", stateFileProvider("linked", "linked")));

        PluginRegistry registry = loader.load(plugins);

        assertThat(registry.strategyNames()).containsExactly("good");
        assertThat(problemOf(registry, foreign))
                .isEqualTo("refused, not loaded: chown root " + foreign + " (it is owned by uid " + NOBODY + ")");
        assertThat(problemOf(registry, writable))
                .isEqualTo("refused, not loaded: chmod go-w " + writable + " (others can write to it)");
        assertThat(problemOf(registry, linked))
                .isEqualTo("refused, not loaded: chmod go-w " + elsewhere + " (others can write to it)");

        Files.setPosixFilePermissions(plugins, PosixFilePermissions.fromString("rwxrwxrwx"));
        PluginRegistry open = loader.load(plugins);
        assertThat(open.strategies()).isEmpty();
        assertThat(problemOf(open, plugins))
                .isEqualTo("plugins directory refused, no plugin loaded: chmod go-w " + plugins
                        + " (others can write to it)");
        assertThat(good).exists();
    }

    @Test
    void aMissingDirectoryIsAProblemNotACrash() {
        PluginRegistry registry = loader.load(plugins.resolve("absent"));
        assertThat(registry.strategies()).isEmpty();
        assertThat(registry.problems())
                .singleElement()
                .extracting(PluginProblem::reason)
                .isEqualTo("the plugins directory does not exist");
    }

    @Test
    void pluginCallsRunWithThePluginsContextClassLoader() throws Exception {
        new PluginJarBuilder()
                .source(
                        "tccl.Provider",
                        stateFileProvider("tccl", "tccl")
                                .replace(
                                        "\"test strategy tccl\"",
                                        "String.valueOf(Thread.currentThread().getContextClassLoader() == Provider.class.getClassLoader())"))
                .provider("tccl.Provider")
                .build(plugins.resolve("tccl.jar"));
        ClassLoader before = Thread.currentThread().getContextClassLoader();

        InstalledStrategy strategy = loader.load(plugins).strategy("tccl").orElseThrow();

        assertThat(strategy.description()).isEqualTo("true");
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
    }

    private static String problemOf(PluginRegistry registry, Path source) {
        return registry.problems().stream()
                .filter(problem -> problem.source().equals(source))
                .map(PluginProblem::reason)
                .reduce((a, b) -> a + " | " + b)
                .orElseThrow(
                        () -> new AssertionError("no problem reported for " + source + ": " + registry.problems()));
    }
}
